"""The outreach list: one row per customer, the card /v1/assist would rank first, and the
control group left alone."""

import random

import numpy as np
import pandas as pd
import pytest

from assist_api.services.holdout import in_control_group
from assist_api.services.playbooks.outreach import best_cards, outreach_rows
from features.vocabulary import ACTIVITIES
from prompts_playbooks.context import context_from_record
from prompts_playbooks.loader import load_cards
from tests.helpers.ranking import ranked_cards
from training.batch_score import BatchScoreError, latest_per_customer

SALT = "test-salt"


def varied_rows(count: int, seed: int = 0) -> pd.DataFrame:
    """Rows over every value the starter cards' rules look at, as CSV strings."""
    pick = random.Random(seed).choice
    rows = []
    for i in range(count):
        rows.append(
            {
                "customer_id": f"c-{i}",
                "channel": pick(["phone", "chat", "email", "chatbot", "self_service", "sms"]),
                "language": pick(["ja", "en", "en-US", "fr"]),
                "contact_reason": pick(["", "how_to", "complaint", "inquiry", "billing"]),
                "customer_sentiment": pick(["", "-0.8", "-0.2", "0", "0.5"]),
                "days_since_purchase": pick(["0", "3", "7", "14", "30", "45", "90", "400"]),
                "persona": pick(["novice", "professional", "casual", "power_user"]),
                "plan_tier": pick(["basic", "standard", "premium", "enterprise"]),
                "products_owned": pick(["0", "1", "2", "3", "5"]),
                "feature_adoption": pick(["0", "0.1", "0.3", "0.5", "0.7", "0.9", "1"]),
            }
        )
    return pd.DataFrame(rows)


def desk_first_card(row: dict, probabilities: np.ndarray, cards) -> str:
    """What /v1/assist would show first for this row (the per-request path)."""
    record = {k: v for k, v in row.items() if v != ""}
    ranked = ranked_cards(
        cards,
        context_from_record(record),
        dict(zip(ACTIVITIES, probabilities.tolist(), strict=True)),
        limit=1,
    )
    return ranked[0]["card_id"] if ranked else ""


def test_best_card_is_the_card_the_desk_would_rank_first():
    cards = load_cards()
    frame = varied_rows(600)
    probabilities = np.random.default_rng(1).uniform(0.05, 0.9, size=(len(frame), 5))
    got = best_cards(frame, probabilities, cards)
    expected = [
        desk_first_card(row, probabilities[i], cards)
        for i, row in enumerate(frame.to_dict("records"))
    ]
    assert list(got) == expected
    assert 0 < sum(card == "" for card in expected) < len(expected)  # both cases covered


def test_rows_alike_but_for_their_numbers_get_each_their_own_card():
    """Grouping must not merge rows on either side of a card's threshold (or on it)."""
    cards = load_cards()
    pick = random.Random(3).choice
    frame = varied_rows(800, seed=3).assign(
        channel="chat", language="en", persona="novice", plan_tier="standard"
    )
    frame["contact_reason"] = [pick(["how_to", "inquiry"]) for _ in range(len(frame))]
    frame["days_since_purchase"] = [
        pick(["6", "7", "8", "29", "30", "31", "90", "91"]) for _ in frame.index
    ]
    frame["feature_adoption"] = [
        pick(["0.29", "0.3", "0.31", "0.5", "0.6", "0.61"]) for _ in frame.index
    ]
    frame["customer_sentiment"] = [
        pick(["", "-0.21", "-0.2", "0", "0.3", "0.31"]) for _ in frame.index
    ]
    probabilities = np.random.default_rng(4).uniform(0.05, 0.9, size=(len(frame), 5))
    got = best_cards(frame, probabilities, cards)
    expected = [
        desk_first_card(row, probabilities[i], cards)
        for i, row in enumerate(frame.to_dict("records"))
    ]
    assert list(got) == expected


def test_a_row_missing_a_field_the_rules_need_gets_no_card():
    frame = varied_rows(3).assign(persona=["", "novice", "novice"])
    got = best_cards(frame, np.full((3, 5), 0.5), load_cards())
    assert got[0] == ""


def test_the_control_group_gets_no_card_and_no_outreach_unless_asked():
    frame = varied_rows(400, seed=2).assign(contact_reason="how_to", channel="phone")
    probabilities = np.full((len(frame), 5), 0.5)
    out = outreach_rows(frame, probabilities, load_cards(), salt=SALT, rate=0.3)
    held = [in_control_group(c, SALT, 0.3) for c in frame["customer_id"]]
    assert out["control_group"].tolist() == held
    assert 50 < sum(held) < 200
    assert (out.loc[out["control_group"], "best_card"] == "").all()
    assert not out.loc[out["control_group"], "outreach"].any()
    offered = out.loc[~out["control_group"]]
    assert (offered["outreach"] == (offered["best_card"] != "")).all()
    included = outreach_rows(
        frame, probabilities, load_cards(), salt=SALT, rate=0.3, include_control_group=True
    )
    assert included.loc[included["control_group"], "outreach"].any()


@pytest.mark.parametrize("column", ["started_at", "as_of"])
def test_each_customer_keeps_only_their_latest_row(column):
    frame = pd.DataFrame(
        {
            "customer_id": ["c-1", "c-2", "c-1", "c-1", "c-2"],
            column: [
                "2026-03-02T10:00:00+00:00",
                "2026-03-01T10:00:00+00:00",
                "2026-03-04T15:00:00+09:00",  # 06:00 UTC: earlier, though its text sorts later
                "2026-03-04T10:00:00+00:00",
                "2026-02-01T10:00:00+00:00",
            ],
            "persona": ["a", "b", "c", "d", "e"],
        }
    )
    latest = latest_per_customer(frame)
    assert dict(zip(latest["customer_id"], latest["persona"], strict=True)) == {
        "c-1": "d",
        "c-2": "b",
    }


def test_without_a_time_column_the_last_row_of_a_customer_wins():
    frame = pd.DataFrame({"customer_id": ["c-1", "c-1", "c-2"], "persona": ["a", "b", "c"]})
    assert latest_per_customer(frame)["persona"].tolist() == ["b", "c"]


def test_a_file_without_customer_ids_is_refused_by_name():
    with pytest.raises(BatchScoreError, match="customer_id"):
        latest_per_customer(pd.DataFrame({"persona": ["a"]}))
