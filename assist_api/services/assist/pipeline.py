"""The real-time assist pipeline: one live interaction in, guidance out.

features -> score all five activities in one predict call -> explain the best one ->
rank eligible cards (none for the control group) and let the exploration policy pick the
first -> route -> log the decision with the inputs it was scored on and its policy ->
hand it to the shadow challenger, if any (scored off this path).
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
from assist_api.errors import InvalidFields
from assist_api.services.access.authorization import (
    Caller,
    bound_agent_id,
    interaction_access,
)
from assist_api.services.assist.cards import choose_cards, not_offered
from assist_api.services.assist.request import (
    band_for,
    check_size,
    conversation_state,
    flatten_request,
)
from assist_api.services.assist.stage_timer import StageTimer
from assist_api.services.assist.understood import understood
from assist_api.services.clock import utc_now
from assist_api.services.customers.profiles import Profile, merge_customer
from assist_api.services.decisions.log import DecisionWriter, interaction_snapshot
from assist_api.services.decisions.spooling import SPOOLED
from assist_api.services.holdout import in_control_group
from assist_api.services.learning.exploration import answer_policy
from assist_api.services.learning.snapshots import as_of, decision_inputs
from assist_api.services.playbooks.ranking import NOT_RENDERED, RecentViews
from assist_api.services.routing.retention_gain import answer_gain
from assist_api.services.routing.route import Router, RouteRequest, band_router
from assist_api.services.routing.route_text import route_sentence
from features.language_check import language_problems
from features.row import activity_matrix, prepare
from features.vocabulary import ACTIVITIES, DEFAULT_LANGUAGE, card_language
from models.explain import explain
from models.loaded import LoadedModel
from prompts_playbooks.cards import Card
from prompts_playbooks.context import context_from_record

__all__ = ["AssistDependencies", "ModelSource", "ShadowSink", "assist", "flatten_request"]

MODEL_UNAVAILABLE = "model_unavailable"


class ModelSource(Protocol):
    """What the pipeline needs of models.scorer.Scorer: the live model, or None."""

    @property
    def current(self) -> LoadedModel | None: ...


class ShadowSink(Protocol):
    """What the pipeline needs of learning.shadow.ShadowScorer: take a logged decision."""

    def submit(self, decision: dict, matrix: np.ndarray) -> None: ...


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
    # a challenger scored off the answer's path (learning.shadow), or None
    shadow: ShadowSink | None = None


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
    if deps.shadow is not None and model is not None:
        deps.shadow.submit(decision, matrix)  # a queue put; scored in the shadow's thread

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
            "retention_gain": answer_gain(route.retention_gain),
        },
        "holdout": holdout,
        "model": {
            "name": model.name if model else settings.model_name,
            "version": model.version if model else None,
        },
        "degraded": [*degraded, SPOOLED] if logged.spooled else degraded,
        "policy": answer_policy(policy),
    }
