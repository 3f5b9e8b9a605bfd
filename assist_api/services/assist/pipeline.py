"""The real-time assist pipeline: one live interaction in, guidance out.

features -> score all five activities in one predict call -> explain the best one ->
rank eligible cards (none for the control group) and let the exploration policy pick the
first -> route -> log the decision with the inputs it was scored on and its policy.
Plain Python: the route, the CLI and the tests call `assist` with explicit dependencies.
"""

import secrets
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

import numpy as np

from assist_api.config import Settings
from assist_api.errors import InvalidFields, TooLarge
from assist_api.services.access.authorization import (
    Caller,
    bound_agent_id,
    interaction_access,
)
from assist_api.services.assist.stage_timer import StageTimer
from assist_api.services.assist.understood import understood
from assist_api.services.clock import utc_now
from assist_api.services.customers.profiles import Profile, merge_customer
from assist_api.services.decisions.log import DecisionWriter, interaction_snapshot
from assist_api.services.decisions.spooling import SPOOLED
from assist_api.services.holdout import in_control_group
from assist_api.services.learning.exploration import (
    answer_policy,
    choose_first,
    draws,
    holdout_choice,
    policy_record,
)
from assist_api.services.learning.snapshots import as_of, decision_inputs
from assist_api.services.playbooks.ranking import (
    NOT_RENDERED,
    RecentViews,
    eligible_cards,
    render_one,
    render_ranked,
)
from assist_api.services.routing.route import Router, RouteRequest, band_router
from assist_api.services.routing.route_text import route_sentence
from assist_api.services.routing.value import with_agent_skill
from features.language_check import language_problems
from features.resolution import issue_resolved
from features.row import activity_matrix, prepare
from features.vocabulary import ACTIVITIES, DEFAULT_LANGUAGE, card_language
from models.explain import explain
from models.explanation_text import label
from models.loaded import LoadedModel
from prompts_playbooks.cards import Card
from prompts_playbooks.context import context_from_record
from prompts_playbooks.why_not import why_not_line

MODEL_UNAVAILABLE = "model_unavailable"


class ModelSource(Protocol):
    """What the pipeline needs of models.scorer.Scorer: the live model, or None."""

    @property
    def current(self) -> LoadedModel | None: ...


@dataclass
class AssistDependencies:
    settings: Settings
    scorer: ModelSource
    cards: Callable[[], Sequence[Card]]  # the published cards now
    decision_log: DecisionWriter  # the app's: a SpoolingDecisionLog
    router: Router = band_router
    # (customer_id, interaction_id) -> card_id -> views in 30 days, this interaction excluded
    recent_views: Callable[[str, str], RecentViews] | None = None
    # agent_id -> activity -> measured skill (routing.pool_cache): ranks cards for the agent
    agent_skill: Callable[[str], dict[str, float]] | None = None
    degraded_extra: list[str] = field(default_factory=list)
    clock: Callable[[], datetime] = utc_now  # the closed-loop study runs on simulated time
    # the request's one store connection, shared by the cap lookup and the decision write
    checkout: Callable[[], AbstractContextManager] = nullcontext
    # (customer_id, now) -> the CRM profile valid now, or None (a cached, indexed read)
    profiles: Callable[[str, datetime], Profile | None] | None = None


def flatten_request(data: dict) -> dict:
    """The API's nested request -> a flat import-format record (what `features` reads)."""
    record = {k: v for k, v in data.items() if k != "customer"}
    record.update(data["customer"])
    record["transcript"] = "\n".join(data.get("transcript") or ())
    return record


def band_for(score: float, settings: Settings) -> str:
    if score >= settings.band_high:
        return "high"
    if score >= settings.band_medium:
        return "medium"
    return "low"


def check_size(data: dict, settings: Settings) -> None:
    chars = sum(len(line) for line in data.get("transcript") or ())
    if chars > settings.max_transcript_chars:
        raise TooLarge(
            f"transcript has {chars} characters; the limit is {settings.max_transcript_chars}",
            details={"field": "transcript", "limit": settings.max_transcript_chars},
        )


