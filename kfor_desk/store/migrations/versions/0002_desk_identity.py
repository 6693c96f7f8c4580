"""Desk identity: a random ``desk_id`` in ``meta`` for databases made before it existed.

The witnesses kept outside the file (the head log in the user data folder, the backups) are
keyed by this id, not by the file's path: the same desk keeps its witnesses when the file is
moved or served by PostgreSQL. New databases get their id from ``init_meta``.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 03:30:00
"""
import uuid

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    meta = sa.table("meta", sa.column("key", sa.String), sa.column("value", sa.Text))
    has = conn.execute(sa.select(meta.c.key).where(meta.c.key == "desk_id")).first()
    if has is None:
        conn.execute(sa.insert(meta).values(key="desk_id", value=uuid.uuid4().hex))


def downgrade() -> None:
    meta = sa.table("meta", sa.column("key", sa.String))
    op.execute(sa.delete(meta).where(meta.c.key == "desk_id"))
