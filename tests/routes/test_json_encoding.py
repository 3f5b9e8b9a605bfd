"""orjson writes what the standard library wrote (responses and JSON columns), and bodies
are parsed once: the routes' argument parser takes the document the limits check parsed."""

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import webargs.core
from flask import Flask
from flask.json.provider import DefaultJSONProvider
from hypothesis import given
from hypothesis import strategies as st

from assist_api.json_provider import OrjsonProvider
from assist_api.store.db import json_column_text
from tests.helpers.assist_requests import assist_request

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=20,
)


@pytest.fixture(scope="module")
def providers():
    app = Flask(__name__)
    standard = DefaultJSONProvider(app)
    standard.ensure_ascii, standard.sort_keys = False, False
    return OrjsonProvider(app), standard


@given(JSON_VALUES)
def test_what_is_written_reads_back_as_the_standard_librarys_output(providers, value):
    fast, standard = providers
    assert json.loads(fast.dumps(value)) == json.loads(standard.dumps(value))


@given(JSON_VALUES)
def test_json_columns_hold_what_the_standard_library_wrote(value):
    assert json.loads(json_column_text(value)) == json.loads(json.dumps(value))


def test_json_columns_take_big_integers_and_refuse_datetimes_as_before():
    assert json.loads(json_column_text({"n": 2**70})) == {"n": 2**70}
    with pytest.raises(TypeError):
        json_column_text({"at": datetime(2026, 12, 1, tzinfo=UTC)})


def test_japanese_stays_readable_and_keys_keep_their_order(providers):
    fast, _ = providers
    assert fast.dumps({"b": "購入の確認", "a": 1}) == '{"b":"購入の確認","a":1}'


def test_values_orjson_has_no_form_for_are_written_as_flask_writes_them(providers):
    fast, standard = providers
    value = {"at": datetime(2026, 12, 1, 9, 30, tzinfo=UTC), "amount": Decimal("1.50"), 3: "x"}
    assert json.loads(fast.dumps(value)) == json.loads(standard.dumps(value))


def test_assist_reads_the_body_without_parsing_it_again(client, auth, monkeypatch):
    def second_parse(*args, **kwargs):
        raise AssertionError("webargs parsed the body a second time")

    monkeypatch.setattr(webargs.core, "parse_json", second_parse)
    response = client.post("/v1/assist", json=assist_request(), headers=auth("agent"))
    assert response.status_code == 200, response.get_json()
