"""axe-core (vendored from npm in tests/browser/vendor) run inside the page under test."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).with_name("vendor") / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page) -> list[str]:
    """Every WCAG 2.2 A/AA violation on the page as it is now, one line each."""
    # Evaluated through the DevTools protocol, not injected as a <script>: the
    # Content-Security-Policy rightly blocks inline scripts in our pages.
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA
    )
    # axe leaves an empty style="" on elements it measured. It stays: htmx must not copy
    # a style attribute into a swapped-in element (base.html's attributesToSettle), and the
    # journeys' later swaps would show a CSP error if it did.
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
    ]
