"""The store's interactions and outcomes as typed import-format frames, for training.

Training code never touches the database: this service reads it and hands over the same
frames `--from D` would produce from files. The attempted activity is the logged
`activity_attempted`, or else the activity prefix of the outcome's `card_id_used`
(cards are named `<activity>.<slug>`), so outcomes posted by the agent desktop label the
interaction even when the import did not say which activity was tried.

A live interaction's row holds whatever its last /v1/assist call sent — often the
customer's reaction to the card. Its training row is rebuilt as of the decision the card
came from (learning.snapshots.training_decision): that decision's contact reason,
sentiment and elapsed time, and the transcript cut to the lines known then. Test
traffic is left out.
"""

from collections import defaultdict

import numpy as np
import pandas as pd
from sqlalchemy import select

from assist_api.services.customers.point_in_time import fill_from_profiles, profile_frame
from assist_api.services.learning.snapshots import (
    AS_OF_FIELDS,
    training_decision,
    transcript_as_of,
)
from assist_api.services.test_traffic import real_only
from assist_api.store.store import Store
from assist_api.store.tables import Decision, Interaction, Outcome, OutcomeEvent
from features.columns import INTERACTION_COLUMN_NAMES, OUTCOME_COLUMN_NAMES
from training.dataset import attempted_activity, normalise_types


def _rows(store: Store, statement) -> list:
    with store.engine.connect() as connection:
        return connection.execute(statement).all()


def _frame(store: Store, table, columns: tuple[str, ...]) -> pd.DataFrame:
    """The columns of `table` for real (not test) interactions."""
    statement = select(*(getattr(table, name) for name in columns))
    if table is not Interaction:
        statement = statement.join(Interaction, Interaction.interaction_id == table.interaction_id)
    rows = _rows(store, statement.where(real_only(Interaction)))
    return pd.DataFrame([tuple(r) for r in rows], columns=list(columns))


def decision_time_values(store: Store, card_used: dict[str, str]) -> dict[str, dict]:
    """interaction id -> the `as_of` of the decision its training row is built from."""
    decisions = defaultdict(list)
    statement = (
        select(Decision.interaction_id, Decision.created_at, Decision.cards, Decision.as_of)
        .where(Decision.as_of.is_not(None), real_only(Decision))
        .order_by(Decision.interaction_id, Decision.sequence)
    )
    for interaction_id, created_at, cards, values in _rows(store, statement):
        decisions[interaction_id].append(
            {"created_at": created_at, "cards": cards, "as_of": values}
        )
    first_post, card_named = {}, {}
    events = select(OutcomeEvent.interaction_id, OutcomeEvent.received_at, OutcomeEvent.payload)
    for interaction_id, received_at, payload in _rows(store, events.order_by(OutcomeEvent.id)):
        if interaction_id not in decisions:
            continue
        first_post.setdefault(interaction_id, received_at)
        if payload.get("card_id_used") == card_used.get(interaction_id):
            card_named.setdefault(interaction_id, received_at)
    out = {}
    for interaction_id, rows in decisions.items():
        chosen = training_decision(
            rows,
            card_used.get(interaction_id),
            card_named.get(interaction_id),
            first_post.get(interaction_id),
        )
        out[interaction_id] = chosen["as_of"]
    return out


def apply_decision_time(interactions: pd.DataFrame, values: dict[str, dict]) -> pd.DataFrame:
    """Interaction rows with their time-varying columns as of the chosen decision."""
    out = interactions.copy()
    for index, interaction_id in out["interaction_id"].items():
        found = values.get(interaction_id)
        if found is None:
            continue
        for name in AS_OF_FIELDS:
            value = found.get(name)
            out.at[index, name] = np.nan if value is None and name != "contact_reason" else value
        out.at[index, "transcript"] = transcript_as_of(
            out.at[index, "transcript"], found.get("transcript_lines")
        )
    return out


def load_import_frames(store: Store) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(interactions, outcomes) with plain dtypes: numbers float, text object, UTC times."""
    interactions = _frame(store, Interaction, INTERACTION_COLUMN_NAMES)
    outcomes = _frame(store, Outcome, OUTCOME_COLUMN_NAMES)
    used = outcomes.dropna(subset=["card_id_used"])
    card_used = dict(zip(used["interaction_id"], used["card_id_used"], strict=True))
    interactions = apply_decision_time(interactions, decision_time_values(store, card_used))
    interactions = normalise_types(interactions)
    # fields the decision did not know come from the profile valid then, never a later one
    interactions = normalise_types(fill_from_profiles(interactions, profile_frame(store)))
    outcomes = normalise_types(outcomes)
    cards = interactions[["interaction_id"]].merge(
        outcomes[["interaction_id", "card_id_used"]], on="interaction_id", how="left"
    )["card_id_used"]
    interactions["activity_attempted"] = attempted_activity(
        interactions["activity_attempted"], cards
    ).to_numpy(dtype=object)
    return interactions, outcomes
