"""A real county server on loopback for the sync tests, with station 360426 registered."""
from __future__ import annotations

import pytest
from county_process import CountyProcess

STATION = "360426"


@pytest.fixture
def county(tmp_path):
    server = CountyProcess(tmp_path / "county")
    server.token = server.add_station(STATION)
    server.start()
    yield server
    server.stop()
