"""activity skill: each agent's measured skill per activity; the agent on each decision

Revision ID: 0011
Revises: 0007
Create Date: 2026-12-02 03:10:00

`value-assist routing skill --by-activity` writes `agents.skill_by_activity`
({activity: {attempts, skill, low, high, rated}}); the router and agent-aware card
ranking read it. `decisions.agent_id` is the agent the answer was ranked for.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("agents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("skill_by_activity", sa.JSON(), nullable=True))
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("agent_id", sa.String(128), nullable=True))


def downgrade():
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_column("agent_id")
    with op.batch_alter_table("agents", schema=None) as batch_op:
        batch_op.drop_column("skill_by_activity")
