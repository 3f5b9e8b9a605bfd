"""Signing in to the web pages: the key is checked once and lives only in the server's
session; the cookie is HTTP-only and SameSite; forms and page scripts prove they come from
the page (CSRF); each role sees only its pages; signing out ends the session."""

import re
from datetime import UTC, datetime

import pytest
from flask import session

from assist_api.auth import CSRF_HEADER, SESSION_COOKIE
from assist_api.routes.pages import HOME_BY_ROLE
from assist_api.services.access.keys import revoke_key, split_key
from tests.helpers.app import build_app, make_keys, make_test_settings

ASSIST_BODY = {
    "interaction_id": "i-pages-1",
    "customer": {
        "customer_id": "c-pages",
        "days_since_purchase": 12,
        "persona": "novice",
        "plan_tier": "standard",
        "products_owned": 2,
        "feature_adoption": 0.35,
        "prior_contacts_90d": 1,
        "clv": 1200.0,
        "switching_effort": "high",
    },
    "channel": "chat",
    "language": "en",
    "transcript": ["How do I set up sharing?"],
}
OFF_SITE = (
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "/\t/evil.example/",
    "javascript:alert(1)",
    "ui/desk",
)


def login_token(client, path: str = "/ui/login") -> str:
    page = client.get(path)
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def sign_in(client, key: str, path: str = "/ui/login"):
    """POST the sign-in form as a browser would (after loading it); returns the response."""
    token = login_token(client, path)
    return client.post(path, data={"csrf_token": token, "api_key": key})


def page_csrf(client, path: str = "/ui/desk") -> str:
    return re.search(r'<meta name="csrf-token" content="([^"]*)"', client.get(path).text).group(1)


def session_cookie_header(response) -> str:
    return next(
        h for h in response.headers.getlist("Set-Cookie") if h.startswith(SESSION_COOKIE + "=")
    )


@pytest.mark.parametrize("role", ["agent", "lead", "admin"])
def test_sign_in_lands_on_the_roles_home_with_a_strict_http_only_cookie(client, keys, role):
    response = sign_in(client, keys[role])
    assert response.status_code == 302
    assert response.headers["Location"] == HOME_BY_ROLE[role]
    cookie = session_cookie_header(response)
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    assert "Path=/" in cookie


def test_the_cookie_is_secure_when_the_setting_asks(tmp_path):
    app = build_app(make_test_settings(tmp_path, secure_cookies=True))
    try:
        response = sign_in(app.test_client(), make_keys(app)["agent"])
        assert "Secure" in session_cookie_header(response)
    finally:
        app.extensions["scorer"].stop()
        app.extensions["store"].close()


def test_the_key_appears_in_no_page_url_or_cookie(client, keys):
    key = keys["agent"]
    _, secret = split_key(key)
    form = client.get("/ui/login")
    assert 'type="password"' in form.text and 'method="post"' in form.text
    response = sign_in(client, key)
    seen = [response.headers["Location"], session_cookie_header(response)]
    seen += [client.get(path).text for path in ("/ui/desk", "/ui/login", "/ui/desk?lang=ja")]
    assert not [text for text in seen if secret in text]


@pytest.mark.parametrize("presented", ["", "not-a-key", "va_abc_def", "va_" + "x" * 300])
def test_a_wrong_key_gets_the_sign_in_page_again_with_401(client, presented):
    response = sign_in(client, presented)
    assert response.status_code == 401
    assert "That key is unknown or revoked." in response.text
    assert SESSION_COOKIE not in response.headers.get("Set-Cookie", "")
    if presented:
        assert presented not in response.text


def test_a_revoked_key_cannot_sign_in(app, client, keys):
    key_id, _ = split_key(keys["agent"])
    with app.extensions["store"].uow() as uow:
        revoke_key(uow.session, key_id, actor="tests", now=datetime.now(UTC))
        uow.commit()
    assert sign_in(client, keys["agent"]).status_code == 401


@pytest.mark.parametrize("token", [None, "", "forged"])
def test_sign_in_without_the_forms_token_is_refused(client, keys, token):
    """A cross-site form cannot sign a browser in to someone else's key (login CSRF)."""
    data = {"api_key": keys["agent"]}
    if token is not None:
        data["csrf_token"] = token
    response = client.post("/ui/login", data=data)
    assert response.status_code == 401
    assert "The form expired" in response.text
    assert SESSION_COOKIE not in response.headers.get("Set-Cookie", "")


def test_a_page_asked_for_while_signed_out_comes_back_after_signing_in(client, keys):
    response = client.get("/ui/desk")
    assert response.status_code == 302
    assert response.headers["Location"] == "/ui/login?next=/ui/desk"
    signed_in = sign_in(client, keys["agent"], response.headers["Location"])
    assert signed_in.headers["Location"] == "/ui/desk"


