"""learning loop: decision-time inputs, the exploration policy, test traffic

Revision ID: 0005
Revises: 0006
Create Date: 2026-12-02 03:00:00

decisions gain `inputs` (the feature row scored), `as_of` (time-varying inputs at the
decision), `policy` (arm and the probability of each eligible card being shown first)
and `test`; interactions and api_keys gain `test`. All nullable or defaulted, added in
place (no table rebuild), so old rows stay valid: a decision without a policy is simply
not used by off-policy evaluation, and a row without `test` counts as real.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0006"
branch_labels = None
depends_on = None

DECISION_COLUMNS = (("inputs", sa.JSON()), ("as_of", sa.JSON()), ("policy", sa.JSON()))
TEST_TABLES = ("decisions", "interactions", "api_keys")


def upgrade():
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        for name, kind in DECISION_COLUMNS:
            batch_op.add_column(sa.Column(name, kind, nullable=True))
    for table in TEST_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("test", sa.Boolean(), nullable=False, server_default=sa.false())
            )


def downgrade():
    for table in reversed(TEST_TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("test")
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        for name, _ in reversed(DECISION_COLUMNS):
            batch_op.drop_column(name)
