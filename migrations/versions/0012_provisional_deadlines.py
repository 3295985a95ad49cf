"""provisional_deadlines: a 暂定 flag beside every stored computed deadline — hazards' 整改期限,
inspection findings' 整改期限 and issued documents' 期限 (case clocks have had theirs since 0008).
Existing rows are exact (false): before this revision a date in an unknown year was never stored.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = ("hazards", "inspection_findings", "issued_documents")


def upgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('deadline_provisional', sa.Boolean(), nullable=False,
                                          server_default=sa.false()))


def downgrade() -> None:
    for table in reversed(_TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('deadline_provisional')
