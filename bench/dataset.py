"""A fresh data directory with one station and N demo matters, made through the services."""
from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .common import log

STATION_CODE = "360426"
STATION_NAME = "德安县信访局接待中心"


@dataclass(frozen=True)
class Dataset:
    data_dir: Path
    count: int
    open_init_seconds: float  # DeskServices.open (migrations) + stations.initialise
    generate_seconds: float  # app.services.demo.generate(...)
    db_bytes: int


@dataclass(frozen=True)
class Sample:
    """Real search keys taken from one generated petitioner and one of its matters."""

    name: str
    initials: str
    id_number: str
    phone: str
    number: str


def build(count: int, parent: Path | None = None) -> Dataset:
    from .common import open_desk
    from app.services.demo import generate

    data_dir = Path(tempfile.mkdtemp(prefix="xfdesk-bench-", dir=parent))
    started = time.perf_counter()
    services = open_desk(data_dir)
    services.stations.initialise(STATION_CODE, STATION_NAME, "县")
    open_init = time.perf_counter() - started
    log(f"generating {count} demo matters in {data_dir} …")
    started = time.perf_counter()
    generate(services.engine, services.stations, services.tree, count, cipher=services.guard.cipher)
    generated = time.perf_counter() - started
    services.close()  # the last connection closing checkpoints the WAL into the main file
    db_bytes = sum(p.stat().st_size for p in data_dir.glob("xfdesk.sqlite3*"))
    log(f"  took {generated:.1f} s, database {db_bytes / 1e6:.0f} MB")
    return Dataset(data_dir, count, open_init, generated, db_bytes)


def pick_sample(data_dir: Path) -> Sample:
    """The first petitioner with a three-character name and a matter (deterministic for the seed);
    the ID number and phone are stored sealed, so they are opened with the benchmark operator's key."""
    from .common import open_desk

    desk = open_desk(data_dir)
    try:
        with desk.engine.connect() as conn:
            row = conn.exec_driver_sql(
                "SELECT p.name, p.name_initials, p.id_sealed, p.phone_sealed, m.number "
                "FROM petitioner p JOIN matter_petitioner mp ON mp.petitioner_id = p.id "
                "JOIN matter m ON m.id = mp.matter_id "
                "WHERE length(p.name) = 3 AND length(p.name_initials) = 3 AND p.id_sealed <> '' "
                "AND p.phone_sealed <> '' ORDER BY p.id LIMIT 1"
            ).fetchone()
        if row is None:
            raise RuntimeError("no petitioner in the demo data fits as a search sample")
        cipher = desk.guard.cipher
        return Sample(row[0], row[1], cipher.open(row[2], "id"), cipher.open(row[3], "phone"), row[4])
    finally:
        desk.close()
