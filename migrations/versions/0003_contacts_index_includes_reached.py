"""the contacts' (citizen, time) index carries `reached` on PostgreSQL

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 05:10:00

Index-only scans for the last successful contact and the board's contact strip. SQLite has no
INCLUDE: there the index stays as it was and this revision changes nothing.
"""
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def _recreate(include: list[str]) -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.drop_index('ix_contacts_citizen_occurred', table_name='contacts')
    op.create_index('ix_contacts_citizen_occurred', 'contacts', ['citizen_id', 'occurred_at'], unique=False,
                    postgresql_include=include)


def upgrade() -> None:
    _recreate(['reached'])


def downgrade() -> None:
    _recreate([])
