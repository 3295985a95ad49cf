"""hazard_indexes: drop the single-column grid / supervisor / contractor indexes (each is the leading
column of a (…, found_on) index that serves the same lookups) and index the responsible enterprise
(an enterprise merge or delete no longer scans every hazard)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_REDUNDANT = (("ix_hazards_grid", "grid_id"), ("ix_hazards_supervisor", "supervisor_id"),
              ("ix_hazards_contractor", "contractor_id"))


def upgrade() -> None:
    for name, _column in _REDUNDANT:
        op.drop_index(name, table_name="hazards")
    op.create_index("ix_hazards_responsible", "hazards", ["responsible_enterprise_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_hazards_responsible", table_name="hazards")
    for name, column in _REDUNDANT:
        op.create_index(name, "hazards", [column], unique=False)
