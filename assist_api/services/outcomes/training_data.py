"""The store's interactions and outcomes as typed import-format frames, for training.

Training code never touches the database: this service reads it and hands over the same
frames `--from D` would produce from files. The attempted activity is the logged
`activity_attempted`, or else the activity prefix of the outcome's `card_id_used`
(cards are named `<activity>.<slug>`), so outcomes posted by the agent desktop label the
interaction even when the import did not say which activity was tried.
"""

import pandas as pd
from sqlalchemy import select

from assist_api.services.customers.point_in_time import fill_from_profiles, profile_frame
from assist_api.store.store import Store
from assist_api.store.tables import Interaction, Outcome
from features.columns import INTERACTION_COLUMN_NAMES, OUTCOME_COLUMN_NAMES
from training.dataset import attempted_activity, normalise_types


def _frame(store: Store, table, columns: tuple[str, ...]) -> pd.DataFrame:
    statement = select(*(getattr(table, name) for name in columns))
    with store.engine.connect() as connection:
        rows = connection.execute(statement).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=list(columns))


def load_import_frames(store: Store) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(interactions, outcomes) with plain dtypes: numbers float, text object, UTC times."""
    interactions = normalise_types(_frame(store, Interaction, INTERACTION_COLUMN_NAMES))
    # fields the decision did not know come from the profile valid then, never a later one
    interactions = normalise_types(fill_from_profiles(interactions, profile_frame(store)))
    outcomes = normalise_types(_frame(store, Outcome, OUTCOME_COLUMN_NAMES))
    cards = interactions[["interaction_id"]].merge(
        outcomes[["interaction_id", "card_id_used"]], on="interaction_id", how="left"
    )["card_id_used"]
    interactions["activity_attempted"] = attempted_activity(
        interactions["activity_attempted"], cards
    ).to_numpy(dtype=object)
    return interactions, outcomes
