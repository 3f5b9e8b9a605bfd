"""routing estimates: figures routing measured on the store's own data

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 12:20:00

`value-assist routing retention-gain` writes the retention per VE success measured on the
card control group (ITT retention / ITT VE success, Fieller interval); the router reads it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "routing_estimates",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("ci_low", sa.Float(), nullable=True),
        sa.Column("ci_high", sa.Float(), nullable=True),
        sa.Column("n_offered", sa.Integer(), nullable=False),
        sa.Column("n_control", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("measured_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade():
    op.drop_table("routing_estimates")
