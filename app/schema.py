"""Facts about the database file that code without SQLAlchemy needs too.

HEAD_REVISION is the alembic revision this build expects; a test keeps it equal to the head
of `app/models/migrations`, so start-up can tell "current" without importing alembic.
"""

DB_FILENAME = "xfdesk.sqlite3"
HEAD_REVISION = "0006_security"
