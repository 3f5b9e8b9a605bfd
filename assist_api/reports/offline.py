"""Report rows from import-format tables, without a store: for studies and benches.

The coverage study replicates small simulated worlds hundreds of times; importing each
into a database would only measure the importer. This builds exactly the rows
`reports.data.load_frame` derives (same derivation code), from an `interactions` and an
`outcomes` table as the simulator writes them, for worlds that had no live decisions.
"""

import pandas as pd

from assist_api.reports import data


def frame_from_tables(interactions: pd.DataFrame, outcomes: pd.DataFrame) -> pd.DataFrame:
    """One derived report row per interaction (outcomes joined by interaction_id)."""
    raw = interactions[list(data.INTERACTION_COLUMNS)].merge(
        outcomes[["interaction_id", *data.OUTCOME_COLUMNS]], on="interaction_id", how="left"
    )
    raw["decision_sequence"] = None
    raw["score"] = None
    raw["top_card_id"] = None
    raw["routing_holdout"] = None
    return data.derive(raw)
