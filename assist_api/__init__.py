"""Value Assist's HTTP service. `create_app` builds it; nothing is configured at import."""

import logging
import secrets
from pathlib import Path

from flask import Flask, g, request

from assist_api.body_drain import DrainUnreadBody
from assist_api.config import Settings, load_settings
from assist_api.errors import (
    AssistError,
    assist_error_response,
    error_body,
    store_unavailable_response,
    unexpected_error_response,
)
from assist_api.flask_session import API_PREFIX, PageSessionInterface
from assist_api.json_provider import OrjsonProvider

JSON_METHODS = ("POST", "PUT", "PATCH")
FORM_TYPE = "application/x-www-form-urlencoded"
STATIC_MAX_AGE_SECONDS = 3600
# Sent with every response: pages load only their own scripts and cannot be framed.
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
    "style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'",
}
# Answers and pages hold personal data: no browser or proxy may keep a copy.
PRIVATE_PREFIXES = (API_PREFIX, "/ui/")
# Swagger UI's page (flask-smorest's template) starts itself with an inline script.
DOCS_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; frame-ancestors 'none'"
)
# Platforms that post form-encoded callbacks (they sign them; the route checks that).
FORM_PATHS = frozenset({API_PREFIX + "connectors/twilio"})


def create_app(config: Settings | dict | None = None) -> Flask:
    """The app for `config` (Settings, a dict of overrides, or None: the environment)."""
    settings = config if isinstance(config, Settings) else load_settings(**(config or {}))
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=settings.log_level)

    app = Flask(__name__)
    app.config["SETTINGS"] = settings
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    # Flask's own cookie only carries the sign-in form's CSRF token.
    app.config["SESSION_COOKIE_SAMESITE"] = "Strict"
    app.config["SESSION_COOKIE_SECURE"] = settings.secure_cookies
    app.config["SECRET_KEY"] = settings.secret_key or _persistent_secret(settings.data_dir)
    app.session_interface = PageSessionInterface()
    app.json = OrjsonProvider(app)  # UTF-8 (Japanese stays readable), the schemas' order

    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = STATIC_MAX_AGE_SECONDS
    _init_extensions(app, settings)
    _register_routes(app)
    _register_error_handlers(app)
    _register_request_hooks(app)
    app.wsgi_app = DrainUnreadBody(app.wsgi_app, settings.max_request_bytes)
    return app


def _init_extensions(app: Flask, settings: Settings) -> None:
    from functools import partial

    from assist_api.auth import KeyCache
    from assist_api.services.access.rate_limit import RateLimiter
    from assist_api.services.assist.pipeline import AssistDependencies, assist
    from assist_api.services.customers.guidance import GuidanceBoard
    from assist_api.services.customers.profiles import ProfileCache
    from assist_api.services.customers.stream import StreamDependencies
    from assist_api.services.decisions.log import DecisionLog
    from assist_api.services.decisions.spool import Spool
    from assist_api.services.decisions.spooling import SpoolingDecisionLog
    from assist_api.services.learning.shadow import ShadowScorer, registry_loader
    from assist_api.services.playbooks.catalog import StoreCardCatalog
    from assist_api.services.playbooks.editing import seed_if_empty
    from assist_api.services.routing.pool_cache import build_pool_cache
    from assist_api.services.routing.value import ValueRouter
    from assist_api.store.prepared import request_checkout
    from assist_api.store.store import Store
    from assist_api.store.wal_checkpoint import WalCheckpointer
    from models.scorer import Scorer

    store = Store.open(
        settings.database_url,
        timeout_seconds=settings.outbound_timeout_seconds,
        sqlite_synchronous=settings.sqlite_synchronous,
    )
    app.extensions["store"] = store
    if store.engine.dialect.name == "sqlite":
        app.extensions["wal_checkpointer"] = WalCheckpointer(store.engine).start()
    app.extensions["key_cache"] = KeyCache(store)
    if settings.rate_limit_per_minute > 0:
        app.extensions["rate_limiter"] = RateLimiter(settings.rate_limit_per_minute)
    if settings.login_attempts_per_minute > 0:  # guessing keys on the sign-in form
        app.extensions["login_limiter"] = RateLimiter(settings.login_attempts_per_minute)
    decision_log = SpoolingDecisionLog(DecisionLog(store), Spool(settings.spool_dir), store)
    if decision_log.spool.files():  # left by a worker that ran while the store was down
        decision_log.start_draining()
    scorer = Scorer(settings)
    scorer.init_app(app)  # loads the champion (or the cached model) once per worker
    if settings.model_check_seconds > 0:
        scorer.start_watching(settings.model_check_seconds)
    seed_if_empty(store)  # first start: the starter playbook; the store rules afterwards
    catalog = StoreCardCatalog(store, settings.playbook_refresh_seconds)
    catalog.published()  # load now rather than during the first request
    app.extensions["card_catalog"] = catalog
    pools = build_pool_cache(store, settings)
    profiles = ProfileCache(store, settings.profile_cache_seconds)
    app.extensions["profile_cache"] = profiles
    # the challenger of `models shadow`, re-read as often as a publish reaches a worker
    shadow = ShadowScorer(
        store, settings.model_name, registry_loader(settings), settings.playbook_refresh_seconds
    )
    shadow.refresh()  # loaded with the worker, like the champion
    app.extensions["shadow"] = shadow
    deps = AssistDependencies(
        settings=settings,
        scorer=scorer,
        cards=catalog.published,
        recent_views=catalog.recent_views,
        decision_log=decision_log,
        router=ValueRouter(settings, pools, retention_gain=pools.retention_gain),
        agent_skill=pools.agent_skill,
        checkout=partial(request_checkout, store.engine),
        profiles=profiles.lookup,
        shadow=shadow,
    )
    app.extensions["assist_dependencies"] = deps
    app.extensions["stream"] = StreamDependencies(
        store=store,
        board=GuidanceBoard(
            store,
            max_waits=settings.guidance_waits_per_worker,
            poll_seconds=settings.guidance_poll_seconds,
        ),
        assist=lambda request, defaults, test: assist(
            request, deps, customer_defaults=defaults, test=test
        ),
        max_transcript_chars=settings.max_transcript_chars,
    )


