"""Step dates and evaluation results cached on matter, and events indexed by kind, for the statistics.

Revision ID: 0005_stats_caches
Revises: 0004_lifecycle
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_stats_caches"
down_revision = "0004_lifecycle"
branch_labels = None
depends_on = None

_DATES = ("decided_on", "accepted_on", "replied_on", "notify_due", "conclude_due", "evaluate_by")
_RESULTS = ("eval_office", "eval_unit")
_INDEXED = ("notify_due", "conclude_due")


def upgrade() -> None:
    # Plain ADD COLUMN; the values are filled by the lifecycle service's fingerprinted refresh.
    for name in _DATES:
        op.add_column("matter", sa.Column(name, sa.Date(), nullable=True))
    for name in _RESULTS:
        op.add_column("matter", sa.Column(name, sa.String(length=8), nullable=False, server_default=""))
    for name in _INDEXED:
        op.create_index(op.f(f"ix_matter_{name}"), "matter", [name], unique=False)
    op.create_index("ix_matter_event_kind_matter_id", "matter_event", ["kind", "matter_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_matter_event_kind_matter_id", table_name="matter_event")
    with op.batch_alter_table("matter", schema=None) as batch_op:
        for name in _INDEXED:
            batch_op.drop_index(batch_op.f(f"ix_matter_{name}"))
        for name in (*_DATES, *_RESULTS):
            batch_op.drop_column(name)
