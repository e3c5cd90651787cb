"""Shared fixtures: real services over a fresh SQLite file. Keyboard helpers for Qt tests live in ui_support.py."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from app.services.context import DeskServices  # noqa: E402
from desk_login import cli_env, make_hashing_fast, ready  # noqa: E402
from ui_support import STATION_CODE, STATION_NAME, type_text  # noqa: E402,F401  (type_text: shared helper)


make_hashing_fast()

# Hostile-input tests (tests/hostile): the same examples on every run, so CI is reproducible;
# slow machines do not fail the health checks. `--hypothesis-profile=explore` searches anew.
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "ci", derandomize=True, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("explore", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci")
# Every CLI subprocess a test starts logs in as the test operator (tests that check the login
# itself pass their own environment).
os.environ.update({k: v for k, v in cli_env({}).items()})


@pytest.fixture
def services(tmp_path):
    """DeskServices on a new database in tmp_path, with the station initialised."""
    desk = ready(DeskServices.open(tmp_path))
    desk.stations.initialise(STATION_CODE, STATION_NAME, "县")
    yield desk
    desk.close()


@pytest.fixture
def desk(services):
    """The same real services, under the name the service and sync tests use."""
    return services
