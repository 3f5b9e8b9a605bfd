"""decisions: drop the index the (interaction_id, sequence) constraint already provides

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 21:30:00

Every lookup by interaction (the previous decision, the cards already shown) uses the
unique (interaction_id, sequence) index's prefix; the single-column index only made each
/v1/assist decision write maintain one more b-tree.
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index("ix_decisions_interaction_id", table_name="decisions")


def downgrade():
    op.create_index("ix_decisions_interaction_id", "decisions", ["interaction_id"])
