"""A real county server (`python -m county_server serve`) on loopback, over SQLite and PostgreSQL.

The `county` fixture is parametrized over both databases. PostgreSQL is a throwaway cluster made
with initdb in a temporary folder (as the `postgres` user when the tests run as root); when it
cannot be started the PostgreSQL tests fail with the reason — they are required, never skipped.
"""
from __future__ import annotations

import pytest
from county_support import CountyServer, PostgresCluster


@pytest.fixture(scope="session")
def postgres_url():
    cluster = PostgresCluster()
    try:
        url = cluster.start()
    except BaseException:  # pytest.fail raises a BaseException: remove the half-made cluster first
        cluster.discard()
        raise
    yield url
    cluster.stop()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def county(request, tmp_path_factory):
    workdir = tmp_path_factory.mktemp(f"county-{request.param}")
    if request.param == "sqlite":
        url = f"sqlite:///{workdir / 'county.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_url")
    server = CountyServer(request.param, url, workdir)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def station(county):
    """(code, token) of a new station on the county server."""
    return county.new_station()
