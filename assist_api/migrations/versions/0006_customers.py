"""customers: profiles as point-in-time versions, utterance streams, stream guidance

Revision ID: 0006
Revises: 0011
Create Date: 2026-12-02 03:00:00

A desk may now send only the customer's id: the CRM attributes come from the profile
valid at decision time, or stay unknown, so an interaction's snapshot may lack them
(the columns become nullable; existing rows keep their values). Each decision records
the profile version it used.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0011"
branch_labels = None
depends_on = None

CUSTOMER_COLUMNS = (
    ("days_since_purchase", sa.Integer()),
    ("persona", sa.String(64)),
    ("plan_tier", sa.String(64)),
    ("products_owned", sa.Integer()),
    ("feature_adoption", sa.Float()),
    ("prior_contacts_90d", sa.Integer()),
    ("clv", sa.Float()),
    ("switching_effort", sa.String(8)),
)


def upgrade():
    op.create_table(
        "customer_profiles",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("customer_id", sa.String(128), nullable=False),
        sa.Column("as_of", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        *(sa.Column(name, kind, nullable=True) for name, kind in CUSTOMER_COLUMNS),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("customer_id", "as_of"),
    )
    op.create_table(
        "utterances",
        sa.Column("interaction_id", sa.String(128), primary_key=True),
        sa.Column("utterance_id", sa.String(200), primary_key=True),
        sa.Column("speaker", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("is_final", sa.Boolean(), nullable=False),
        sa.Column("offset_ms", sa.BigInteger(), nullable=False),
        sa.Column("language", sa.String(35), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "interaction_guidance",
        sa.Column("interaction_id", sa.String(128), primary_key=True),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("answer", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("profile_version", sa.Integer(), nullable=True))
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        for name, kind in CUSTOMER_COLUMNS:
            batch_op.alter_column(name, existing_type=kind, nullable=True)


def downgrade():
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        for name, kind in CUSTOMER_COLUMNS:
            batch_op.alter_column(name, existing_type=kind, nullable=False)
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_column("profile_version")
    op.drop_table("interaction_guidance")
    op.drop_table("utterances")
    op.drop_table("customer_profiles")
