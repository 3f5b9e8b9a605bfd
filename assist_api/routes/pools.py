"""Agent pools: leads define them; the routing platform reports their free seats."""

from datetime import UTC, datetime

from flask import current_app, g
from flask.views import MethodView

from assist_api.body_parser import Blueprint
from assist_api.errors import ErrorSchema
from assist_api.routes.common import secured
from assist_api.schemas.pools import (
    CapacityRequestSchema,
    CapacityResponseSchema,
    PoolListSchema,
    PoolRequestSchema,
    PoolSchema,
)
from assist_api.services.access.authorization import FEED_ROLES
from assist_api.services.routing.pools import get_pool, list_pools, put_pool, report_capacity

blp = Blueprint("pools", __name__, url_prefix="/v1/pools", description="Agent pools")


def _view_settings() -> dict:
    settings = current_app.config["SETTINGS"]
    return {
        "now": datetime.now(UTC),
        "stale_seconds": settings.capacity_stale_seconds,
        "min_attempts": settings.skill_min_attempts,
    }


@blp.route("")
class Pools(MethodView):
    @secured(blp, "lead")
    @blp.response(200, PoolListSchema)
    def get(self):
        """Every pool with its members, their measured skill, and its free seats."""
        store = current_app.extensions["store"]
        return {"pools": list_pools(store, **_view_settings())}


@blp.route("/<string:pool_id>")
class PoolById(MethodView):
    @secured(blp, "lead")
    @blp.arguments(PoolRequestSchema)
    @blp.response(200, PoolSchema)
    @blp.alt_response(422, schema=ErrorSchema, description="invalid fields, each named")
    def put(self, data, pool_id):
        """Create or replace a pool: its languages, channels and members (audited).

        Members listed here that sit in another pool move to this one; members no longer
        listed leave it. Routing picks the change up within `pool_refresh_seconds`.
        """
        store = current_app.extensions["store"]
        put_pool(store, pool_id, data, actor=g.identity.actor, now=datetime.now(UTC))
        return get_pool(store, pool_id, **_view_settings())


@blp.route("/<string:pool_id>/capacity")
class PoolCapacity(MethodView):
    # the routing platform's feed (system), or a lead by hand; never an agent's desk
    @secured(blp, *FEED_ROLES)
    @blp.arguments(CapacityRequestSchema)
    @blp.response(200, CapacityResponseSchema)
    @blp.alt_response(404, schema=ErrorSchema, description="no such pool")
    @blp.alt_response(409, schema=ErrorSchema, description="a newer report is already stored")
    def put(self, data, pool_id):
        """Report the pool's free seats now (from the routing platform).

        A report older than `capacity_stale_seconds` counts as unknown capacity, and
        routing then falls back to the next pool.
        """
        store = current_app.extensions["store"]
        return report_capacity(
            store, pool_id, data["free"], data["reported_at"], now=datetime.now(UTC)
        )
