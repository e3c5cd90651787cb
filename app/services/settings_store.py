"""Key–value settings stored in the database (the unit's letterhead, notice wording, …)."""
from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.models import Setting


class SettingsStore:
    def __init__(self, engine: Engine):
        self.engine = engine

    def all(self, prefix: str = "") -> dict[str, str]:
        with Session(self.engine) as s:
            rows = s.execute(select(Setting.key, Setting.value).where(Setting.key.startswith(prefix, autoescape=True)))
            return dict(rows.all())

    def get(self, key: str, default: str = "") -> str:
        with Session(self.engine) as s:
            value = s.scalar(select(Setting.value).where(Setting.key == key))
        return default if value is None else value

    def set_many(self, values: dict[str, str]) -> None:
        with Session(self.engine) as s, s.begin():
            for key, value in values.items():
                row = s.get(Setting, key)
                if row is None:
                    s.add(Setting(key=key, value=value))
                else:
                    row.value = value
