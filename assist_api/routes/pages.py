"""Web pages' common ground: sign-in with an API key, sign-out, and the page decorator.

Pages are server-rendered shells whose scripts call the public /v1 API with the session
cookie (plus the CSRF token from the page's <meta> tag), so a page can never do more
than the signed-in key's role allows.
"""

import hmac
import secrets
from datetime import UTC, datetime
from functools import wraps
from urllib.parse import urlparse

from flask import (
    Blueprint,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from assist_api.auth import SESSION_COOKIE, current_page_session
from assist_api.services.access.sessions import SESSION_HOURS, end_session, start_session
from assist_api.ui_text import page_language, texts

blp = Blueprint("pages", __name__, url_prefix="/ui")

# The first page each role lands on after signing in.
HOME_BY_ROLE = {
    "agent": "/ui/desk",
    "lead": "/ui/playbooks",
    "scientist": "/docs",
    "admin": "/ui/desk",
    "system": "/docs",
}


def page(*roles: str):
    """A page for signed-in users with one of `roles` (admins see every page)."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            signed_in = current_page_session()
            if signed_in is None:
                return redirect(url_for("pages.login", next=request.full_path.rstrip("?")))
            g.page_session = signed_in  # the 403 page too keeps the nav and sign-out
            role = signed_in.identity.role
            if roles and role not in roles and role != "admin":
                return render_page("forbidden.html", status=403, needed=" / ".join(roles))
            return view(*args, **kwargs)

        return wrapper

    return decorator


def render_page(template: str, status: int = 200, **context):
    """The page in the visitor's language; never stored by a cache (it holds the session's
    CSRF token and the signed-in name, and must not reappear after signing out)."""
    lang = page_language()
    signed_in = g.get("page_session")
    html = render_template(
        template,
        lang=lang,
        t=texts(lang),
        identity=signed_in.identity if signed_in else None,
        csrf_token=signed_in.csrf_token if signed_in else "",
        **context,
    )
    return html, status, {"Cache-Control": "no-store"}


@blp.get("/")
def home():
    signed_in = current_page_session()
    if signed_in is None:
        return redirect(url_for("pages.login"))
    return redirect(HOME_BY_ROLE.get(signed_in.identity.role, "/ui/desk"))


@blp.route("/login", methods=["GET", "POST"])
def login():
    error = None
    if request.method == "POST":
        limiter = current_app.extensions.get("login_limiter")
        if limiter is not None:  # per client address: 429 with Retry-After when over
            limiter.check(f"sign-in from {request.remote_addr}")
        if not _same_token(request.form.get("csrf_token"), session.get("login_csrf")):
            error = "form_expired"
        else:
            store = current_app.extensions["store"]
            with store.uow() as uow:
                try:
                    session_id, signed_in = start_session(
                        uow.session, request.form.get("api_key", "").strip(), datetime.now(UTC)
                    )
                    uow.commit()
                except ValueError:
                    error = "bad_key"
            if error is None:
                target = _safe_next(request.args.get("next")) or HOME_BY_ROLE.get(
                    signed_in.identity.role, "/ui/desk"
                )
                response = redirect(target)
                response.set_cookie(
                    SESSION_COOKIE,
                    session_id,
                    max_age=SESSION_HOURS * 3600,
                    httponly=True,
                    secure=current_app.config["SETTINGS"].secure_cookies,
                    samesite="Strict",
                    path="/",
                )
                return response
    session["login_csrf"] = session.get("login_csrf") or secrets.token_urlsafe(24)
    return render_page(
        "login.html",
        status=401 if error else 200,
        error=error,
        login_csrf=session["login_csrf"],
    )


@blp.post("/logout")
def logout():
    session_id = request.cookies.get(SESSION_COOKIE)
    signed_in = current_page_session()
    if (
        session_id
        and signed_in
        and _same_token(request.form.get("csrf_token"), signed_in.csrf_token)
    ):
        store = current_app.extensions["store"]
        with store.uow() as uow:
            end_session(uow.session, session_id)
            uow.commit()
        current_app.extensions["key_cache"].forget_session(session_id)
    response = redirect(url_for("pages.login"))
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _same_token(sent: str | None, expected: str | None) -> bool:
    """A constant-time match of a form's CSRF token; nothing matches a missing token."""
    if not sent or not expected:
        return False
    return hmac.compare_digest(sent.encode(), expected.encode())


def _safe_next(target: str | None) -> str | None:
    r"""Only same-site paths: never redirect a signed-in user to another host.

    Browsers read a backslash as a slash and drop tabs and newlines, so "/\evil.example"
    or "/<tab>/evil.example" would leave the site: paths with them are refused.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) <= 0x20 or ord(ch) == 0x7F for ch in target):
        return None
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc:
        return None
    return target
