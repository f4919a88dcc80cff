"""push subscriptions belong to the log-in that made them

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 00:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing subscriptions keep no log-in (NULL): they end with the user's passkeys or account.
    with op.batch_alter_table('push_subscriptions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('login_session_id', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_push_subscriptions_login_session_id'), ['login_session_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_push_subscriptions_login_session_id_login_sessions'),
                                    'login_sessions', ['login_session_id'], ['id'], ondelete='CASCADE')


def downgrade() -> None:
    with op.batch_alter_table('push_subscriptions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_push_subscriptions_login_session_id_login_sessions'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_push_subscriptions_login_session_id'))
        batch_op.drop_column('login_session_id')
