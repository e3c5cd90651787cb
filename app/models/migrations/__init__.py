"""Alembic migration scripts, shipped inside the package (the head revision lives in app.schema)."""
