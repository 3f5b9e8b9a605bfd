"""The customers services on a real store, without HTTP: merge rules, profile versions and
the cache, the point-in-time join, the guidance board."""

from datetime import UTC, datetime, timedelta

import pandas as pd

from assist_api.services.customers.guidance import GuidanceBoard
from assist_api.services.customers.point_in_time import fill_from_profiles, profile_frame
from assist_api.services.customers.profile_import import upsert_profiles
from assist_api.services.customers.profiles import (
    PROFILE_MISSING,
    Profile,
    ProfileCache,
    merge_customer,
    put_profile,
)
from assist_api.services.customers.utterances import (
    final_utterances,
    merge_utterances,
    transcript_lines,
)
from tests.customers.conftest import PROFILE

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def said(utterance_id, text, *, final=True, speaker="customer", offset=0):
    return {
        "utterance_id": utterance_id,
        "speaker": speaker,
        "text": text,
        "is_final": final,
        "offset_ms": offset,
    }


def test_a_final_replaces_its_partial_and_is_never_replaced(sqlite_store):
    with sqlite_store.uow() as uow:
        first = merge_utterances(uow.session, "i", [said("u", "hel", final=False)], T0)
        second = merge_utterances(uow.session, "i", [said("u", "hello there")], T0)
        late = merge_utterances(
            uow.session, "i", [said("u", "hel", final=False), said("u", "other")], T0
        )
        lines = transcript_lines(final_utterances(uow.session, "i"), 1000)
    assert (first.customer_finals, second.customer_finals, late.stored) == (0, 1, 0)
    assert lines == ["Customer: hello there"]


def test_personal_data_is_stored_redacted(sqlite_store):
    with sqlite_store.uow() as uow:
        merge_utterances(uow.session, "i", [said("u", "mail me at kim@example.com")], T0)
        (row,) = final_utterances(uow.session, "i")
        assert "kim@example.com" not in row.text and "[email]" in row.text


def test_a_number_spoken_over_two_utterances_is_redacted_whatever_the_order(sqlite_store):
    parts = [said("u1", "my card is 4111 1111", offset=1), said("u2", "1111 1111 thanks", offset=2)]
    for interaction_id, order in (("a", parts), ("b", parts[::-1])):
        with sqlite_store.uow() as uow:
            for item in order:
                merge_utterances(uow.session, interaction_id, [item], T0)
            texts = [row.text for row in final_utterances(uow.session, interaction_id)]
            uow.commit()
        assert not any("1111" in text for text in texts), texts


def test_profile_versions_and_the_version_valid_at_a_time(sqlite_store):
    with sqlite_store.uow() as uow:
        put_profile(uow.session, "c", PROFILE, as_of=T0, now=T0, source="test")
        later = {**PROFILE, "plan_tier": "premium"}
        put_profile(uow.session, "c", later, as_of=T0 + timedelta(days=30), now=T0, source="t")
        uow.commit()
    cache = ProfileCache(sqlite_store, ttl_seconds=60)
    assert cache.lookup("c", T0 + timedelta(days=1)).fields["plan_tier"] == "standard"
    cache.forget("c")
    now = cache.lookup("c", T0 + timedelta(days=31))
    assert (now.version, now.fields["plan_tier"]) == (2, "premium")
    assert cache.lookup("nobody", T0) is None


def test_the_cache_keeps_answering_when_the_store_is_gone(sqlite_store):
    with sqlite_store.uow() as uow:
        put_profile(uow.session, "c", PROFILE, as_of=T0, now=T0, source="test")
        uow.commit()
    ticks = iter([0.0, 100.0, 200.0])
    cache = ProfileCache(sqlite_store, ttl_seconds=10, clock=lambda: next(ticks))
    assert cache.lookup("c", T0).version == 1
    sqlite_store.engine.dispose()
    with sqlite_store.engine.connect() as connection:
        connection.exec_driver_sql("DROP TABLE customer_profiles")
        connection.commit()
    assert cache.lookup("c", T0).version == 1  # read failed: the last value is kept


def test_merge_rule_request_over_profile_and_degraded_only_without_profile():
    profile = Profile("c", 3, dict(PROFILE))
    merged, degraded = merge_customer({"customer_id": "c", "clv": 9.0}, profile)
    assert (merged["clv"], merged["persona"], degraded) == (9.0, "novice", [])
    merged, degraded = merge_customer({"customer_id": "c"}, None)
    assert merged["persona"] is None and degraded == [PROFILE_MISSING]
    assert merge_customer({"customer_id": "c", **PROFILE}, None)[1] == []


def test_a_later_profile_never_fills_an_earlier_interaction(sqlite_store):
    with sqlite_store.uow() as uow:
        upsert_profiles(
            uow.session,
            [
                {"customer_id": "c", "as_of": T0, **PROFILE},
                {"customer_id": "c", "as_of": T0 + timedelta(days=10), **PROFILE, "clv": 99.0},
                {"customer_id": "late", "as_of": T0 + timedelta(days=10), **PROFILE},
            ],
            T0,
        )
        uow.commit()
    interactions = pd.DataFrame(
        {
            "interaction_id": ["before", "between", "after", "late-early"],
            "customer_id": ["c", "c", "c", "late"],
            "started_at": pd.to_datetime(
                [T0 - timedelta(days=1), T0 + timedelta(days=5), T0 + timedelta(days=20),
                 T0 + timedelta(days=1)],
                utc=True,
            ),
            **{name: [None] * 4 for name in PROFILE},
        }
    )  # fmt: skip
    filled = fill_from_profiles(interactions, profile_frame(sqlite_store))
    clv, persona = filled["clv"].tolist(), filled["persona"].tolist()
    assert pd.isna(clv[0]) and clv[1:3] == [1200.0, 99.0] and pd.isna(clv[3])
    assert pd.isna(persona[0]) and persona[1:3] == ["novice", "novice"] and pd.isna(persona[3])


def test_known_snapshot_fields_are_kept(sqlite_store):
    with sqlite_store.uow() as uow:
        upsert_profiles(uow.session, [{"customer_id": "c", "as_of": T0, **PROFILE}], T0)
        uow.commit()
    interactions = pd.DataFrame(
        {
            "interaction_id": ["i"],
            "customer_id": ["c"],
            "started_at": pd.to_datetime([T0 + timedelta(days=1)], utc=True),
            **{name: [None] for name in PROFILE},
        }
    )
    interactions.loc[0, "clv"] = 5.0
    assert fill_from_profiles(interactions, profile_frame(sqlite_store))["clv"].tolist() == [5.0]


def test_the_board_keeps_the_newest_answer(sqlite_store):
    board = GuidanceBoard(sqlite_store, max_waits=2)
    board.publish({"interaction_id": "i", "sequence": 3, "cards": ["new"]}, T0)
    board.publish({"interaction_id": "i", "sequence": 2, "cards": ["old"]}, T0)
    board.publish({"interaction_id": "i", "sequence": None, "cards": ["spooled"]}, T0)
    assert board.latest("i", 0)["cards"] == ["new"]
    assert board.latest("i", 3) is None
    assert board.wait("i", 3, 0.05) is None
