"""One error hierarchy and one handler: every /v1 error is the contract's JSON shape.

`{"error": {"code": "...", "message": "...", "details": {...}}}` — never a stack trace,
never an HTML page. Services raise `AssistError` subclasses; routes never build errors.
"""

import logging

import marshmallow as ma
from flask import request
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

# HTTP status -> the contract's machine-readable code
STATUS_CODES = {
    400: "malformed_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_fields",
    429: "rate_limited",
    500: "internal_error",
    503: "not_ready",
}


STORE_RETRY_AFTER_SECONDS = 5


class AssistError(Exception):
    """An error a client can act on; carries its HTTP status and details."""

    status = 400

    def __init__(
        self,
        message: str,
        *,
        details: dict | None = None,
        code: str | None = None,
        headers: dict | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.details = details or {}
        self.code = code or STATUS_CODES.get(self.status, "error")
        self.headers = headers or {}


class Malformed(AssistError):
    status = 400


class NotFound(AssistError):
    status = 404


class Conflict(AssistError):
    status = 409


class InvalidFields(AssistError):
    """422 with every invalid field named: details = {"fields": {"a.b": ["reason", ...]}}."""

    status = 422

    def __init__(self, fields: dict[str, list[str]], message: str | None = None):
        names = ", ".join(sorted(fields))
        super().__init__(message or f"invalid fields: {names}", details={"fields": fields})


class TooLarge(AssistError):
    status = 413


class Forbidden(AssistError):
    status = 403


class Unauthenticated(AssistError):
    status = 401


class NotReady(AssistError):
    status = 503


class RateLimited(AssistError):
    status = 429


class ErrorBodySchema(ma.Schema):
    code = ma.fields.String(required=True, metadata={"description": "machine-readable code"})
    message = ma.fields.String(required=True)
    details = ma.fields.Dict()


class ErrorSchema(ma.Schema):
    """The error shape of every /v1 response with a 4xx or 5xx status."""

    error = ma.fields.Nested(ErrorBodySchema, required=True)


def error_body(status: int, message: str, details: dict | None = None, code=None) -> dict:
    return {
        "error": {
            "code": code or STATUS_CODES.get(status, "error"),
            "message": message,
            "details": details or {},
        }
    }


def flatten_messages(messages, prefix: str = "") -> dict[str, list[str]]:
    """marshmallow's nested messages -> {"customer.days_since_purchase": ["..."]}."""
    flat: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if key == "_schema":
                name = prefix or "body"
            for field_name, reasons in flatten_messages(value, name).items():
                flat.setdefault(field_name, []).extend(reasons)
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        flat[prefix or "body"] = list(messages)
    elif isinstance(messages, list):
        for index, value in enumerate(messages):
            flat.update(flatten_messages(value, f"{prefix}[{index}]"))
    else:
        flat[prefix or "body"] = [str(messages)]
    return flat


def http_exception_response(error: HTTPException):
    """Werkzeug/webargs HTTP errors (404, 405, 413, webargs 422/400) in the contract shape."""
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    messages = data.get("messages") or data.get("errors")
    if status == 422 and messages:
        location_messages = messages.get("json", messages) if isinstance(messages, dict) else {}
        fields = flatten_messages(location_messages)
        body = error_body(422, f"invalid fields: {', '.join(sorted(fields))}", {"fields": fields})
        return body, 422
    if status == 400 and messages:
        return error_body(400, "the request body is not valid JSON"), 400
    message = data.get("message") or _plain_message(error)
    return error_body(status, message), status, data.get("headers", {})


def _plain_message(error: HTTPException) -> str:
    if error.code == 404:
        return f"no such resource: {request.path}"
    if error.code == 405:
        return f"{request.method} is not allowed on {request.path}"
    if error.code == 413:
        return "the request body is too large"
    return error.description or error.name


def assist_error_response(error: AssistError):
    body = error_body(error.status, error.message, error.details, error.code)
    return body, error.status, error.headers


def store_unavailable_response(error: Exception):
    """The database cannot be reached (down, locked, timed out): 503, retry later.

    The driver's message is logged, never sent: it can hold SQL and host names.
    """
    where = f"{request.method} {request.path}"
    log.warning("store unavailable on %s: %s", where, str(error).replace("\n", " ")[:300])
    body = error_body(503, "the store is unavailable; retry shortly", code="store_unavailable")
    return body, 503, {"Retry-After": str(STORE_RETRY_AFTER_SECONDS)}


def unexpected_error_response(error: Exception):
    log.exception("unexpected error on %s %s", request.method, request.path)
    return error_body(500, "an unexpected error occurred; it has been logged"), 500
