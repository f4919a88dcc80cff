"""the contacts' (citizen, time) index carries `reached` on PostgreSQL

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 05:10:00

Index-only scans for the last successful contact and the board's contact strip. SQLite has no
INCLUDE: there the index stays as it was and this revision changes nothing.

On PostgreSQL the new index is built CONCURRENTLY beside the old one, which is then dropped
concurrently and the new one renamed: contacts is the largest and most written table, and a plain
CREATE INDEX would block every recorded visit for the length of the build.
"""
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

NAME = 'ix_contacts_citizen_occurred'
BUILDING = 'ix_contacts_citizen_occurred_new'


def _rebuild(include: list[str]) -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    with op.get_context().autocommit_block():
        op.execute(f'DROP INDEX CONCURRENTLY IF EXISTS {BUILDING}')  # left by an interrupted build
        op.create_index(BUILDING, 'contacts', ['citizen_id', 'occurred_at'], unique=False,
                        postgresql_include=include, postgresql_concurrently=True)
        op.drop_index(NAME, table_name='contacts', postgresql_concurrently=True)
        op.execute(f'ALTER INDEX {BUILDING} RENAME TO {NAME}')


def upgrade() -> None:
    _rebuild(['reached'])


def downgrade() -> None:
    _rebuild([])
