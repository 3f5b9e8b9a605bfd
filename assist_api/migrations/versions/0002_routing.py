"""routing: each agent's measured value-enhancement skill

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 10:00:00

`value-assist routing skill` writes the estimate here; the router reads pool skill from it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

COLUMNS = (
    ("skill_attempts", sa.Integer()),
    ("skill_successes", sa.Integer()),
    ("skill_expected", sa.Float()),
    ("skill_information", sa.Float()),
    ("skill_estimate", sa.Float()),
    ("skill_low", sa.Float()),
    ("skill_high", sa.Float()),
    ("skill_estimated_at", sa.DateTime(timezone=True)),
)


def upgrade():
    with op.batch_alter_table("agents", schema=None) as batch_op:
        for name, kind in COLUMNS:
            batch_op.add_column(sa.Column(name, kind, nullable=True))


def downgrade():
    with op.batch_alter_table("agents", schema=None) as batch_op:
        for name, _ in reversed(COLUMNS):
            batch_op.drop_column(name)