def conversation_state(data: dict) -> dict:
    """Is the customer's issue resolved? The agent's say-so wins over the customer's words."""
    if data.get("issue_resolved") is not None:
        return {"issue_resolved": data["issue_resolved"], "inferred": False}
    return {"issue_resolved": issue_resolved(data.get("transcript")), "inferred": True}


def not_offered(held_back: dict, language: str) -> list[dict]:
    """Activities with no card now and why, in the agent's words, in vocabulary order."""
    return [
        {
            "activity": activity,
            "code": getattr(held_back[activity], "code", None),
            "text": why_not_line(held_back[activity], language, label),
        }
        for activity in ACTIVITIES
        if activity in held_back
    ]


def choose_cards(
    deps, record, context, probabilities, holdout, not_rendered: list[str] | None = None
) -> tuple[list, dict, dict]:
    """(rendered cards, the first possibly explored; the policy record the decision logs;
    activity -> why no card of it is offered).

    A card whose text needs a customer field nobody knows cannot be shown: when the card
    drawn first is one, it leaves the eligible set and the same draws pick again, so the
    logged probabilities are those of the cards that could be shown (cards further down
    are only rendered when they are shown).
    """
    settings = deps.settings
    epsilon = settings.exploration_rate
    held_back: dict = {}
    if holdout:
        return [], policy_record(holdout_choice(), epsilon, ()), held_back
    customer_id, interaction_id = record["customer_id"], record["interaction_id"]
    recent = deps.recent_views(customer_id, interaction_id) if deps.recent_views else None
    agent_id = record.get("agent_id")
    skill = deps.agent_skill(agent_id) if agent_id and deps.agent_skill else None
    eligible = eligible_cards(
        deps.cards(),
        context,
        with_agent_skill(probabilities, skill),
        recent_views=recent,
        held_back=held_back,
    )
    u_arm, u_pick = draws(interaction_id, settings.exploration_salt)
    while True:
        choice = choose_first(len(eligible), epsilon, u_arm, u_pick)
        first = (
            render_one(eligible[choice.index], context, 1, not_rendered)
            if choice.index >= 0
            else None
        )
        if first is not None or choice.index < 0:
            break
        eligible = eligible[: choice.index] + eligible[choice.index + 1 :]
    policy = policy_record(choice, epsilon, [(e.card.card_id, e.card.weight) for e in eligible])
    if first is None:
        return [], policy, held_back
    rest = [e for i, e in enumerate(eligible) if i != choice.index]
    shown = render_ranked(rest, context, settings.cards_shown - 1, 2, not_rendered)
    return [first, *shown], policy, held_back


