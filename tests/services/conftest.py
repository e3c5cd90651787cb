"""Service-level fixtures: a real SQLite file in a temp dir, migrated and initialised."""
from __future__ import annotations

import pytest

from app.services.context import DeskServices


@pytest.fixture
def desk(tmp_path):
    services = DeskServices.open(tmp_path / "data")
    services.stations.initialise("360426", "德安县信访局", "县")
    yield services
    services.close()
