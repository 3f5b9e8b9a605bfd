"""shadow-report's figures on a hand-built case: agreement, and IPS/SNIPS/DR of the
challenger and the champion on the decisions where they differed."""

from types import SimpleNamespace

import pytest

from assist_api.services.learning.evaluation import LoggedDecision
from assist_api.services.learning.shadow_report import render_text, summarize

ELIGIBLE = [["educate_usage.a", 1.0, 0.9], ["advise_new_features.b", 1.0, 0.1]]


def row(decision_id, top, champion_top="educate_usage.a"):
    return SimpleNamespace(
        decision_id=decision_id,
        challenger_version="2",
        champion_version="1",
        top_card_id=top,
        champion_top_card_id=champion_top,
    )


def logged(decision_id, shown, reward, customer=None):
    return LoggedDecision(
        interaction_id=f"i-{decision_id}",
        customer_id=customer or f"c-{decision_id}",
        eligible=ELIGIBLE,
        shown_first=shown,
        reward=reward,
        activity_scores=None,  # the reward model falls back to the mean reward
        inputs=None,
        decision_id=decision_id,
    )


# four decisions where the challenger (advise_new_features.b) and the champion
# (educate_usage.a) differ,
# two where they agree (no outcome yet), one outcome with no shadow row (not counted)
ROWS = [row(f"d{k}", "advise_new_features.b") for k in range(1, 5)] + [
    row("d5", "educate_usage.a"),
    row("d6", "educate_usage.a"),
]
DECISIONS = [
    logged("d1", "advise_new_features.b", 1.0),  # explored: the challenger's card, success
    logged("d2", "educate_usage.a", 0.0),
    logged("d3", "educate_usage.a", 1.0),
    logged("d4", "advise_new_features.b", 0.0),  # explored, failure
    logged("d9", "advise_new_features.b", 1.0),  # never shadowed
]


def test_agreement_and_off_policy_figures_match_the_hand_computed_ones():
    report = summarize(ROWS, DECISIONS, "2", min_ess=1.0, draws=200)
    assert (report["shadowed"], report["agreed"]) == (6, 2)
    assert report["agreement"] == pytest.approx(2 / 6)
    assert report["with_outcomes"] == 4 and report["differed"]["n_decisions"] == 4
    assert report["differed"]["logged"]["value"] == pytest.approx(0.5)

    challenger = report["differed"]["challenger"]
    # weights 1/0.1 = 10 where advise_new_features.b was shown (d1, d4), else 0
    assert challenger["estimates"]["ips"]["value"] == pytest.approx((10 * 1 + 10 * 0) / 4)
    assert challenger["estimates"]["snips"]["value"] == pytest.approx(10 / 20)
    # q_hat = mean reward 0.5: DR = 0.5 + mean(w (r - 0.5)) = 0.5 + (5 - 5) / 4
    assert challenger["estimates"]["dr"]["value"] == pytest.approx(0.5)
    assert challenger["ess"] == pytest.approx(20**2 / 200)
    champion = report["differed"]["champion"]
    w = 1 / 0.9  # where educate_usage.a was shown (d2, d3)
    assert champion["estimates"]["ips"]["value"] == pytest.approx(w / 4)
    assert champion["estimates"]["snips"]["value"] == pytest.approx(0.5)
    assert champion["ess"] == pytest.approx(2.0)
    assert any("challenger" in line and "ips" in line for line in render_text(report))


def test_thin_support_is_refused_but_agreement_still_shown():
    report = summarize(ROWS, DECISIONS, "2", min_ess=30.0, draws=200)
    assert report["agreement"] == pytest.approx(2 / 6)
    assert "effective sample size" in report["differed"]["refused"]
    assert "challenger" not in report["differed"]
    assert any("refused" in line for line in render_text(report))


def test_rows_of_another_challenger_are_left_out():
    report = summarize(
        [*ROWS, row("d9", "advise_new_features.b")][:-1]
        + [
            SimpleNamespace(
                **{**vars(row("d9", "advise_new_features.b")), "challenger_version": "3"}
            )
        ],
        DECISIONS,
        "2",
        min_ess=1.0,
        draws=100,
    )
    assert report["shadowed"] == 6 and report["with_outcomes"] == 4
