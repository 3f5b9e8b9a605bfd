"""hardening: keys bound to an agent or team, interaction owners, outcome event times

Revision ID: 0004
Revises: 0005
Create Date: 2026-12-02 02:30:00

- `api_keys.agent_id`, `api_keys.team`: an agent key may be bound to one agent or one
  team (a pool id); the authorization layer lets it touch only that agent's or team's
  interactions (plus the ones it created).
- `interactions.owner_key_id`: the key whose /v1/assist call created the interaction, so
  an unbound agent key can be held to its own interactions.
- `outcome_events.event_at`: when the outcome happened (the client's `observed_at`, else
  the time it was received); the latest event time wins, so a late retry of an old value
  cannot overwrite a correction. Old rows keep NULL and count as of `received_at`.
All columns are nullable: rows written before stay valid.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("api_keys") as batch:
        batch.add_column(sa.Column("agent_id", sa.String(length=128), nullable=True))
        batch.add_column(sa.Column("team", sa.String(length=128), nullable=True))
    with op.batch_alter_table("interactions") as batch:
        batch.add_column(sa.Column("owner_key_id", sa.String(length=32), nullable=True))
    with op.batch_alter_table("outcome_events") as batch:
        batch.add_column(sa.Column("event_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("outcome_events") as batch:
        batch.drop_column("event_at")
    with op.batch_alter_table("interactions") as batch:
        batch.drop_column("owner_key_id")
    with op.batch_alter_table("api_keys") as batch:
        batch.drop_column("team")
        batch.drop_column("agent_id")
