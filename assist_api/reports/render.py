"""Reports as CSV (one tidy table per report), a standalone HTML page (Jinja) and a PDF.

The HTML is a self-contained document to save or mail to executives: no scripts, no
external files, every value escaped, in English or Japanese, with the charts drawn on the
server (reports.figures) — the PDF (reports.pdf) holds the same charts from the same
code, so the page and the PDF cannot disagree. CSV cells that are text and start with a formula
character are prefixed with an apostrophe, so an imported pool or persona name can never
run as a spreadsheet formula.
"""

import csv
import io

from jinja2 import Environment, PackageLoader, select_autoescape

from assist_api.reports.effects import MEASURES
from assist_api.reports.figures import svgs
from assist_api.reports.money import in_words, money
from assist_api.reports.texts import measure_label, method_text, report_texts, unit_label

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SHARE_MEASURES = frozenset(name for name, m in MEASURES.items() if m.kind == "share")
ROI_COLUMNS = (
    "section",
    "dimension",
    "group",
    "measure",
    "offered",
    "holdout",
    "lift",
    "value",
    "ci95_low",
    "ci95_high",
    "n_offered",
    "n_holdout",
    "n",
    "published",
    "target",
    "status",
)
SEGMENT_COLUMNS = (
    "rank",
    "days_since_purchase",
    "persona",
    "contact_reason",
    "channel",
    "n",
    "ve_success_offered",
    "ve_success_holdout",
    "lift",
    "ci95_low",
    "ci95_high",
    "openness",
    "openness_ci95_low",
    "openness_ci95_high",
    "score_mean",
    "opportunity",
    "opportunity_ci95_low",
    "opportunity_ci95_high",
)
AUTOMATION_COLUMNS = (
    "activity",
    "contact_reason",
    "channel",
    "volume",
    "attempts",
    "respondents",
    "success_rate",
    "ci95_low",
    "ci95_high",
    "first_half_rate",
    "second_half_rate",
    "agents",
    "status",
)

