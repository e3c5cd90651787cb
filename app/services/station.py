"""This desk's station (set once at first run) and its responsible units."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.models import ResponsibleUnit, Station

from .content_classes import ensure_default_scheme
from .errors import FieldError, NotInitialised, ValidationFailed
from .vocab import STATION_LEVELS

STATION_CODE_RE = re.compile(r"^[A-Za-z0-9]{2,20}$")


@dataclass(frozen=True)
class StationInfo:
    code: str
    name: str
    level: str
    collective_threshold: int
    max_representatives: int


def _info(row: Station) -> StationInfo:
    return StationInfo(row.code, row.name, row.level, row.collective_threshold, row.max_representatives)


def validate_station(code: str, name: str, level: str) -> tuple[str, str, str]:
    code, name, level = code.strip().upper(), name.strip(), level.strip()
    errors = []
    if not STATION_CODE_RE.match(code):
        errors.append(FieldError("station_code", "接待站代码应为2至20位字母或数字（如行政区划代码）"))
    if not name:
        errors.append(FieldError("station_name", "请填写接待站名称"))
    elif len(name) > 100:
        errors.append(FieldError("station_name", "接待站名称不能超过100个字"))
    if level not in STATION_LEVELS:
        errors.append(FieldError("level", "级别只能是“县”或“乡镇”"))
    if errors:
        raise ValidationFailed(errors)
    return code, name, level


class StationService:
    def __init__(self, engine: Engine):
        self.engine = engine

    def get(self) -> StationInfo | None:
        with Session(self.engine) as s:
            row = s.scalar(select(Station).limit(1))
            return _info(row) if row else None

    def require(self) -> StationInfo:
        info = self.get()
        if info is None:
            raise NotInitialised("尚未设置接待站，请先初始化（init）")
        return info

    def initialise(self, code: str, name: str, level: str = "县") -> StationInfo:
        """Create the station (or rename it: the code of an existing station never changes)."""
        code, name, level = validate_station(code, name, level)
        with Session(self.engine) as s, s.begin():
            row = s.scalar(select(Station).limit(1))
            if row is not None and row.code != code:
                raise ValidationFailed(
                    [FieldError("station_code", f"本机已初始化为接待站 {row.code}，代码不能更改")]
                )
            if row is None:
                row = Station(code=code, name=name, level=level, created_at=datetime.now())
                s.add(row)
            else:
                row.name, row.level = name, level
            ensure_default_scheme(s)
            s.flush()
            return _info(row)

    def units(self) -> list[str]:
        with Session(self.engine) as s:
            return list(
                s.scalars(select(ResponsibleUnit.name).where(ResponsibleUnit.active).order_by(ResponsibleUnit.name))
            )
