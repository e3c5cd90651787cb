"""Operators, key slots and the hash-chained audit trail; sealed ID and phone columns on petitioner.

The old plain-text `id_number` / `phone` / `phone_key` columns stay: a migration runs before
anyone logs in, so it has no key to seal them with. The seal pass after the first login moves
their values into the sealed columns and empties them (app/services/security/sealing.py).

Revision ID: 0006_security
Revises: 0005_stats_caches
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_security"
down_revision = "0005_stats_caches"
branch_labels = None
depends_on = None

_SEALED = ("id", "phone")
_APPEND_ONLY = {
    "audit_entry_no_update": "UPDATE",
    "audit_entry_no_delete": "DELETE",
}


def upgrade() -> None:
    op.create_table(
        "operator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=30), nullable=False),
        sa.Column("roles", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False, server_default="1"),
        sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default="0"),
        sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operator")),
        sa.UniqueConstraint("name", name=op.f("uq_operator_name")),
    )
    op.create_table(
        "key_slot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=True),
        sa.Column("salt", sa.String(length=64), nullable=False),
        sa.Column("kdf", sa.String(length=100), nullable=False),
        sa.Column("wrapped", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["operator_id"], ["operator.id"], name=op.f("fk_key_slot_operator_id_operator"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_slot")),
    )
    op.create_index(op.f("ix_key_slot_operator_id"), "key_slot", ["operator_id"], unique=False)
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.Column("operator", sa.String(length=30), nullable=False),
        sa.Column("workstation", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("target", sa.String(length=100), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
    )
    op.create_index(op.f("ix_audit_entry_at"), "audit_entry", ["at"], unique=False)
    op.create_index(op.f("ix_audit_entry_action"), "audit_entry", ["action"], unique=False)
    for name, verb in _APPEND_ONLY.items():
        op.execute(
            f"CREATE TRIGGER {name} BEFORE {verb} ON audit_entry "
            "BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END"
        )
    for field in _SEALED:
        op.add_column("petitioner", sa.Column(f"{field}_sealed", sa.Text(), nullable=False, server_default=""))
        op.add_column("petitioner", sa.Column(f"{field}_lookup", sa.String(length=64), nullable=False, server_default=""))
        op.add_column("petitioner", sa.Column(f"{field}_masked", sa.String(length=30), nullable=False, server_default=""))
        op.create_index(op.f(f"ix_petitioner_{field}_lookup"), "petitioner", [f"{field}_lookup"], unique=False)


def downgrade() -> None:
    # Back to plain columns: the seal pass must run again after a later upgrade.
    op.execute("DELETE FROM setting WHERE key = 'security.legacy_sealed'")
    with op.batch_alter_table("petitioner", schema=None) as batch_op:
        for field in _SEALED:
            batch_op.drop_index(batch_op.f(f"ix_petitioner_{field}_lookup"))
            for suffix in ("sealed", "lookup", "masked"):
                batch_op.drop_column(f"{field}_{suffix}")
    for name in _APPEND_ONLY:
        op.execute(f"DROP TRIGGER {name}")
    op.drop_table("audit_entry")
    op.drop_index(op.f("ix_key_slot_operator_id"), table_name="key_slot")
    op.drop_table("key_slot")
    op.drop_table("operator")
