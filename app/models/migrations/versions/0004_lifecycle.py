"""Lifecycle caches on matter, leaders and their duty days, attachments.

Revision ID: 0004_lifecycle
Revises: 0003_sync_outbox
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_lifecycle"
down_revision = "0003_sync_outbox"
branch_labels = None
depends_on = None

_MATTER_COLUMNS = (
    sa.Column("next_due", sa.Date(), nullable=True),
    sa.Column("next_due_rule", sa.String(length=20), nullable=False, server_default=""),
    sa.Column("evaluation_due", sa.Date(), nullable=True),
    sa.Column("supervised", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column("urged", sa.Integer(), nullable=False, server_default="0"),
    sa.Column("receiver_leader_name", sa.String(length=50), nullable=False, server_default=""),
    sa.Column("owner_since", sa.Date(), nullable=True),
)
# SQLite can add a column with an inline REFERENCES clause, which alembic's add_column cannot emit.
_LEADER_LINKS = ("receiver_leader_id", "owner_leader_id")
_MATTER_INDEXES = ("next_due", "evaluation_due", "receiver_leader_id", "owner_leader_id")


def upgrade() -> None:
    op.create_table(
        "leader",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leader")),
        sa.UniqueConstraint("name", name=op.f("uq_leader_name")),
    )
    op.create_table(
        "leader_duty",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("leader_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["leader_id"], ["leader.id"], name=op.f("fk_leader_duty_leader_id_leader"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leader_duty")),
        sa.UniqueConstraint("leader_id", "weekday", name=op.f("uq_leader_duty_leader_id")),
    )
    op.create_index(op.f("ix_leader_duty_leader_id"), "leader_duty", ["leader_id"], unique=False)
    op.create_table(
        "attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("matter_id", sa.Integer(), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("stored_path", sa.String(length=500), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("added_by", sa.String(length=50), nullable=False),
        sa.ForeignKeyConstraint(
            ["matter_id"], ["matter.id"], name=op.f("fk_attachment_matter_id_matter"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
    )
    op.create_index(op.f("ix_attachment_matter_id"), "attachment", ["matter_id"], unique=False)
    # Plain ALTER TABLE ADD COLUMN (no rebuild of `matter`); the deadline caches are filled by
    # the lifecycle service on first open (its fingerprint setting is still missing then).
    for column in _MATTER_COLUMNS:
        op.add_column("matter", column._copy())
    for name in _LEADER_LINKS:
        op.execute(f"ALTER TABLE matter ADD COLUMN {name} INTEGER REFERENCES leader (id)")
    for name in _MATTER_INDEXES:
        op.create_index(op.f(f"ix_matter_{name}"), "matter", [name], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("matter", schema=None) as batch_op:
        for name in _MATTER_INDEXES:
            batch_op.drop_index(batch_op.f(f"ix_matter_{name}"))
        for name in (*_LEADER_LINKS, *(c.name for c in _MATTER_COLUMNS)):
            batch_op.drop_column(name)
    op.drop_index(op.f("ix_attachment_matter_id"), table_name="attachment")
    op.drop_table("attachment")
    op.drop_index(op.f("ix_leader_duty_leader_id"), table_name="leader_duty")
    op.drop_table("leader_duty")
    op.drop_table("leader")
