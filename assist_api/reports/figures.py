"""Which charts each report shows, built from the report dict alone (reports.charts draws).

The printable page embeds them as SVG and the PDF as vector pages, from the same
functions on the same dict, so the two cannot disagree; the web pages show the printable
page's charts.
"""

from assist_api.reports import charts
from assist_api.reports.effects import MEASURES
from assist_api.reports.texts import measure_label, report_texts

POINTS = 100.0


def roi_figures(report: dict, language: str) -> list:
    """[(chart id, title, Figure)]: every measure's interval, then the cumulative lift."""
    t = report_texts(language)
    rows = [
        {
            "label": measure_label(name, language),
            "lift": figure["lift"],
            "ci95": figure["ci95"],
            "scale": POINTS if MEASURES[name].kind == "share" else 1.0,
        }
        for name, figure in report["effects"].items()
    ]
    series = {name: measure_label(name, language) for name in ("ve_success", "retained_60d")}
    return [
        ("intervals", t.intervals_chart, charts.intervals(rows, t.intervals_chart, t.lift_axis)),
        (
            "cumulative",
            t.cumulative_chart,
            charts.cumulative(report.get("cumulative") or [], series, t.cumulative_chart),
        ),
    ]


def segments_figures(report: dict, language: str) -> list:
    t = report_texts(language)
    rows = [
        {"label": row["label"], "estimate": row["shrunk_lift"], "ci95": row["shrunk_ci95"]}
        for row in report["ranked"]
    ]
    return [("ranking", t.ranking_chart, charts.ranking(rows, t.ranking_chart, t.lift_axis))]


def automation_figures(report: dict, language: str) -> list:
    t = report_texts(language)
    rows = [
        {
            "label": f"{s['activity']} · {s['contact_reason']} · {s['channel']}",
            "estimate": s["success"]["rate"],
            "ci95": s["success"]["ci95"],
        }
        for s in report["situations"]
        if s["status"] == "candidate"
    ]
    return [("ranking", t.automation_chart, charts.ranking(rows, t.automation_chart, "%", POINTS))]


BUILDERS = {"roi": roi_figures, "segments": segments_figures, "automation": automation_figures}


def figures(report: dict, language: str) -> list:
    return BUILDERS[report["report"]](report, language)


def svgs(report: dict, language: str) -> list[dict]:
    """[{id, title, svg}] for a page."""
    return [
        {"id": name, "title": title, "svg": charts.svg(figure, title)}
        for name, title, figure in figures(report, language)
    ]
