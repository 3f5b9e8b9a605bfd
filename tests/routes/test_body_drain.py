"""A body the app does not read is read before the answer's first byte (keep-alive safety).

gunicorn's gthread worker discards an unread body only after the answer is sent; a fast
keep-alive client's next request can then land in gunicorn's buffer unseen by its poller
(the Schemathesis 10 s read timeouts). See assist_api/body_drain.py.
"""

import io
import json

import pytest
from werkzeug.test import EnvironBuilder

BODY = json.dumps({"free": 3, "note": "x" * 5000}).encode()


def call(app, method: str, path: str, body: bytes = BODY, headers=None):
    environ = EnvironBuilder(
        path=path, method=method, data=body, content_type="application/json",
        headers=headers or {},
    ).get_environ()  # fmt: skip
    stream = io.BytesIO(body)
    environ["wsgi.input"] = stream
    statuses = []
    result = app.wsgi_app(environ, lambda status, headers, exc_info=None: statuses.append(status))
    left = len(body) - stream.tell()  # read before iterating: what gunicorn would send first
    b"".join(result)
    return statuses[0], left


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/v1/pools/ve_tokyo/capacity", "405"),  # wrong method on an operation
        ("QUERY", "/v1/outcomes", "405"),
        ("DELETE", "/v1/assist", "405"),
        ("OPTIONS", "/v1/assist", "200"),  # Flask's automatic OPTIONS
        ("POST", "/v1/no-such-thing", "404"),
        ("POST", "/v1/outcomes", "401"),  # refused before its body is parsed
    ],
)
def test_an_unread_body_is_read_before_the_answer(app, method, path, status):
    answered, left = call(app, method, path)
    assert answered.startswith(status)
    assert left == 0


def test_a_body_over_the_cap_is_left_for_the_server_to_close_the_connection(app):
    from assist_api.body_drain import MIN_CAP_BYTES

    limit = max(app.config["MAX_CONTENT_LENGTH"], MIN_CAP_BYTES)
    huge = b"x" * (limit + 1)
    answered, left = call(app, "POST", "/v1/assist", huge)
    assert answered.startswith("413")
    assert left == len(huge)  # not read: gunicorn's bounded discard closes the connection


def test_a_chunked_body_is_read_to_its_end(app):
    environ = EnvironBuilder(path="/v1/assist", method="PATCH").get_environ()
    environ.pop("CONTENT_LENGTH", None)
    environ.update(HTTP_TRANSFER_ENCODING="chunked", **{"wsgi.input_terminated": True})
    environ["wsgi.input"] = stream = io.BytesIO(BODY)
    result = app.wsgi_app(environ, lambda *args: None)
    assert stream.tell() == len(BODY)
    b"".join(result)