@pytest.mark.parametrize("target", OFF_SITE)
def test_sign_in_never_sends_the_browser_off_site(client, keys, target):
    response = client.post(
        "/ui/login",
        query_string={"next": target},
        data={"csrf_token": login_token(client), "api_key": keys["agent"]},
    )
    assert response.headers["Location"] == HOME_BY_ROLE["agent"]


@pytest.mark.parametrize(
    ("role", "path", "status"),
    [
        ("agent", "/ui/desk", 200),
        ("agent", "/ui/playbooks", 403),
        ("lead", "/ui/playbooks", 200),
        ("lead", "/ui/desk", 403),
        ("admin", "/ui/desk", 200),
        ("admin", "/ui/playbooks", 200),
    ],
)
def test_each_role_opens_only_its_pages(client, keys, role, path, status):
    sign_in(client, keys[role])
    response = client.get(path)
    assert response.status_code == status
    assert response.headers["Cache-Control"] == "no-store"
    if status == 403:
        assert "Your role cannot open this page." in response.text
        assert "Sign out" in response.text  # still signed in: the way out is on the page


def test_the_navigation_offers_only_the_roles_pages(client, keys):
    sign_in(client, keys["agent"])
    desk = client.get("/ui/desk").text
    assert 'href="/ui/desk"' in desk
    assert 'href="/ui/playbooks"' not in desk and 'href="/ui/reports/roi"' not in desk


def test_a_page_script_must_send_the_csrf_token_to_change_anything(client, keys):
    sign_in(client, keys["agent"])
    token = page_csrf(client)
    assert client.get("/v1/models/current").status_code == 200  # reading needs no token

    for header in ({}, {CSRF_HEADER: "wrong"}, {CSRF_HEADER: "é" + token[1:]}):
        refused = client.post("/v1/assist", json=ASSIST_BODY, headers=header)
        assert refused.status_code == 403
        assert CSRF_HEADER in refused.json["error"]["message"]

    allowed = client.post("/v1/assist", json=ASSIST_BODY, headers={CSRF_HEADER: token})
    assert allowed.status_code == 200


def test_a_session_cookie_alone_does_not_open_a_role_the_key_lacks(client, keys):
    sign_in(client, keys["lead"])
    token = page_csrf(client, "/ui/playbooks")
    response = client.post("/v1/assist", json=ASSIST_BODY, headers={CSRF_HEADER: token})
    assert response.status_code == 403
    assert "agent" in response.json["error"]["message"]


def test_sign_out_ends_the_session_on_the_server(client, keys):
    sign_in(client, keys["agent"])
    session_id = client.get_cookie(SESSION_COOKIE).value
    response = client.post("/ui/logout", data={"csrf_token": page_csrf(client)})
    assert response.headers["Location"] == "/ui/login"
    assert client.get_cookie(SESSION_COOKIE) is None

    client.set_cookie(SESSION_COOKIE, session_id)  # the old cookie, replayed
    assert client.get("/v1/models/current").status_code == 401
    assert client.get("/ui/desk").status_code == 302


def test_sign_out_without_the_forms_token_does_not_end_the_session(client, keys):
    sign_in(client, keys["agent"])
    session_id = client.get_cookie(SESSION_COOKIE).value
    client.post("/ui/logout", data={"csrf_token": "forged"})
    client.set_cookie(SESSION_COOKIE, session_id)
    assert client.get("/ui/desk").status_code == 200


def test_revoking_the_key_ends_its_page_sessions(app, client, keys):
    sign_in(client, keys["agent"])
    key_id, _ = split_key(keys["agent"])
    with app.extensions["store"].uow() as uow:
        revoke_key(uow.session, key_id, actor="tests", now=datetime.now(UTC))
        uow.commit()
    app.extensions["key_cache"].clear()  # as if the per-worker cache period had passed
    assert client.get("/ui/desk").status_code == 302
    assert client.get("/v1/models/current").status_code == 401


@pytest.mark.parametrize(
    ("how", "expected"),
    [
        ({"query_string": {"lang": "ja"}}, "サインイン"),
        ({"headers": {"Accept-Language": "ja-JP,ja;q=0.9"}}, "サインイン"),
        ({"headers": {"Accept-Language": "en-US"}}, "Sign in"),
    ],
)
def test_the_sign_in_page_speaks_the_visitors_language(client, how, expected):
    page = client.get("/ui/login", **how)
    assert f"<h1>{expected}</h1>" in page.text


def test_api_calls_get_no_cookie_session_and_pages_keep_theirs(app, client, keys):
    """The signed-cookie session is opened for pages only: the sign-in form still gets its
    CSRF cookie, the real-time API neither reads nor writes one."""
    assert "session=" in client.get("/ui/login").headers.get("Set-Cookie", "")
    answer = client.post(
        "/v1/assist", json=ASSIST_BODY, headers={"Authorization": f"Bearer {keys['agent']}"}
    )
    assert answer.status_code == 200
    assert "Set-Cookie" not in answer.headers
    with app.test_request_context("/v1/assist", method="POST"):
        with pytest.raises(RuntimeError):
            session["login_csrf"] = "x"
