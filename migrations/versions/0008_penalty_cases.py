"""penalty_cases: administrative-penalty cases and their stages (issue 6)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import station_app.db.base

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('penalty_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('stage', sa.String(length=10), nullable=False),
    sa.Column('stage_on', sa.Date(), nullable=False),
    sa.Column('cause', sa.String(length=300), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('source_note', sa.String(length=300), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('inspection_id', sa.Integer(), nullable=True),
    sa.Column('hazard_id', sa.Integer(), nullable=True),
    sa.Column('accident_note', sa.String(length=300), nullable=False),
    sa.Column('party_kind', sa.String(length=4), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('party_name', sa.String(length=120), nullable=False),
    sa.Column('party_code', sa.String(length=18), nullable=False),
    sa.Column('party_address', sa.String(length=200), nullable=False),
    sa.Column('party_legal_rep', sa.String(length=50), nullable=False),
    sa.Column('facts', sa.Text(), nullable=False),
    sa.Column('evidence_summary', sa.Text(), nullable=False),
    sa.Column('handlers', sa.String(length=100), nullable=False),
    sa.Column('violation_code', sa.String(length=30), nullable=True),
    sa.Column('proposed_fine_fen', sa.BigInteger(), nullable=True),
    sa.Column('base_amount_fen', sa.BigInteger(), nullable=True),
    sa.Column('other_measures', sa.String(length=200), nullable=False),
    sa.Column('factors', sa.String(length=40), nullable=False),
    sa.Column('factor_note', sa.Text(), nullable=False),
    sa.Column('in_range', sa.Boolean(), nullable=False),
    sa.Column('range_approved_by_id', sa.Integer(), nullable=True),
    sa.Column('range_approved_by_name', sa.String(length=50), nullable=False),
    sa.Column('range_approval_reason', sa.Text(), nullable=False),
    sa.Column('hearing_eligible', sa.Boolean(), nullable=False),
    sa.Column('hearing_requested', sa.Boolean(), nullable=False),
    sa.Column('serious', sa.Boolean(), nullable=False),
    sa.Column('clue_on', sa.Date(), nullable=False),
    sa.Column('filed_on', sa.Date(), nullable=True),
    sa.Column('case_deadline', sa.Date(), nullable=True),
    sa.Column('extended_by_name', sa.String(length=50), nullable=False),
    sa.Column('extension_reason', sa.Text(), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('decided_fine_fen', sa.BigInteger(), nullable=True),
    sa.Column('served_on', sa.Date(), nullable=True),
    sa.Column('payment_due', sa.Date(), nullable=True),
    sa.Column('paid_fen', sa.BigInteger(), nullable=False),
    sa.Column('last_paid_on', sa.Date(), nullable=True),
    sa.Column('surcharge_fen', sa.BigInteger(), nullable=False),
    sa.Column('paid_in_full_on', sa.Date(), nullable=True),
    sa.Column('reminded_on', sa.Date(), nullable=True),
    sa.Column('enforcement_applied_on', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('archived_on', sa.Date(), nullable=True),
    sa.Column('archive_no', sa.String(length=40), nullable=False),
    sa.Column('zero_penalty_flag', sa.Boolean(), nullable=False),
    sa.Column('search_key', sa.Text(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', station_app.db.base.LocalDateTime(), nullable=False),
    sa.Column('updated_at', station_app.db.base.LocalDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_penalty_cases_created_by_users')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_penalty_cases_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['hazard_id'], ['hazards.id'], name=op.f('fk_penalty_cases_hazard_id_hazards'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspections.id'], name=op.f('fk_penalty_cases_inspection_id_inspections'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_penalty_cases_person_id_persons'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_penalty_cases_project_id_projects'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['range_approved_by_id'], ['users.id'], name=op.f('fk_penalty_cases_range_approved_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_penalty_cases')),
    sa.UniqueConstraint('code', name=op.f('uq_penalty_cases_code'))
    )
    op.create_index('ix_penalty_cases_clue_on', 'penalty_cases', ['clue_on'], unique=False)
    op.create_index('ix_penalty_cases_enterprise', 'penalty_cases', ['enterprise_id'], unique=False)
    op.create_index('ix_penalty_cases_project', 'penalty_cases', ['project_id'], unique=False)
    op.create_index('ix_penalty_cases_stage', 'penalty_cases', ['stage'], unique=False)
    op.create_table('penalty_case_stages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=10), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('at', station_app.db.base.LocalDateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sa.String(length=50), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_penalty_case_stages_actor_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['penalty_cases.id'], name=op.f('fk_penalty_case_stages_case_id_penalty_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_penalty_case_stages'))
    )
    op.create_index(op.f('ix_penalty_case_stages_case_id'), 'penalty_case_stages', ['case_id'], unique=False)
    op.create_table('penalty_case_clocks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=30), nullable=False),
    sa.Column('label', sa.String(length=40), nullable=False),
    sa.Column('owner', sa.String(length=4), nullable=False),
    sa.Column('start', sa.Date(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('basis', sa.String(length=200), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('provisional', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['penalty_cases.id'], name=op.f('fk_penalty_case_clocks_case_id_penalty_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_penalty_case_clocks')),
    sa.UniqueConstraint('case_id', 'step', name=op.f('uq_penalty_case_clocks_case_id_step'))
    )
    op.create_index(op.f('ix_penalty_case_clocks_case_id'), 'penalty_case_clocks', ['case_id'], unique=False)
    op.create_index('ix_penalty_case_clocks_open', 'penalty_case_clocks', ['done_on', 'deadline'], unique=False)
    op.create_table('penalty_case_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('person_name', sa.String(length=50), nullable=False),
    sa.Column('post', sa.String(length=20), nullable=False),
    sa.Column('outcome', sa.String(length=6), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('decided_by_name', sa.String(length=50), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['penalty_cases.id'], name=op.f('fk_penalty_case_reviews_case_id_penalty_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_penalty_case_reviews_person_id_persons'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_penalty_case_reviews'))
    )
    op.create_index(op.f('ix_penalty_case_reviews_case_id'), 'penalty_case_reviews', ['case_id'], unique=False)
    op.create_table('penalty_case_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('blob_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('original_name', sa.String(length=200), nullable=False),
    sa.Column('caption', sa.String(length=200), nullable=False),
    sa.Column('added_at', station_app.db.base.LocalDateTime(), nullable=False),
    sa.Column('added_by_name', sa.String(length=50), nullable=False),
    sa.ForeignKeyConstraint(['blob_id'], ['attachment_blobs.id'], name=op.f('fk_penalty_case_evidence_blob_id_attachment_blobs')),
    sa.ForeignKeyConstraint(['case_id'], ['penalty_cases.id'], name=op.f('fk_penalty_case_evidence_case_id_penalty_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_penalty_case_evidence')),
    sa.UniqueConstraint('case_id', 'blob_id', name=op.f('uq_penalty_case_evidence_case_id_blob_id'))
    )
    op.create_index(op.f('ix_penalty_case_evidence_blob_id'), 'penalty_case_evidence', ['blob_id'], unique=False)
    op.create_index(op.f('ix_penalty_case_evidence_case_id'), 'penalty_case_evidence', ['case_id'], unique=False)
    op.create_table('case_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=10), nullable=False),
    sa.Column('doc_type', sa.String(length=30), nullable=False),
    sa.Column('doc_number', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['penalty_cases.id'], name=op.f('fk_case_documents_case_id_penalty_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['document_id'], ['issued_documents.id'], name=op.f('fk_case_documents_document_id_issued_documents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_documents')),
    sa.UniqueConstraint('document_id', name=op.f('uq_case_documents_document_id'))
    )
    op.create_index(op.f('ix_case_documents_case_id'), 'case_documents', ['case_id'], unique=False)


def downgrade() -> None:
    # dropping a table drops its indexes
    op.drop_table('case_documents')
    op.drop_table('penalty_case_evidence')
    op.drop_table('penalty_case_reviews')
    op.drop_table('penalty_case_clocks')
    op.drop_table('penalty_case_stages')
    op.drop_table('penalty_cases')
