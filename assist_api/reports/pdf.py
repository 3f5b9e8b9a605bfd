"""The printable report as a PDF: one A4 page of headline figures, then every chart.

The charts are the printable page's (reports.figures on the same report dict); each chart
page carries a PDF note naming its chart, so a reader's tools (and the tests) can find
the charts without rendering the file.
"""

from assist_api.reports import charts
from assist_api.reports.figures import figures
from assist_api.reports.money import in_words, money
from assist_api.reports.render import SHARE_MEASURES, currency_of, points, signed
from assist_api.reports.texts import measure_label, report_texts


def to_pdf(report: dict, language: str = "en") -> bytes:
    """The report's headline figures and every chart as a PDF (A4 text page + charts)."""
    t = report_texts(language)
    currency = currency_of(report)
    title = t[f"{report['report']}_title"]
    period = report.get("period") or {}
    lines = [
        f"{t.period} {period.get('first_day') or period.get('from') or '–'} – "
        f"{period.get('last_day') or period.get('to') or '–'}",
        f"{t.filters}: " + (", ".join(f"{k}={v}" for k, v in report["filters"].items()) or t.none),
    ]
    if report["report"] == "roi":
        fin, health = report["financial"], report["health"]
        lines += [
            f"{t['return']}: {money(fin['return']['value'], currency, language)}",
            "  " + in_words(fin["return"], currency, language),
            f"{t.retained}: {_count(fin['incremental_retained'])}",
            "  " + in_words(fin["incremental_retained"], currency, language, is_money=False),
            f"{t.health}: " + (t.health_sound if health["sound"] else ", ".join(health["flags"])),
        ]
        for name, figure in report["effects"].items():
            lines.append(
                f"{measure_label(name, language)}: {_lift(name, figure['lift'])} "
                f"({t.ci} {_lift(name, (figure['ci95'] or [None])[0])} – "
                f"{_lift(name, (figure['ci95'] or [None, None])[1])})"
            )
    pages = [(title, lines, [figure for _id, _title, figure in figures(report, language)])]
    return charts.pdf(pages, title)


def _count(amount: dict | None) -> str:
    return "–" if not amount or amount.get("value") is None else f"{amount['value']:,.0f}"


def _lift(name: str, value) -> str:
    return points(value) if name in SHARE_MEASURES else signed(value)
