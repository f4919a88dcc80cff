"""audit_chain_head(): the hash chain's lock and last hash in one call on PostgreSQL

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 08:00:00

Every audited request took the chain's advisory lock and then read the last hash, two round trips;
the function does both (server/audit/models.py says why it must be a function). The function's
text is written out here as it stands at this revision, as migrations should not change with the
models. SQLite needs no lock: there this revision changes nothing.
"""
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

CHAIN_HEAD_FUNCTION = """CREATE OR REPLACE FUNCTION audit_chain_head() RETURNS varchar
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(7340501);
    RETURN (SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1);
END
$$"""


def upgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(CHAIN_HEAD_FUNCTION)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP FUNCTION IF EXISTS audit_chain_head()')
