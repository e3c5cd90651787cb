"""Sync outbox (one row per event), county events, the county's matter number.

Revision ID: 0003_sync_outbox
Revises: 0002_query_code_settings
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_sync_outbox"
down_revision = "0002_query_code_settings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_outbox",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("acked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["event_id"], ["matter_event.id"], name=op.f("fk_sync_outbox_event_id_matter_event")),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_sync_outbox")),
    )
    op.create_index(op.f("ix_sync_outbox_state"), "sync_outbox", ["state"], unique=False)
    op.create_table(
        "county_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("cursor", sa.Integer(), nullable=False),
        sa.Column("matter_number", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("occurred_at", sa.String(length=40), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_county_event")),
        sa.UniqueConstraint("uuid", name=op.f("uq_county_event_uuid")),
    )
    op.create_index(op.f("ix_county_event_cursor"), "county_event", ["cursor"], unique=False)
    op.create_index(op.f("ix_county_event_matter_number"), "county_event", ["matter_number"], unique=False)
    op.add_column("matter", sa.Column("county_number", sa.String(length=40), nullable=True))
    # Everything recorded before sync existed is still to be delivered.
    op.execute(
        "INSERT INTO sync_outbox (event_id, state, attempts, last_error) "
        "SELECT id, 'pending', 0, '' FROM matter_event"
    )


def downgrade() -> None:
    with op.batch_alter_table("matter", schema=None) as batch_op:
        batch_op.drop_column("county_number")
    op.drop_index(op.f("ix_county_event_matter_number"), table_name="county_event")
    op.drop_index(op.f("ix_county_event_cursor"), table_name="county_event")
    op.drop_table("county_event")
    op.drop_index(op.f("ix_sync_outbox_state"), table_name="sync_outbox")
    op.drop_table("sync_outbox")
