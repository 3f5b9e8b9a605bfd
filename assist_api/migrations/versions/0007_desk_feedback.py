"""card_feedback: the agent's verdict on each card offered (accepted / dismissed, why)

Revision ID: 0007
Revises: 0003
Create Date: 2026-12-02 02:40:00

Every next-best-action product collects this signal: a card the agent dismissed as "not
the moment" says something no outcome survey does. One row per (decision, card): the
agent may change their mind, and the last verdict is the one kept.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "card_feedback",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("decision_id", sa.String(64), nullable=False),
        sa.Column("interaction_id", sa.String(128), nullable=False),
        sa.Column("card_id", sa.String(200), nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(32)),
        sa.Column("note", sa.Text),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("decision_id", "card_id", name="uq_card_feedback_decision_card"),
    )
    op.create_index("ix_card_feedback_created_at", "card_feedback", ["created_at"])


def downgrade():
    op.drop_index("ix_card_feedback_created_at", table_name="card_feedback")
    op.drop_table("card_feedback")
