"""monthly_reports: monthly report months: narrative, sign-off, archive (issue 7)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import station_app.db.base

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "monthly_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_key", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("work_summary", sa.Text(), nullable=False),
        sa.Column("data_note", sa.Text(), nullable=False),
        sa.Column("problems", sa.Text(), nullable=False),
        sa.Column("next_plan", sa.Text(), nullable=False),
        sa.Column("signer_name", sa.String(length=50), nullable=False),
        sa.Column("status", sa.String(length=4), nullable=False),
        sa.Column("signed_at", station_app.db.base.LocalDateTime(), nullable=True),
        sa.Column("signed_by_id", sa.Integer(), nullable=True),
        sa.Column("signed_by_name", sa.String(length=50), nullable=False),
        sa.Column("figures_json", sa.Text(), nullable=True),
        sa.Column("acknowledged_json", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("created_at", station_app.db.base.LocalDateTime(), nullable=False),
        sa.Column("updated_at", station_app.db.base.LocalDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["signed_by_id"], ["users.id"], name=op.f("fk_monthly_reports_signed_by_id_users")),
        sa.ForeignKeyConstraint(["updated_by"], ["users.id"], name=op.f("fk_monthly_reports_updated_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monthly_reports")),
        sa.UniqueConstraint("period_key", name=op.f("uq_monthly_reports_period_key")),
    )
    op.create_table(
        "monthly_report_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=4), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("template_sha256", sa.String(length=64), nullable=False),
        sa.Column("template_source", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["monthly_reports.id"],
                                name=op.f("fk_monthly_report_files_report_id_monthly_reports"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monthly_report_files")),
        sa.UniqueConstraint("report_id", "kind", name=op.f("uq_monthly_report_files_report_id_kind")),
    )
    op.create_index(op.f("ix_monthly_report_files_report_id"), "monthly_report_files", ["report_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_monthly_report_files_report_id"), table_name="monthly_report_files")
    op.drop_table("monthly_report_files")
    op.drop_table("monthly_reports")
