"""Query codes on matters (printed on receipts) and the settings table.

Revision ID: 0002_query_code_settings
Revises: 0001_initial
"""
from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0002_query_code_settings"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

# Copied, not imported: a migration must keep doing what it did when it was written.
_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def _code() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(8))


def upgrade() -> None:
    op.create_table(
        "setting",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_setting")),
    )
    # Plain ALTER TABLE ADD COLUMN and CREATE INDEX: no table rebuild of `matter`.
    op.add_column("matter", sa.Column("query_code", sa.String(length=12), nullable=False, server_default=""))
    conn = op.get_bind()
    ids = [row[0] for row in conn.execute(sa.text("SELECT id FROM matter"))]
    used: set[str] = set()
    for matter_id in ids:
        code = _code()
        while code in used:
            code = _code()
        used.add(code)
        conn.execute(sa.text("UPDATE matter SET query_code = :c WHERE id = :i"), {"c": code, "i": matter_id})
    op.create_index(op.f("ix_matter_query_code"), "matter", ["query_code"], unique=True)


def downgrade() -> None:
    op.drop_index(op.f("ix_matter_query_code"), table_name="matter")
    with op.batch_alter_table("matter", schema=None) as batch_op:
        batch_op.drop_column("query_code")
    op.drop_table("setting")
