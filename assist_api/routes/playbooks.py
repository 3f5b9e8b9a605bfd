"""/v1/playbooks — the cards CS leads write, version, approve and preview.

Agents read the published cards; leads save drafts (optimistic locking on
`base_version`), publish, roll back, read the history and preview drafts. A publish in
this worker is seen by its next request; other workers pick it up within
`playbook_refresh_seconds`.
"""

from flask import current_app, g
from flask.views import MethodView

from assist_api.body_parser import Blueprint
from assist_api.errors import ErrorSchema
from assist_api.routes.common import secured
from assist_api.schemas.playbooks import (
    CardEventSchema,
    CardStateSchema,
    DraftSchema,
    PreviewRequestSchema,
    PreviewSchema,
    PublishSchema,
    RollbackSchema,
    VersionHistorySchema,
    VersionSchema,
)
from assist_api.services.playbooks import editing, reading

blp = Blueprint(
    "playbooks", __name__, url_prefix="/v1/playbooks", description="Playbook cards for agents"
)
EDITORS = ("lead", "admin")


def _in_transaction(work, *args, **kwargs):
    """Run a playbooks service function in one unit of work and commit it."""
    with current_app.extensions["store"].uow() as uow:
        result = work(uow.session, *args, **kwargs)
        uow.commit()
    return result


def _went_live(result):
    current_app.extensions["card_catalog"].refresh_soon()
    return result


def _editor() -> dict:
    settings = current_app.config["SETTINGS"]
    return {"actor": g.identity.actor, "two_person": settings.two_person_publish}


@blp.route("")
class Playbooks(MethodView):
    @secured(blp, "agent", "lead")
    @blp.response(200, CardStateSchema(many=True))
    def get(self):
        """Every published card (leads also see cards with no published version yet)."""
        return _in_transaction(reading.list_cards, include_unpublished=g.identity.role in EDITORS)


@blp.route("/<string:card_id>")
class PlaybookCard(MethodView):
    @secured(blp, "agent", "lead")
    @blp.response(200, CardStateSchema)
    @blp.alt_response(404, schema=ErrorSchema, description="no such (published) card")
    def get(self, card_id):
        """One card: its published document and version numbers."""
        include = g.identity.role in EDITORS
        return _in_transaction(reading.get_card, card_id, include_unpublished=include)

    @secured(blp, "lead")
    @blp.arguments(DraftSchema)
    @blp.response(200, VersionSchema)
    @blp.alt_response(404, schema=ErrorSchema, description="no such card")
    @blp.alt_response(409, schema=ErrorSchema, description="base_version is not the latest")
    @blp.alt_response(422, schema=ErrorSchema, description="invalid fields, each named")
    def put(self, data, card_id):
        """Save a validated draft as the card's next version (not yet published).

        Send the card document plus `base_version`, the version you edited. If someone
        saved since, the answer is 409 and nothing is stored: reload and reapply.
        Templates are checked here, so a draft that saves can always be rendered.
        """
        return _in_transaction(
            editing.save_draft,
            card_id,
            data["card"],
            data["base_version"],
            actor=g.identity.actor,
            note=data["note"],
        )


@blp.route("/<string:card_id>/publish")
class PublishCard(MethodView):
    @secured(blp, "lead")
    @blp.arguments(PublishSchema)
    @blp.response(200, CardStateSchema)
    @blp.alt_response(403, schema=ErrorSchema, description="two-person rule: not the author")
    @blp.alt_response(404, schema=ErrorSchema, description="no such card")
    @blp.alt_response(409, schema=ErrorSchema, description="already published")
    def post(self, data, card_id):
        """Publish a version: agents get it within seconds, in every worker."""
        state = _in_transaction(editing.publish, card_id, data["version"], **_editor())
        return _went_live(state)


@blp.route("/<string:card_id>/rollback")
class RollbackCard(MethodView):
    @secured(blp, "lead")
    @blp.arguments(RollbackSchema)
    @blp.response(200, CardStateSchema)
    @blp.alt_response(409, schema=ErrorSchema, description="nothing published yet")
    @blp.alt_response(404, schema=ErrorSchema, description="no such card")
    def post(self, data, card_id):
        """Go back to an earlier version: it is published again, later versions are kept."""
        state = _in_transaction(editing.rollback, card_id, data["to_version"], **_editor())
        return _went_live(state)


@blp.route("/<string:card_id>/versions")
class CardVersions(MethodView):
    @secured(blp, "lead")
    @blp.response(200, VersionHistorySchema(many=True))
    @blp.alt_response(404, schema=ErrorSchema, description="no such card")
    def get(self, card_id):
        """Every version, newest first: who, when, the document and a diff."""
        return _in_transaction(reading.versions, card_id)


@blp.route("/<string:card_id>/events")
class CardEvents(MethodView):
    @secured(blp, "lead")
    @blp.response(200, CardEventSchema(many=True))
    @blp.alt_response(404, schema=ErrorSchema, description="no such card")
    def get(self, card_id):
        """Publishes and rollbacks of the card, newest first: who, when, which version."""
        return _in_transaction(reading.events, card_id)


@blp.route("/<string:card_id>/preview")
class PreviewCard(MethodView):
    @secured(blp, "lead")
    @blp.arguments(PreviewRequestSchema)
    @blp.response(200, PreviewSchema)
    @blp.alt_response(422, schema=ErrorSchema, description="invalid fields, each named")
    def post(self, data, card_id):
        """Render a draft in Japanese and English for a sample interaction (nothing saved)."""
        return reading.preview(card_id, data["card"], data["sample"])
