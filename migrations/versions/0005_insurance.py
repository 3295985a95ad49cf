"""insurance: 安责险 policies, prevention visits and claims (issue 8)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import station_app.db.base

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('insurance_policies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('insured_id', sa.Integer(), nullable=False),
    sa.Column('insurer', sa.String(length=100), nullable=False),
    sa.Column('insurer_branch', sa.String(length=100), nullable=False),
    sa.Column('policy_no', sa.String(length=60), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('until_completion', sa.Boolean(), nullable=False),
    sa.Column('premium_fen', sa.BigInteger(), nullable=True),
    sa.Column('premium_base_fen', sa.BigInteger(), nullable=True),
    sa.Column('rate_permille', station_app.db.base.ScaledDecimal(), nullable=True),
    sa.Column('death_limit_fen', sa.BigInteger(), nullable=False),
    sa.Column('medical_limit_fen', sa.BigInteger(), nullable=True),
    sa.Column('third_party_limit_fen', sa.BigInteger(), nullable=True),
    sa.Column('aggregate_limit_fen', sa.BigInteger(), nullable=True),
    sa.Column('headcount_mode', sa.String(length=10), nullable=False),
    sa.Column('headcount', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=4), nullable=False),
    sa.Column('status_date', sa.Date(), nullable=True),
    sa.Column('status_reason', sa.String(length=200), nullable=False),
    sa.Column('min_limit_fen', sa.BigInteger(), nullable=True),
    sa.Column('min_limit_rule', sa.String(length=60), nullable=False),
    sa.Column('below_minimum_reason', sa.String(length=300), nullable=False),
    sa.Column('replaced_by_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('search_key', sa.Text(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', station_app.db.base.LocalDateTime(), nullable=False),
    sa.Column('updated_at', station_app.db.base.LocalDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_insurance_policies_created_by_users')),
    sa.ForeignKeyConstraint(['insured_id'], ['enterprises.id'], name=op.f('fk_insurance_policies_insured_id_enterprises')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_insurance_policies_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['replaced_by_id'], ['insurance_policies.id'], name=op.f('fk_insurance_policies_replaced_by_id_insurance_policies'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_insurance_policies')),
    sa.UniqueConstraint('insurer', 'policy_no', name=op.f('uq_insurance_policies_insurer_policy_no'))
    )
    with op.batch_alter_table('insurance_policies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_insurance_policies_insured_id'), ['insured_id'], unique=False)
        batch_op.create_index('ix_insurance_policies_project_start', ['project_id', 'start_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_insurance_policies_status'), ['status'], unique=False)

    op.create_table('insurance_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('policy_id', sa.Integer(), nullable=False),
    sa.Column('blob_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('added_by_name', sa.String(length=50), nullable=False),
    sa.Column('added_at', station_app.db.base.LocalDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['blob_id'], ['attachment_blobs.id'], name=op.f('fk_insurance_attachments_blob_id_attachment_blobs')),
    sa.ForeignKeyConstraint(['policy_id'], ['insurance_policies.id'], name=op.f('fk_insurance_attachments_policy_id_insurance_policies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_insurance_attachments')),
    sa.UniqueConstraint('policy_id', 'blob_id', name=op.f('uq_insurance_attachments_policy_id_blob_id'))
    )
    with op.batch_alter_table('insurance_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_insurance_attachments_blob_id'), ['blob_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_insurance_attachments_policy_id'), ['policy_id'], unique=False)

    op.create_table('insurance_claims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('policy_id', sa.Integer(), nullable=False),
    sa.Column('accident_date', sa.Date(), nullable=False),
    sa.Column('accident_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('claimed_fen', sa.BigInteger(), nullable=False),
    sa.Column('paid_fen', sa.BigInteger(), nullable=True),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=6), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', station_app.db.base.LocalDateTime(), nullable=False),
    sa.Column('updated_at', station_app.db.base.LocalDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_insurance_claims_created_by_users')),
    sa.ForeignKeyConstraint(['policy_id'], ['insurance_policies.id'], name=op.f('fk_insurance_claims_policy_id_insurance_policies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_insurance_claims'))
    )
    with op.batch_alter_table('insurance_claims', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_insurance_claims_policy_id'), ['policy_id'], unique=False)

    op.create_table('insurance_visits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('policy_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('visit_date', sa.Date(), nullable=False),
    sa.Column('staff', sa.String(length=100), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('findings', sa.Text(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', station_app.db.base.LocalDateTime(), nullable=False),
    sa.Column('updated_at', station_app.db.base.LocalDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_insurance_visits_created_by_users')),
    sa.ForeignKeyConstraint(['policy_id'], ['insurance_policies.id'], name=op.f('fk_insurance_visits_policy_id_insurance_policies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_insurance_visits_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_insurance_visits'))
    )
    with op.batch_alter_table('insurance_visits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_insurance_visits_policy_id'), ['policy_id'], unique=False)
        batch_op.create_index('ix_insurance_visits_project_date', ['project_id', 'visit_date'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('insurance_visits', schema=None) as batch_op:
        batch_op.drop_index('ix_insurance_visits_project_date')
        batch_op.drop_index(batch_op.f('ix_insurance_visits_policy_id'))

    op.drop_table('insurance_visits')
    with op.batch_alter_table('insurance_claims', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_insurance_claims_policy_id'))

    op.drop_table('insurance_claims')
    with op.batch_alter_table('insurance_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_insurance_attachments_policy_id'))
        batch_op.drop_index(batch_op.f('ix_insurance_attachments_blob_id'))

    op.drop_table('insurance_attachments')
    with op.batch_alter_table('insurance_policies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_insurance_policies_status'))
        batch_op.drop_index('ix_insurance_policies_project_start')
        batch_op.drop_index(batch_op.f('ix_insurance_policies_insured_id'))

    op.drop_table('insurance_policies')
