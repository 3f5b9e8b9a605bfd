"""axe-core in the browser tests: WCAG 2 A/AA checks on a live page.

axe-core comes from npm (package.json; `.ci/run` runs `npm ci`), so nothing downloads at
test time. Its source is evaluated through the DevTools protocol, which the pages'
Content-Security-Policy does not govern, so the page under test keeps its real CSP.
"""

from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")


def axe_violations(page) -> list[dict]:
    """Every WCAG A/AA violation on the page as it is now (all impacts)."""
    if not AXE.exists():
        pytest.fail(f"axe-core is not installed at {AXE}: run `npm ci` (as .ci/run does)")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + n.failureSummary)}))",
        TAGS,
    )
    return result


def assert_accessible(page, where: str) -> None:
    """No serious or critical violation; the message lists each with its elements."""
    serious = [v for v in axe_violations(page) if v["impact"] in BLOCKING]
    assert not serious, f"axe-core on {where}:\n" + "\n".join(
        f"- {v['impact']} {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in serious
    )
