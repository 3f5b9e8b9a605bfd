"""GET /v1/reports/roi|segments|automation and the ROI plan (GET/POST /v1/reports/roi/plans)."""

from datetime import UTC, datetime

import marshmallow as ma
from flask import Response, current_app, g
from flask.views import MethodView

from assist_api.body_parser import Blueprint
from assist_api.reports import ReportQuery, rendered, run_report
from assist_api.reports.plan import declare_plan, list_plans, plan_in_force
from assist_api.routes.common import secured
from assist_api.schemas.plans import PlanOutSchema, PlanSchema, PlansSchema
from assist_api.schemas.reports import (
    AutomationReportSchema,
    ReportQuerySchema,
    RoiReportSchema,
    SegmentsReportSchema,
    query_parts,
)

blp = Blueprint("reports", __name__, url_prefix="/v1/reports", description="Reports for leads")
FORMATS = (
    "JSON by default; format=csv: a CSV download; format=html: a standalone printable page "
    "with its charts; format=pdf: the same charts as a PDF (lang=en|ja for both)"
)


def other_formats(view):
    """Document the CSV download, the HTML page and the PDF beside the JSON answer."""
    for media in ("text/csv", "text/html", "application/pdf"):
        view = blp.alt_response(
            200, schema={"type": "string"}, content_type=media, description=FORMATS, success=True
        )(view)
    return view


def _report(kind: str, args: dict):
    """The report as a dict for JSON (dumped by the view's schema), else a Response."""
    output, query = query_parts(args)
    settings = current_app.config["SETTINGS"]
    report = run_report(
        kind,
        current_app.extensions["store"],
        ReportQuery(**query),
        cost_per_agent_minute=settings.cost_per_agent_minute,
        now=datetime.now(UTC),
        holdout_rate=settings.holdout_rate,
        currency=settings.currency,
    )
    if output == "json":
        return report
    body, media, headers = rendered(report, output, args["lang"])
    return Response(body, content_type=media, headers=headers)


@blp.route("/roi")
class RoiReport(MethodView):
    @secured(blp, "lead")
    @blp.arguments(ReportQuerySchema, location="query", unknown=ma.RAISE)
    @blp.response(200, RoiReportSchema)
    @other_formats
    def get(self, args):
        """The ROI report: offered vs holdout with 95 % intervals, the return, the plan.

        Effects overall and by switching effort, activity, contact reason, channel,
        language, segment and pool; the financial return (incremental retained customers'
        CLV minus extra handle-time cost); each target of the plan in force judged.
        """
        return _report("roi", args)


@blp.route("/segments")
class SegmentsReport(MethodView):
    @secured(blp, "lead")
    @blp.arguments(ReportQuerySchema, location="query", unknown=ma.RAISE)
    @blp.response(200, SegmentsReportSchema)
    @other_formats
    def get(self, args):
        """The segments most open to value enhancement, ranked by size x lift."""
        return _report("segments", args)


@blp.route("/automation")
class AutomationReport(MethodView):
    @secured(blp, "lead")
    @blp.arguments(ReportQuerySchema, location="query", unknown=ma.RAISE)
    @blp.response(200, AutomationReportSchema)
    @other_formats
    def get(self, args):
        """Situations where VE already succeeds often and consistently: what to automate."""
        return _report("automation", args)


@blp.route("/roi/plans")
class RoiPlans(MethodView):
    @secured(blp, "lead")
    @blp.response(200, PlansSchema)
    def get(self):
        """Every ROI plan version, newest first, and the one in force now."""
        with current_app.extensions["store"].uow() as uow:
            return {
                "plans": list_plans(uow.session),
                "current": plan_in_force(uow.session, datetime.now(UTC)),
            }

    @secured(blp, "lead")
    @blp.arguments(PlanSchema)
    @blp.response(201, PlanOutSchema)
    def post(self, plan):
        """Declare a new plan version: success measures and targets, before the period.

        A declared plan also names its primary measure and minimum effect, its population
        (traits fixed before the offer only) and its period; the sample size it needs is
        computed now, from the population's last 90 days, and stored with it.

        Plans are never edited; a period is judged by the newest version that was both
        declared and effective when the period started.
        """
        return declare_plan(
            current_app.extensions["store"],
            plan,
            actor=g.identity.actor,
            now=datetime.now(UTC),
            holdout_rate=current_app.config["SETTINGS"].holdout_rate,
        )
