"""What every protected view declares: its roles, its security scheme, its error shapes."""

from assist_api.auth import require_role
from assist_api.errors import ErrorSchema


def secured(blp, *roles: str):
    """Require one of `roles` and document it (401/403 and bearer auth) in the OpenAPI."""
    who = ", ".join(roles) if roles else "any role"

    def decorator(view):
        view = require_role(*roles)(view)
        view = blp.doc(security=[{"bearerAuth": []}], description=f"Role: {who}.")(view)
        view = blp.alt_response(401, schema=ErrorSchema, description="no or unknown key")(view)
        return blp.alt_response(403, schema=ErrorSchema, description="role not allowed")(view)

    return decorator


def signature_secured(blp, scheme: str, header: str):
    """For platforms that call us themselves and cannot hold our key (Twilio, Zendesk):
    the view checks `header`, the platform's signature; documented as the `scheme`
    security scheme (assist_api.openapi) with its 401. `signed_by` marks the view for the
    checks that every /v1 operation is authenticated."""

    def decorator(view):
        view.signed_by = header
        view = blp.doc(
            security=[{scheme: []}],
            description=f"Authenticated by the platform's `{header}`, not by an API key.",
        )(view)
        return blp.alt_response(401, schema=ErrorSchema, description=f"missing or wrong {header}")(
            view
        )

    return decorator
