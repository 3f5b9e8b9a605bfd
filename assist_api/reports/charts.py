"""Charts drawn on the server (matplotlib), so the page, the printable report and the PDF
show the same picture of the same numbers.

- `intervals`: every measure's lift with its 95 % interval, one row each in its own unit
  (points for shares), against a zero line — what differs from zero at a glance;
- `cumulative`: the lift of VE success and retention over time, each point using all data
  up to that week/month, with its interval band;
- `ranking`: a ranked list's estimates with intervals (segments, automation).

SVG keeps text as text (searchable, readable by screen readers); figures use the
object-oriented API only (no pyplot state), so concurrent requests cannot share a figure.
"""

import functools
import io

from matplotlib.figure import Figure

FONTS = ["IPAGothic", "DejaVu Sans"]  # IPAGothic (fonts-ipafont) draws Japanese
OFFERED, BAND, ZERO, TEXT = "#1f5fa8", "#9cc0e8", "#555555", "#1a1a1a"
WIDTH = 7.5
RC = {"font.family": FONTS, "svg.fonttype": "none", "pdf.fonttype": 42}


def plain(text: str) -> str:
    """Text drawn as written: a '$' would otherwise start matplotlib's math mode."""
    return str(text).replace("$", r"\$")


def _fonts(build):
    """Build (and later save) under RC: text properties are fixed when created."""

    @functools.wraps(build)
    def wrapper(*args, **kwargs):
        import matplotlib

        with matplotlib.rc_context(RC):
            return build(*args, **kwargs)

    return wrapper


def _figure(height: float) -> Figure:
    return Figure(figsize=(WIDTH, height), layout="constrained")


def _style(axes) -> None:
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(colors=TEXT, labelsize=9)


@_fonts
def svg(figure: Figure, title: str) -> str:
    """The figure as an inline SVG with a <title> for assistive technology."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Title": title, "Date": None})
    text = buffer.getvalue()
    start = text.index("<svg")
    body = text[start:]
    head_end = body.index(">") + 1
    safe_title = title.replace("&", "&amp;").replace("<", "&lt;")
    return f'{body[: head_end - 1]} role="img"><title>{safe_title}</title>{body[head_end:]}'


@_fonts
def intervals(rows: list[dict], title: str, zero_label: str) -> Figure:
    """rows: {label, lift, ci95, scale} (scale multiplies, e.g. 100 for points)."""
    shown = [r for r in rows if r.get("lift") is not None]
    figure = _figure(0.55 * max(len(shown), 1) + 0.8)
    axes_list = figure.subplots(max(len(shown), 1), 1, squeeze=False)[:, 0]
    figure.suptitle(title, fontsize=11, color=TEXT)
    for axes, row in zip(axes_list, shown, strict=False):
        scale = row.get("scale", 1.0)
        lift = row["lift"] * scale
        low, high = (b * scale for b in row["ci95"]) if row.get("ci95") else (lift, lift)
        axes.hlines(0, low, high, color=BAND, linewidth=6)
        axes.plot([lift], [0], "o", color=OFFERED)
        axes.axvline(0, color=ZERO, linewidth=0.8, linestyle="--")
        span = max(abs(low), abs(high), 1e-9) * 1.15
        axes.set_xlim(-span, span)
        axes.set_yticks([0], [plain(row["label"])])
        _style(axes)
    if shown:
        axes_list[-1].set_xlabel(zero_label, fontsize=9, color=TEXT)
    return figure


@_fonts
def cumulative(points: list[dict], series: dict[str, str], title: str) -> Figure:
    """points: {start, <name>: {lift, ci95}}; series: {name: label} (shares, in points)."""
    figure = _figure(3.0)
    axes = figure.subplots()
    figure.suptitle(title, fontsize=11, color=TEXT)
    colours = (OFFERED, "#b35900")
    for colour, (name, label) in zip(colours, series.items(), strict=False):
        usable = [p for p in points if p[name]["lift"] is not None and p[name]["ci95"]]
        x = list(range(len(usable)))
        axes.plot(x, [100 * p[name]["lift"] for p in usable], color=colour, label=label)
        axes.fill_between(
            x,
            [100 * p[name]["ci95"][0] for p in usable],
            [100 * p[name]["ci95"][1] for p in usable],
            color=colour,
            alpha=0.15,
        )
        if usable:
            step = max(1, len(usable) // 6)
            axes.set_xticks(x[::step], [p["start"] for p in usable][::step])
    axes.axhline(0, color=ZERO, linewidth=0.8, linestyle="--")
    axes.set_ylabel("pts", fontsize=9)
    axes.legend(fontsize=8, frameon=False)
    _style(axes)
    return figure


@_fonts
def ranking(rows: list[dict], title: str, axis_label: str, scale: float = 100.0) -> Figure:
    """rows: {label, estimate, ci95}, best first (at most 15 drawn)."""
    rows = [r for r in rows if r.get("estimate") is not None][:15]
    figure = _figure(0.32 * max(len(rows), 1) + 1.0)
    axes = figure.subplots()
    figure.suptitle(title, fontsize=11, color=TEXT)
    for y, row in enumerate(reversed(rows)):
        if row.get("ci95"):
            axes.hlines(y, row["ci95"][0] * scale, row["ci95"][1] * scale, color=BAND, lw=5)
        axes.plot([row["estimate"] * scale], [y], "o", color=OFFERED)
    axes.set_yticks(range(len(rows)), [plain(r["label"]) for r in reversed(rows)], fontsize=8)
    axes.axvline(0, color=ZERO, linewidth=0.8, linestyle="--")
    axes.set_xlabel(axis_label, fontsize=9)
    _style(axes)
    return figure


@_fonts
def pdf(pages: list[tuple[str, list[str], list[Figure]]], title: str) -> bytes:
    """A PDF: per page (heading, text lines, figures); each chart page carries a note
    naming its chart, so a reader (or a test) can find the charts without rendering."""
    from matplotlib.backends.backend_pdf import PdfPages

    buffer = io.BytesIO()
    with PdfPages(buffer, metadata={"Title": title, "CreationDate": None}) as document:
        for heading, lines, figures in pages:
            sheet = Figure(figsize=(8.27, 11.69))  # A4
            sheet.text(0.07, 0.95, plain(heading), fontsize=15, color=TEXT, va="top")
            for i, line in enumerate(lines):
                sheet.text(0.07, 0.91 - 0.022 * i, plain(line), fontsize=9, color=TEXT, va="top")
            document.savefig(sheet)
            for figure in figures:
                document.attach_note(f"chart: {figure.get_suptitle()}")  # on the next page
                document.savefig(figure)
    return buffer.getvalue()
