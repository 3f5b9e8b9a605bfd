"""Transcripts lose their personal data before they are stored, spooled or logged."""

import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from assist_api.privacy.redact import TOKENS, find_personal_data, luhn_valid, redact
from assist_api.services.outcomes.imports import import_files
from assist_api.store.tables import Interaction
from tests.helpers.app import bearer, build_app, make_keys, make_test_settings
from tests.helpers.assist_requests import OMIT, assist_request
from tests.helpers.fuzz import examples
from tests.helpers.outage import store_outage
from tests.helpers.records import interaction, write_csv

FULL_WIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("メールは taro.yamada+news@example.co.jp です", "メールは [email] です"),
        ("連絡先：hanako_s@mail.example.com。", "連絡先：[email]。"),
        ("電話は03-1234-5678です", "電話は[phone]です"),
        ("携帯 090-1234-5678 まで", "携帯 [phone] まで"),
        ("+81 90 1234 5678 にお願いします", "[phone] にお願いします"),
        ("フリーダイヤル0120-123-456", "フリーダイヤル[phone]"),
        ("call +1 (415) 555-0100 today", "call [phone] today"),
        ("London office +44 20 7946 0958.", "London office [phone]."),
        ("or (415) 555-0100", "or [phone]"),
        ("card 4111 1111 1111 1111 expires", "card [card] expires"),
        ("カード番号は4242-4242-4242-4242", "カード番号は[card]"),
        ("amex 378282246310005", "amex [card]"),
        ("〒150-0002 東京都渋谷区", "[postal] 東京都渋谷区"),
        ("郵便番号 150-0002", "郵便番号 [postal]"),
        ("マイナンバーは123456789012です", "マイナンバーは[number]です"),
        ("my number 1234 5678 9012", "my number [number]"),
        ("口座番号 12345678", "口座番号 [number]"),
        ("０９０－１２３４－５６７８に電話", "[phone]に電話"),
        ("０３ー１２３４ー５６７８", "[phone]"),
        ("taro＠example．com", "[email]"),
        ("〒１５０－０００２", "[postal]"),
    ],
)
def test_each_kind_of_personal_data_is_replaced_by_its_token(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "注文日は2024-01-15、10:30に届きます",
        "料金は12,345,678円です",
        "order 1234567 shipped",
        "version 3.14.159 is out",
        "I have 2 products and 3 questions",
        "設定方法を教えてください。",
        "",
    ],
)
def test_ordinary_numbers_and_text_stay(text):
    assert redact(text) == text


def test_a_digit_run_that_fails_the_card_checksum_is_a_number_not_a_card():
    assert luhn_valid("4111111111111111") and not luhn_valid("4111111111111112")
    assert redact("ref 4111 1111 1111 1112") == "ref [number]"


def test_none_stays_none():
    assert redact(None) is None


# -- properties --------------------------------------------------------------------------

FILLER = st.text(
    alphabet=st.sampled_from(list("あいうえおかきくけこ設定方法テストabcXYZ 、。,.!?ー")),
    max_size=30,
)
digits = st.integers


def _digits(n: int):
    return st.text(alphabet="0123456789", min_size=n, max_size=n)


def _with_luhn(body: str) -> str:
    return next(body + d for d in "0123456789" if luhn_valid(body + d))


