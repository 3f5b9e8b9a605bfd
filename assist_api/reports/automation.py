"""The automation report: where VE already succeeds often and consistently (step 7).

A situation is an activity x contact reason x channel. Its candidates for self-service or
chatbot delivery are those where attempted VE succeeds reliably (the Wilson interval's
lower end at or above MIN_SUCCESS), held up in both halves of the period, and did so for
several agents — success that does not hinge on one gifted agent is the kind a scripted
channel can repeat. Volumes say how many contacts such a situation covers, i.e. how much
work automating it would move.

With dozens of situations tested at once, "succeeds more often than not" is a one-sided
binomial test of rate > MIN_SUCCESS per situation, Benjamini-Hochberg-corrected over all
situations with enough answers: a candidate needs q < 5 % as well as the Wilson interval's
lower end at MIN_SUCCESS, so the list is not padded with lucky situations.
"""

from datetime import UTC, datetime

import numpy as np
import pandas as pd
from scipy.stats import binomtest

from assist_api.reports import stats
from assist_api.reports.data import ReportQuery, load_frame, period_of
from assist_api.reports.effects import proportion
from assist_api.reports.multiplicity import BH, benjamini_hochberg
from assist_api.store.store import Store
from features.vocabulary import AGENTLESS_CHANNELS

SITUATION = ("activity", "contact_reason", "channel")
MIN_RESPONDENTS = 30
MIN_SUCCESS = 0.5  # lower end of the 95 % interval of the success rate
MIN_HALF_RESPONDENTS = 10
MIN_AGENTS = 3
CANDIDATE = "candidate"
NOTES = (
    "Success rate: VE success among survey respondents where the activity was attempted "
    f"(either group). Candidate: >= {MIN_RESPONDENTS} answers, interval lower end >= "
    f"{MIN_SUCCESS:.0%}, >= {MIN_SUCCESS:.0%} in each half of the period (>= "
    f"{MIN_HALF_RESPONDENTS} answers each), >= {MIN_AGENTS} agents, and a "
    f"Benjamini-Hochberg q-value < 5 % for rate > {MIN_SUCCESS:.0%}.",
    "Volume: all contacts with that contact reason on that channel in the period.",
)


def automation_report(store: Store, query: ReportQuery, *, now: datetime) -> dict:
    return build_automation(load_frame(store, query), query, now=now)


def build_automation(frame: pd.DataFrame, query: ReportQuery, *, now: datetime) -> dict:
    attempted = frame[frame["activity"].notna()]
    volumes = frame.groupby(["contact_reason", "channel"]).size()
    middle = frame["started_at"].min() + (frame["started_at"].max() - frame["started_at"].min()) / 2
    situations = [
        _situation(dict(zip(SITUATION, key, strict=True)), rows, volumes, middle)
        for key, rows in attempted.groupby(list(SITUATION))
    ]
    _correct(situations)
    situations.sort(key=_rank)
    return {
        "report": "automation",
        "generated_at": now.astimezone(UTC).isoformat(),
        "period": period_of(frame, query),
        "filters": dict(query.filters),
        "interactions": int(len(frame)),
        "candidates": sum(1 for s in situations if s["status"] == CANDIDATE),
        "situations": situations,
        "method": f"success rate interval: {stats.WILSON}; multiplicity: {BH}",
        "min_respondents": MIN_RESPONDENTS,
        "notes": list(NOTES),
    }


def _situation(keys: dict, rows: pd.DataFrame, volumes: pd.Series, middle) -> dict:
    success = rows["ve_success"].to_numpy(float)
    early = (rows["started_at"] < middle).to_numpy()
    overall = proportion(success)
    halves = [proportion(success[early]), proportion(success[~early])]
    agents = int(rows["agent_id"].dropna().nunique())
    situation = {
        **keys,
        "volume": int(volumes.get((keys["contact_reason"], keys["channel"]), 0)),
        "attempts": int(len(rows)),
        "success": overall,
        "successes": int(success[~np.isnan(success)].sum()),
        "halves": halves,
        "agents": agents,
    }
    return {**situation, "status": _status(keys["channel"], overall, halves, agents)}


def _correct(situations: list[dict]) -> None:
    """Add each tested situation's BH q-value; demote candidates that do not survive it."""
    tested = [s for s in situations if s["success"]["n"] >= MIN_RESPONDENTS]
    p_values = [
        binomtest(s["successes"], s["success"]["n"], MIN_SUCCESS, alternative="greater").pvalue
        for s in tested
    ]
    for situation in situations:
        situation["q_value"] = None
    for situation, q in zip(tested, benjamini_hochberg(p_values), strict=True):
        situation["q_value"] = round(q, 6)
        if situation["status"] == CANDIDATE and q >= 0.05:
            situation["status"] = "not_often_enough"


def _status(channel: str, overall: dict, halves: list[dict], agents: int) -> str:
    if channel in AGENTLESS_CHANNELS:
        return "already_self_service"
    if overall["n"] < MIN_RESPONDENTS:
        return "too_few_answers"
    if overall["ci95"][0] < MIN_SUCCESS:
        return "not_often_enough"
    if any(h["n"] < MIN_HALF_RESPONDENTS or h["rate"] < MIN_SUCCESS for h in halves):
        return "not_consistent"
    if agents < MIN_AGENTS:
        return "too_few_agents"
    return CANDIDATE


def _rank(situation: dict) -> tuple:
    """Candidates first, by contacts covered x success rate; then the rest by success."""
    rate = situation["success"]["rate"] or 0.0
    if situation["status"] == CANDIDATE:
        return (0, -situation["volume"] * rate)
    return (1, -rate, -situation["attempts"])
