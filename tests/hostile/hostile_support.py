"""What the hostile-input tests check after every example: refusals are messages, and the data is intact.

- `check_refusal`: every error of a ValidationFailed names a real field key and says, in Chinese,
  what is wrong.
- `Baseline`: a few matters registered before the hostile batch; `verify()` checks that their
  details are unchanged, that SQLite's `integrity_check` and `foreign_key_check` are clean, and
  (`counts()`) gives a per-table row count snapshot to compare a refusal against.
"""
from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from app.schema import DB_FILENAME
from app.services.dto import to_jsonable
from app.services.errors import ValidationFailed
from app.services.registration import PetitionerInput
from app.services.registration_json import DETAIL_KEYS, PETITIONER_KEYS, TOP_KEYS
from factories import make_input

_CJK = re.compile(r"[\u4e00-\u9fff]")
_INDEXED = re.compile(r"(petitioners|attachments)\[(\d+)\](?:\.(.+))?")
# Logins (the CLI's) and the audit log they write are expected to grow while nothing else does.
UNCOUNTED_TABLES = {"audit_entry"}

# Persons of the baseline matters: ID numbers the hostile examples never use (factories.VALID_ID
# is theirs), because a later registration with the same ID number legitimately refreshes the person.
BASELINE_INPUTS = [
    dict(petitioner=PetitionerInput(name="𠮷收", id_type="居民身份证", id_number="360426198001010029",
                                    phone="13907921111", address="德安县蒲亭镇城东村3组"),
         title="反映100%_拖欠\\工资问题", request="请求支付工资；'; DROP TABLE matter;-- 不是指令"),
    dict(petitioner=PetitionerInput(name="阿依古丽·买买提", id_type="居民身份证", id_number="360426197512310037",
                                    phone="0791-86123456"),
         form="来信", petition_date="2026-01-05", title="建议规范物业收费", request="建议公示收费标准",
         matter_class="建议意见", content_class="物业服务", decision="转送", decision_unit="县住建局"),
    dict(petitioner=PetitionerInput(name="周敏", id_type="无证件"), headcount=6, representatives=["周敏", "䶮"],
         title="集体反映征地补偿", request="请求公开补偿标准", decision="", skip_level=True),
]


def is_field_key(key: str, extra: set[str] = frozenset()) -> bool:
    """A key the documentation lists (docs/register-json.md, "Field keys"), or one of `extra`
    (unknown keys of a JSON document are reported under their own name)."""
    if key in TOP_KEYS or key in {"(文档)", "petitioners"} or key in extra:
        return True
    if key.startswith("decision_detail."):
        return key.split(".", 1)[1] in DETAIL_KEYS or key in extra
    m = _INDEXED.fullmatch(key)
    if not m:
        return False
    kind, _, sub = m.groups()
    if kind == "attachments":
        return sub is None
    return sub is None or sub in PETITIONER_KEYS or f"petitioners[{m.group(2)}].{sub}" in extra


def check_refusal(exc: ValidationFailed, extra_keys: set[str] = frozenset()) -> None:
    """Every error is bound to a real field and has a non-empty Chinese message."""
    assert exc.errors, "ValidationFailed without errors"
    for e in exc.errors:
        assert isinstance(e.field, str) and is_field_key(e.field, extra_keys), e.field
        assert isinstance(e.message, str) and e.message.strip(), e
        assert _CJK.search(e.message), e.message
    for w in exc.warnings:
        assert _CJK.search(w.message), w.message


def table_counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names
                if n not in UNCOUNTED_TABLES}


def integrity_problems(db: Path) -> list:
    with sqlite3.connect(db) as conn:
        problems = [r[0] for r in conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        problems += list(conn.execute("PRAGMA foreign_key_check"))
    return problems


class Baseline:
    """Matters registered before the hostile input; their details must never change."""

    def __init__(self, desk):
        self.desk = desk
        self.db = Path(desk.data_dir) / DB_FILENAME
        self.numbers = [desk.registration.register(make_input(**kw)).number for kw in BASELINE_INPUTS]
        self.details = self._details()

    def _details(self) -> list:
        return [to_jsonable(self.desk.matters.detail(n)) for n in self.numbers]

    def counts(self) -> dict[str, int]:
        return table_counts(self.db)

    def verify(self) -> None:
        assert integrity_problems(self.db) == []
        assert self._details() == self.details
