"""Alembic migration scripts, shipped inside the package.

HEAD_REVISION lets start-up skip importing alembic when the database is current;
a test checks it equals alembic's own head.
"""

HEAD_REVISION = "0001_initial"
