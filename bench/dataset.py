"""A fresh data directory with one station and N demo matters, made through the services."""
from __future__ import annotations

import sqlite3
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
    """The first petitioner with a three-character name and a matter (deterministic for the seed)."""
    conn = sqlite3.connect(data_dir / "xfdesk.sqlite3")
    try:
        row = conn.execute(
            "SELECT p.name, p.name_initials, p.id_number, p.phone, m.number "
            "FROM petitioner p JOIN matter_petitioner mp ON mp.petitioner_id = p.id "
            "JOIN matter m ON m.id = mp.matter_id "
            "WHERE length(p.name) = 3 AND length(p.name_initials) = 3 AND p.id_number <> '' AND p.phone <> '' "
            "ORDER BY p.id LIMIT 1"
        ).fetchone()
    finally:
        conn.close()
    if row is None:
        raise RuntimeError("no petitioner in the demo data fits as a search sample")
    return Sample(*row)
