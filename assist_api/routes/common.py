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
