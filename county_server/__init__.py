"""County server: receives the desks' events (sync protocol v1, docs/sync-protocol.md).

    python -m county_server add-station 360426 城关接待站      # prints the token once
    python -m county_server serve --host 0.0.0.0 --port 8600
    python -m county_server import-bundle FILE                 # offline bundle from a desk

`--db URL` (or $XFCOUNTY_DB): `postgresql+psycopg://user@host/db` or `sqlite:///file`
(default `sqlite:///county.sqlite3`). Every subcommand migrates the database to head first.
Layers: protocol (pure rules) ← service (transactions) ← api (HTTP) / cli (command line).
"""