def assist(
    data: dict,
    deps: AssistDependencies,
    timer: StageTimer | None = None,
    customer_defaults: dict | None = None,
    *,
    test: bool = False,
    caller: Caller | None = None,
) -> dict:
    """Answer one /v1/assist request (`data` already validated by the schema).

    `test`: the caller's key is a test key; the decision and the interaction are marked
    so that reports and training leave them out. `caller`: the verified key (None: a
    trusted in-process caller such as the CLI); the authorization layer decides what it
    may touch.

    The customer's CRM fields are the request's, else the stored profile's, else
    `customer_defaults` (what an utterance stream's interaction was opened with)."""
    timer = timer or StageTimer()
    settings = deps.settings
    check_size(data, settings)
    now = deps.clock()
    with timer.stage("profile"):
        customer_id = data["customer"]["customer_id"]
        profile = deps.profiles(customer_id, now) if deps.profiles else None
        customer, missing = merge_customer(data["customer"], profile, customer_defaults)
    record = flatten_request({**data, "customer": customer})
    record["agent_id"] = bound_agent_id(caller, record.get("agent_id"))
    language = card_language(record["language"])
    degraded = [*deps.degraded_extra, *missing]
    degraded += language_problems(record["language"], data.get("transcript"))
    conversation = conversation_state(data)

    model = deps.scorer.current  # read once: the text model and booster come together
    with timer.stage("features"):
        prepared = prepare(record, model.text_model if model else None)
        matrix = activity_matrix(prepared)
        try:
            context = context_from_record(
                {
                    **record,
                    "contact_reason": prepared.contact_reason,
                    "issue_resolved": conversation["issue_resolved"],
                }
            )
        except ValueError as exc:
            raise InvalidFields({"body": [str(exc)]}) from exc

    score = band = None
    probabilities = None
    reasons: list[dict] = []
    if model is None:
        degraded.append(MODEL_UNAVAILABLE)
    else:
        with timer.stage("predict"):
            scores = model.score(matrix)
            best = int(np.argmax(scores))
            score = float(scores[best])
            band = band_for(score, settings)
            probabilities = dict(zip(ACTIVITIES, scores.tolist(), strict=True))
        with timer.stage("explain"):
            reasons = [
                {
                    "feature": r.feature,
                    "contribution": round(float(r.contribution), 4),
                    "text": r.text,
                }
                for r in explain(model, prepared, matrix[best], language, settings.reasons_shown)
            ]

    # the 2x2 design: two independent draws, cards held out and routing held out
    holdout = in_control_group(customer_id, settings.holdout_salt, settings.holdout_rate)
    routing_control = in_control_group(
        customer_id, settings.routing_holdout_salt, settings.routing_holdout_rate
    )
    with deps.checkout():  # one store connection: the cap lookup and the decision write
        with timer.stage("cards"):
            not_rendered: list[str] = []
            cards, policy, held_back = choose_cards(
                deps, record, context, probabilities, holdout, not_rendered
            )
            degraded += [f"{NOT_RENDERED}:{card_id}" for card_id in dict.fromkeys(not_rendered)]

        with timer.stage("route"):
            route = deps.router(
                RouteRequest(
                    band=band,
                    score=score,
                    language=record["language"] or DEFAULT_LANGUAGE,
                    channel=record["channel"],
                    clv=float(record.get("clv") or 0.0),
                    routing_control=routing_control,
                    probabilities=tuple(probabilities.values()) if probabilities else None,
                )
            )

        decision = {
            "decision_id": f"d-{secrets.token_hex(16)}",  # 128 random bits, as hex
            "interaction_id": record["interaction_id"],
            "customer_id": customer_id,
            "created_at": now,
            "model_name": model.name if model else None,
            "model_version": model.version if model else None,
            "score": score,
            "band": band,
            "activity_scores": probabilities,
            "reasons": reasons,
            "cards": [
                {
                    "card_id": c["card_id"],
                    "version": c["version"],
                    "rank": c["rank"],
                    "score": c["score"],
                }
                for c in cards
            ],
            "top_card_id": cards[0]["card_id"] if cards else None,
            "pool": route.pool,
            "route_reason": route.reason,
            "route_fallback": route.fallback,
            "holdout": holdout,
            "routing_holdout": route.control_group,
            "degraded": degraded,
            "latency_ms": None,
            "agent_id": record.get("agent_id"),
            "profile_version": profile.version if profile else None,
            "inputs": decision_inputs(prepared),
            "as_of": as_of(record),
            "policy": policy,
            "test": test,
        }
        with timer.stage("log"):
            decision["latency_ms"] = round(timer.total() * 1000, 3)
            snapshot = interaction_snapshot(
                record,
                holdout=holdout,
                pool=route.pool,
                now=now,
                test=test,
                owner_key_id=getattr(caller, "key_id", None),
            )
            logged = deps.decision_log.write(decision, snapshot, interaction_access(caller))

    return {
        "decision_id": decision["decision_id"],
        "interaction_id": record["interaction_id"],
        "sequence": logged.sequence,
        "openness": {"score": score, "band": band, "reasons": reasons},
        "understood": understood(prepared),
        "cards": cards,
        "not_offered": not_offered(held_back, language),
        "conversation": conversation,
        "top_card_changed": logged.top_card_changed,
        "route": {
            "pool": route.pool,
            "reason": route_sentence(route, language),
            "fallback": route.fallback,
            "detail": route.reason,
        },
        "holdout": holdout,
        "model": {
            "name": model.name if model else settings.model_name,
            "version": model.version if model else None,
        },
        "degraded": [*degraded, SPOOLED] if logged.spooled else degraded,
        "policy": answer_policy(policy),
    }
