"""shadow challengers: the shadow setting and each decision's challenger top card

Revision ID: 0012
Revises: 0004
Create Date: 2026-12-02 12:00:00

`value-assist models shadow VERSION` appends a `shadow_settings` row (version NULL:
`--off`); every worker scores that version on each /v1/assist decision off the answer's
path and writes its would-be top card to `shadow_decisions`, read by `models
shadow-report`. New tables only: nothing written before changes.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "shadow_settings",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("model_name", sa.String(128), nullable=False),
        sa.Column("version", sa.String(32), nullable=True),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "shadow_decisions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("decision_id", sa.String(64), nullable=False),
        sa.Column("interaction_id", sa.String(128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("challenger_version", sa.String(32), nullable=False),
        sa.Column("champion_version", sa.String(32), nullable=True),
        sa.Column("top_card_id", sa.String(200), nullable=False),
        sa.Column("champion_top_card_id", sa.String(200), nullable=True),
        sa.Column("activity_scores", sa.JSON(), nullable=False),
        sa.Column("test", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_shadow_decisions_decision_id", "shadow_decisions", ["decision_id"])
    op.create_index(
        "ix_shadow_decisions_version_created_at",
        "shadow_decisions",
        ["challenger_version", "created_at"],
    )


def downgrade():
    op.drop_index("ix_shadow_decisions_version_created_at", "shadow_decisions")
    op.drop_index("ix_shadow_decisions_decision_id", "shadow_decisions")
    op.drop_table("shadow_decisions")
    op.drop_table("shadow_settings")