emails = st.builds(
    lambda local, domain, tld: f"{local}@{domain}.{tld}",
    st.from_regex(r"[a-z][a-z0-9._]{0,10}", fullmatch=True),
    st.from_regex(r"[a-z]{2,10}", fullmatch=True),
    st.sampled_from(["com", "co.jp", "jp", "org", "ne.jp"]),
)
jp_phones = st.one_of(
    st.builds(lambda a, b: f"03-{a}-{b}", _digits(4), _digits(4)),
    st.builds(lambda p, a, b: f"0{p}0-{a}-{b}", st.sampled_from("789"), _digits(4), _digits(4)),
    st.builds(lambda a, b: f"0120-{a}-{b}", _digits(3), _digits(3)),
    st.builds(lambda p, a, b: f"+81 {p}0 {a} {b}", st.sampled_from("789"), _digits(4), _digits(4)),
)
intl_phones = st.one_of(
    st.builds(lambda a, b, c: f"+1 ({a}) {b}-{c}", _digits(3), _digits(3), _digits(4)),
    st.builds(lambda a, b: f"+44 20 {a} {b}", _digits(4), _digits(4)),
)
cards = st.builds(
    lambda body, sep: sep.join(_with_luhn(body)[i : i + 4] for i in range(0, 16, 4)),
    st.from_regex(r"[3-6][0-9]{14}", fullmatch=True),
    st.sampled_from(["", " ", "-"]),
)
postals = st.builds(lambda a, b: f"〒{a}-{b}", _digits(3), _digits(4))
numbers = st.one_of(
    st.from_regex(r"[1-9][0-9]{11}", fullmatch=True),
    st.builds(lambda a, b, c: f"{a} {b} {c}", _digits(4), _digits(4), _digits(4)).filter(
        lambda s: not s.startswith("0")
    ),
    st.from_regex(r"[1-9][0-9]{7,9}", fullmatch=True),
)
PERSONAL = st.one_of(
    st.tuples(st.just("email"), emails),
    st.tuples(st.just("phone"), jp_phones | intl_phones),
    st.tuples(st.just("card"), cards),
    st.tuples(st.just("postal"), postals),
    st.tuples(st.just("number"), numbers),
)


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FILLER, PERSONAL, FILLER, st.booleans())
def test_personal_data_anywhere_in_text_is_replaced_whole(left, found, right, full_width):
    kind, value = found
    written = value.translate(FULL_WIDTH) if full_width else value
    text = f"{left} {written} {right}"
    assert redact(text) == f"{left} {TOKENS[kind]} {right}"


@settings(max_examples=examples(300), deadline=None)
@given(st.text(max_size=200))
def test_redaction_is_idempotent_and_leaves_no_finding(text):
    once = redact(text)
    assert redact(once) == once
    assert find_personal_data(once) == []


@settings(max_examples=examples(200), deadline=None)
@given(st.text(max_size=200).filter(lambda t: "@" not in t and not any(c.isdigit() for c in t)))
def test_text_without_digits_or_at_signs_is_untouched(text):
    assert redact(text) == text


# -- where transcripts are kept ----------------------------------------------------------

PHONE = "090-1234-5678"
EMAIL = "taro@example.jp"
ASSIST = assist_request(
    interaction_id="i-pii",
    customer_id="c-1",
    transcript=[f"電話番号は{PHONE}、メールは{EMAIL}です。", "設定方法を教えてください。"],
    contact_reason=OMIT,
    customer_sentiment=OMIT,
    elapsed_seconds=OMIT,
)


def stored_transcripts(store) -> list[str]:
    with store.uow() as uow:
        return list(uow.session.scalars(select(Interaction.transcript)))


def test_live_transcripts_are_stored_redacted_and_never_logged(tmp_path, caplog):
    app = build_app(make_test_settings(tmp_path, outbound_timeout_seconds=0.3))
    client = app.test_client()
    headers = bearer(make_keys(app)["agent"])
    store = app.extensions["store"]
    caplog.set_level(logging.DEBUG)
    try:
        assert client.post("/v1/assist", json=ASSIST, headers=headers).status_code == 200
        with store_outage(store.engine.url.render_as_string()):  # the error path logs too
            assert client.post("/v1/assist", json=ASSIST, headers=headers).status_code == 200
        (transcript,) = stored_transcripts(store)
        assert transcript == "電話番号は[phone]、メールは[email]です。\n設定方法を教えてください。"
        spooled = b"".join(
            p.read_bytes() for p in app.extensions["assist_dependencies"].decision_log.spool.files()
        )
        assert spooled and PHONE.encode() not in spooled and EMAIL.encode() not in spooled
        assert PHONE not in caplog.text and EMAIL not in caplog.text
    finally:
        app.extensions["assist_dependencies"].decision_log.stop()
        store.close()


def test_imported_transcripts_are_stored_redacted(tmp_path, store):
    rows = [
        interaction(1, transcript=f"Call me on {PHONE}\nor mail {EMAIL}"),
        interaction(2, transcript="カードは4111 1111 1111 1111です"),
        interaction(3, transcript=""),
    ]
    report = import_files(store, write_csv(tmp_path / "interactions.csv", rows))
    assert report.committed
    assert sorted(t or "" for t in stored_transcripts(store)) == [
        "",
        "Call me on [phone]\nor mail [email]",
        "カードは[card]です",
    ]
