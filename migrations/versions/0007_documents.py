"""documents: enforcement documents: numbering, issued files, voids (issue 6)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import station_app.db.base  # noqa: F401

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('document_serials',
    sa.Column('doc_type', sa.String(length=30), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_serial', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('doc_type', 'year', name=op.f('pk_document_serials'))
    )
    op.create_table('issued_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('doc_type', sa.String(length=30), nullable=False),
    sa.Column('number', sa.String(length=80), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('serial', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=4), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('inspection_id', sa.Integer(), nullable=True),
    sa.Column('addressee', sa.String(length=200), nullable=False),
    sa.Column('signer_name', sa.String(length=50), nullable=False),
    sa.Column('issue_date', sa.Date(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('issued_by_name', sa.String(length=50), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('context_json', sa.Text(), nullable=False),
    sa.Column('template_sha256', sa.String(length=64), nullable=False),
    sa.Column('template_source', sa.String(length=10), nullable=False),
    sa.Column('void_reason', sa.Text(), nullable=False),
    sa.Column('voided_by_id', sa.Integer(), nullable=True),
    sa.Column('voided_by_name', sa.String(length=50), nullable=False),
    sa.Column('voided_at', station_app.db.base.LocalDateTime(), nullable=True),
    sa.Column('search_key', sa.Text(), nullable=False),
    sa.Column('created_at', station_app.db.base.LocalDateTime(), nullable=False),
    sa.Column('updated_at', station_app.db.base.LocalDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspections.id'], name=op.f('fk_issued_documents_inspection_id_inspections'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_issued_documents_issued_by_id_users')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_issued_documents_project_id_projects')),
    sa.ForeignKeyConstraint(['voided_by_id'], ['users.id'], name=op.f('fk_issued_documents_voided_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_issued_documents')),
    sa.UniqueConstraint('doc_type', 'year', 'serial', name=op.f('uq_issued_documents_doc_type_year_serial')),
    sa.UniqueConstraint('number', name=op.f('uq_issued_documents_number'))
    )
    op.create_index('ix_issued_documents_inspection', 'issued_documents', ['inspection_id'], unique=False)
    op.create_index('ix_issued_documents_issue_date', 'issued_documents', ['issue_date'], unique=False)
    op.create_index('ix_issued_documents_project', 'issued_documents', ['project_id'], unique=False)
    op.create_index('ix_issued_documents_type_year', 'issued_documents', ['doc_type', 'year'], unique=False)
    op.create_table('document_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('blob_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('evidence_code', sa.String(length=20), nullable=False),
    sa.Column('sha256_prefix', sa.String(length=16), nullable=False),
    sa.Column('caption', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['blob_id'], ['attachment_blobs.id'], name=op.f('fk_document_evidence_blob_id_attachment_blobs')),
    sa.ForeignKeyConstraint(['document_id'], ['issued_documents.id'], name=op.f('fk_document_evidence_document_id_issued_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_evidence')),
    sa.UniqueConstraint('document_id', 'blob_id', name=op.f('uq_document_evidence_document_id_blob_id'))
    )
    op.create_index(op.f('ix_document_evidence_blob_id'), 'document_evidence', ['blob_id'], unique=False)
    op.create_index(op.f('ix_document_evidence_document_id'), 'document_evidence', ['document_id'], unique=False)
    op.create_table('document_hazards',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('hazard_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['issued_documents.id'], name=op.f('fk_document_hazards_document_id_issued_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['hazard_id'], ['hazards.id'], name=op.f('fk_document_hazards_hazard_id_hazards')),
    sa.PrimaryKeyConstraint('document_id', 'hazard_id', name=op.f('pk_document_hazards'))
    )
    op.create_index(op.f('ix_document_hazards_hazard_id'), 'document_hazards', ['hazard_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_document_hazards_hazard_id'), table_name='document_hazards')
    op.drop_table('document_hazards')
    op.drop_index(op.f('ix_document_evidence_document_id'), table_name='document_evidence')
    op.drop_index(op.f('ix_document_evidence_blob_id'), table_name='document_evidence')
    op.drop_table('document_evidence')
    op.drop_index('ix_issued_documents_type_year', table_name='issued_documents')
    op.drop_index('ix_issued_documents_project', table_name='issued_documents')
    op.drop_index('ix_issued_documents_issue_date', table_name='issued_documents')
    op.drop_index('ix_issued_documents_inspection', table_name='issued_documents')
    op.drop_table('issued_documents')
    op.drop_table('document_serials')