_environment = Environment(
    loader=PackageLoader("assist_api", "templates/reports"),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def percent(value, digits: int = 1) -> str:
    return "–" if value is None else f"{value * 100:.{digits}f} %"


def points(value, digits: int = 1) -> str:
    return "–" if value is None else f"{value * 100:+.{digits}f} pts"


def number(value, digits: int = 0) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def signed(value, digits: int = 1) -> str:
    return "–" if value is None else f"{value:+,.{digits}f}"


def pvalue(value) -> str:
    """A p-value as a reader compares it with 0.05 or 0.001: three decimals, or < 0.001."""
    if value is None:
        return "–"
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


_environment.filters.update(
    percent=percent, points=points, number=number, signed=signed, pvalue=pvalue
)
_environment.globals["SHARE_MEASURES"] = SHARE_MEASURES
_environment.globals["MEASURES"] = MEASURES


def currency_of(report: dict) -> str:
    return report.get("currency") or (report.get("cost_basis") or {}).get("currency") or "USD"


def to_html(report: dict, language: str = "en", *, fragment: bool = False) -> str:
    """The report as a standalone HTML document in `language` (en or ja), charts inline;
    with `fragment`, only its body (for a web page that shows the same report)."""
    currency = currency_of(report)
    return _environment.get_template(f"{report['report']}.html").render(
        layout="_fragment.html" if fragment else "_layout.html",
        report=report,
        lang="ja" if language == "ja" else "en",
        t=report_texts(language),
        charts=svgs(report, language),
        money=lambda value: money(value, currency, language),
        words=lambda amount, is_money=True: in_words(amount, currency, language, is_money=is_money),
        label=lambda name: measure_label(name, language),
        unit=lambda name: unit_label(name, language),
        method=lambda name, english: method_text(name, english, language),
    )


def to_csv(report: dict) -> str:
    columns, rows = {
        "roi": (ROI_COLUMNS, _roi_rows),
        "segments": (SEGMENT_COLUMNS, _segment_rows),
        "automation": (AUTOMATION_COLUMNS, _automation_rows),
    }[report["report"]]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows(report):
        writer.writerow({key: _safe(value) for key, value in row.items()})
    return buffer.getvalue()


def _safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _interval(interval) -> dict:
    low, high = interval if interval else (None, None)
    return {"ci95_low": low, "ci95_high": high}


def _effect_row(section, dimension, group, measure, figure) -> dict:
    return {
        "section": section,
        "dimension": dimension,
        "group": group,
        "measure": measure,
        "offered": figure["offered"],
        "holdout": figure["holdout"],
        "lift": figure["lift"],
        **_interval(figure["ci95"]),
        "n_offered": figure["n_offered"],
        "n_holdout": figure["n_holdout"],
    }


def _roi_rows(report: dict):
    for name, value in report["counts"].items():
        yield {"section": "counts", "measure": name, "value": value}
    health = report.get("health") or {}
    if health:
        srm = health["sample_ratio"]
        yield {
            "section": "health",
            "measure": "sample_ratio",
            "value": srm["observed_holdout_share"],
            "published": srm["expected_holdout_share"],
            "status": "flag" if srm["flag"] else "ok",
        }
        for name, check in health["outcome_recording"].items():
            yield {
                "section": "health",
                "dimension": check["unit"],
                "measure": f"recording_{name}",
                "offered": check["rate_offered"],
                "holdout": check["rate_holdout"],
                **_interval(check["bounds"]),
                "status": "flag" if check["flag"] else "ok",
            }
    for measure, figure in report["effects"].items():
        yield _effect_row("effects", "all", "all", measure, figure)
    for dimension, groups in report["by"].items():
        for group, summary in groups.items():
            for measure in MEASURES:
                if measure in summary:
                    yield _effect_row("by", dimension, group, measure, summary[measure])
    for effort, figures in report["retention_by_ve"].items():
        for key in ("with_ve", "without_ve"):
            yield {
                "section": "retention_by_ve",
                "dimension": "switching_effort",
                "group": effort,
                "measure": f"retained_60d_{key}",
                "value": figures[key]["rate"],
                **_interval(figures[key]["ci95"]),
                "n": figures[key]["n"],
                "published": figures["published"][key],
            }
    for name, amount in report["financial"].items():
        if isinstance(amount, dict) and "value" in amount:
            yield {
                "section": "financial",
                "measure": name,
                "value": amount["value"],
                **_interval(amount["ci95"]),
            }
    for measure in ("ve_success", "retained_60d"):
        if report["routing"].get("available"):
            yield _effect_row(
                "routing", "routing", "model_vs_control", measure, report["routing"][measure]
            )
    for section in ("trend", "cumulative"):
        for point in report.get(section) or ():
            for measure in ("ve_success", "retained_60d"):
                yield _effect_row(
                    section, point["granularity"], point["start"], measure, point[measure]
                )
    for target in (report.get("plan") or {}).get("targets", ()):
        yield {
            "section": "plan",
            "measure": target["measure"],
            "value": target["estimate"],
            **_interval(target["ci95"]),
            "target": target["target"],
            "status": target["status"],
        }


def _segment_rows(report: dict):
    ranks = {row["label"]: i for i, row in enumerate(report["ranked"], start=1)}
    singles = [row for rows in report["by"].values() for row in rows]
    pairs = [row for row in report["ranked"] if len(row["dimensions"]) > 1]
    for row in singles + pairs:
        figure, openness, opportunity = row["ve_success"], row["openness"], row["opportunity"]
        o_low, o_high = openness["ci95"] or (None, None)
        p_low, p_high = opportunity["ci95"] or (None, None)
        yield {
            "rank": ranks.get(row["label"]),
            **row["dimensions"],
            "n": row["n"],
            "ve_success_offered": figure["offered"],
            "ve_success_holdout": figure["holdout"],
            "lift": figure["lift"],
            **_interval(figure["ci95"]),
            "openness": openness["rate"],
            "openness_ci95_low": o_low,
            "openness_ci95_high": o_high,
            "score_mean": row["score_mean"],
            "opportunity": opportunity["value"],
            "opportunity_ci95_low": p_low,
            "opportunity_ci95_high": p_high,
        }


def _automation_rows(report: dict):
    for s in report["situations"]:
        yield {
            "activity": s["activity"],
            "contact_reason": s["contact_reason"],
            "channel": s["channel"],
            "volume": s["volume"],
            "attempts": s["attempts"],
            "respondents": s["success"]["n"],
            "success_rate": s["success"]["rate"],
            **_interval(s["success"]["ci95"]),
            "first_half_rate": s["halves"][0]["rate"],
            "second_half_rate": s["halves"][1]["rate"],
            "agents": s["agents"],
            "status": s["status"],
        }
