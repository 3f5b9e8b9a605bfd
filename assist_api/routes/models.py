"""The live model: what it is, and loading the registry's champion now."""

from flask import current_app
from flask.views import MethodView

from assist_api.body_parser import Blueprint
from assist_api.errors import NotReady
from assist_api.routes.common import secured
from assist_api.schemas.models import CurrentModelSchema, ReloadResultSchema
from assist_api.services.model_status import describe_current

blp = Blueprint("models", __name__, url_prefix="/v1/models", description="The live model")


@blp.route("/current")
class CurrentModel(MethodView):
    @secured(blp)
    @blp.response(200, CurrentModelSchema)
    def get(self):
        """The live model: name, version, metrics, band thresholds, loaded at."""
        scorer = current_app.extensions["scorer"]
        return describe_current(scorer, current_app.config["SETTINGS"])


@blp.route("/reload")
class ReloadModel(MethodView):
    @secured(blp, "scientist")
    @blp.response(200, ReloadResultSchema)
    def post(self):
        """Load the registry's current champion now (no restart, no dropped request)."""
        scorer = current_app.extensions["scorer"]
        changed, model = scorer.reload()
        if model is None:
            raise NotReady("no model could be loaded", details=scorer.status())
        settings = current_app.config["SETTINGS"]
        return {"changed": changed, "model": describe_current(scorer, settings)}
