"""The permission matrix of docs/security.md: the table equals the code, and each cell is a test.

For every (role, permission) an operator holding only that role makes the permission's guarded
service call. ✓ means the call gets past the guard (it may still be refused for other reasons,
e.g. a lifecycle step not allowed in the matter's stage); — means PermissionDenied with a
Chinese message naming the permission.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from desk_login import ALL_ROLES, TEST_OPERATOR, ready
from factories import make_input
from ui_support import STATION_CODE, STATION_NAME

from app.receipts.content import KIND_SLIP
from app.services.context import DeskServices
from app.services.dto import MatterQuery
from app.services.errors import ValidationFailed
from app.services.matter_sql import REPORTER_HIDDEN
from app.services.security import permissions as perm
from app.services.security.errors import PermissionDenied
from app.services.statistics import periods

DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"
PASSWORD = "juese-2026x"


def documented_matrix() -> dict[str, set[str]]:
    """role -> permissions, read from the table under "### Permission matrix"."""
    text = DOC.read_text(encoding="utf-8").split("### Permission matrix", 1)[1]
    lines = [ln for ln in text.splitlines() if ln.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    roles = [re.search(r"`(\w+)`", cell).group(1) for cell in header[1:]]
    out: dict[str, set[str]] = {role: set() for role in roles}
    for line in lines[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        match = re.match(r"`(\w+)`", cells[0])
        if not match:
            break
        for role, mark in zip(roles, cells[1:]):
            assert mark in ("✓", "—"), line
            if mark == "✓":
                out[role].add(match.group(1))
    return out


def test_the_documented_table_is_the_code():
    documented = documented_matrix()
    assert set(documented) == set(perm.ROLES)
    assert {role: frozenset(p) for role, p in documented.items()} == perm.MATRIX
    assert set().union(*documented.values()) <= set(perm.PERMISSIONS)


@dataclass
class World:
    desk: DeskServices
    number: str
    reporter_number: str
    tmp: Path


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    tmp = tmp_path_factory.mktemp("matrix")
    desk = ready(DeskServices.open(tmp / "data"), ALL_ROLES)
    desk.stations.initialise(STATION_CODE, STATION_NAME, "县")
    from app.sync import config as sync_config

    sync_config.save(desk.settings, server_url="http://127.0.0.1:9", token="matrix-token")
    number = desk.registration.register(make_input(decision="转送", decision_unit="县人社局")).number
    reporter = desk.registration.register(make_input(matter_class="检举控告")).number
    for role in perm.ROLES:
        desk.operators.create_operator(f"r_{role}", frozenset({role}), PASSWORD)
    yield World(desk, number, reporter, tmp)
    desk.close()


def _reporter_name_visible(w: World) -> bool:
    return w.desk.matters.detail(w.reporter_number).people[0].name != REPORTER_HIDDEN


PROBES = {
    perm.REGISTER: lambda w: w.desk.registration.register(make_input()),
    perm.VIEW: lambda w: w.desk.matters.page(MatterQuery()),
    perm.HANDLE: lambda w: w.desk.lifecycle.perform(w.number, "accept", {"unit": "县人社局"}, actor="甲"),
    perm.SUPERVISE: lambda w: w.desk.lifecycle.perform(w.number, "urge", {"note": "请加快办理"}, actor="甲"),
    perm.PRINT: lambda w: w.desk.documents.content(w.number, KIND_SLIP),
    perm.REVEAL: lambda w: w.desk.privacy.reveal(w.number, 0, "id", "核实身份"),
    perm.VIEW_REPORTER: _reporter_name_visible,
    perm.STATISTICS: lambda w: w.desk.statistics.compute(periods.month(2026, 11)),
    perm.EXPORT: lambda w: w.desk.statistics.authorize_export("xlsx", str(w.tmp / "r.xlsx")),
    perm.SYNC: lambda w: w.desk.sync.export_bundle(STATION_CODE, "matrix-token", w.tmp / "bundle.json.gz"),
    perm.SETTINGS: lambda w: w.desk.deadlines.select("national"),
    perm.OPERATORS: lambda w: w.desk.operators.operators(),
    perm.BACKUP: lambda w: w.desk.backups.list(),
    perm.AUDIT: lambda w: w.desk.audit.entries(limit=5),
}


def passes_guard(w: World, permission: str) -> bool:
    try:
        result = PROBES[permission](w)
    except PermissionDenied as refusal:
        message = str(refusal)
        assert re.search(r"[\u4e00-\u9fff]", message), message
        return False
    except ValidationFailed:
        return True  # past the guard; refused by the step's own rules
    return result if isinstance(result, bool) else True


def test_every_permission_has_a_probe():
    assert set(PROBES) == set(perm.PERMISSIONS)


@pytest.mark.parametrize("role", list(perm.ROLES))
@pytest.mark.parametrize("permission", list(perm.PERMISSIONS))
def test_cell(world, role, permission):
    world.desk.login(f"r_{role}", PASSWORD)
    try:
        assert passes_guard(world, permission) == (permission in documented_matrix()[role])
    finally:
        world.desk.login(TEST_OPERATOR, "ceshi-2026")


def test_a_refusal_names_the_operator_and_the_permission(world):
    world.desk.login("r_auditor", PASSWORD)
    try:
        with pytest.raises(PermissionDenied, match="r_auditor.*审计员.*无权登记信访件"):
            world.desk.registration.register(make_input())
    finally:
        world.desk.login(TEST_OPERATOR, "ceshi-2026")


def test_nothing_works_before_login(tmp_path):
    from app.services.security.errors import NotLoggedIn

    desk = DeskServices.open(tmp_path)
    try:
        with pytest.raises(NotLoggedIn, match="请先登录"):
            desk.matters.page(MatterQuery())
    finally:
        desk.close()