def _register_routes(app: Flask) -> None:
    from assist_api.openapi import init_api
    from assist_api.routes import (
        assist,
        connectors,
        contact,
        customers,
        desk_page,
        feedback,
        health,
        interactions,
        models,
        outcomes,
        pages,
        playbooks,
        playbooks_page,
        pools,
        report_pages,
        reports,
    )
    from assist_api.ui_text import TEXT, merge_texts

    api = init_api(app)
    # flask-smorest blueprints, documented in the OpenAPI (in this order)
    for resource in (
        assist,
        models,
        outcomes,
        reports,
        pools,
        playbooks,
        feedback,
        contact,
        customers,
        interactions,
        connectors,
    ):
        api.register_blueprint(resource.blp)
    # plain Flask blueprints: the web pages, not part of the OpenAPI document
    for page in (pages, playbooks_page, desk_page, report_pages):
        app.register_blueprint(page.blp)
    app.register_blueprint(health.blp)
    # the pages' words: data read once here, never registered at import
    page_text = {
        "playbooks": playbooks_page.editor_text(),
        "desk": desk_page.desk_text(),
        "reports": report_pages.PAGE_TEXT,
    }
    app.extensions["ui_text"] = merge_texts(TEXT, *page_text.values())
    app.extensions["ui_text_pages"] = page_text


def _register_error_handlers(app: Flask) -> None:
    from sqlalchemy import exc

    app.register_error_handler(AssistError, assist_error_response)
    # The database is down, locked or too slow: a retryable 503, not a 500.
    app.register_error_handler(exc.OperationalError, store_unavailable_response)
    app.register_error_handler(exc.TimeoutError, store_unavailable_response)
    app.register_error_handler(Exception, unexpected_error_response)


def _register_request_hooks(app: Flask) -> None:
    import time

    from assist_api.json_limits import load_checked
    from assist_api.metrics import REQUEST_SECONDS

    settings = app.config["SETTINGS"]

    @app.before_request
    def start_clock_and_check_body():
        g.started = time.perf_counter()
        has_body = request.content_length or request.headers.get("Transfer-Encoding")
        if request.path.startswith(API_PREFIX) and request.method in JSON_METHODS and has_body:
            if request.path in FORM_PATHS and request.mimetype == FORM_TYPE:
                return None
            if not request.is_json:
                message = "send the body as JSON with Content-Type: application/json"
                return error_body(415, message), 415
            g.json_body = load_checked(  # read by the routes' argument parser
                request.get_data(cache=True),
                max_depth=settings.max_json_depth,
                max_string_chars=settings.max_json_string_chars,
            )
        return None

    @app.after_request
    def observe_latency(response):
        response.headers.update(SECURITY_HEADERS)
        if request.path.startswith(PRIVATE_PREFIXES):
            response.headers["Cache-Control"] = "no-store"
        if request.path == "/docs":
            response.headers["Content-Security-Policy"] = DOCS_CSP
        rule = request.url_rule.rule if request.url_rule else "unmatched"
        REQUEST_SECONDS.labels(rule, request.method, str(response.status_code)).observe(
            time.perf_counter() - g.get("started", time.perf_counter())
        )
        return response


def _persistent_secret(data_dir: Path) -> str:
    """A session-signing secret generated once per data directory and kept there.

    gunicorn workers build their apps at the same moment, so the file is written whole
    under a temporary name and linked into place, which fails if another worker won: every
    worker then reads the same complete secret (two secrets would reject each other's
    cookies, and a worker could read a half-written file).
    """
    import os
    import tempfile

    path = data_dir / "secret_key"
    if not path.exists():
        handle, scratch = tempfile.mkstemp(dir=data_dir, prefix=".secret_key.")  # mode 0600
        try:
            with os.fdopen(handle, "w") as file:
                file.write(secrets.token_hex(32))
            os.link(scratch, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(scratch)
    return path.read_text().strip()
