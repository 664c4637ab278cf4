"""Private: a report's charts as inline SVG, drawn by matplotlib (`clusterkit-eu[report]`).

matplotlib writes static SVG: no script, no font or image to fetch, and it prints
sharp. Its output is made repeatable (a fixed hash salt for the ids it derives,
no date) and each chart's ids are given the chart's own prefix, so several
charts can sit in one page without one's `url(#…)` finding another's element.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

__all__ = ["INSTALL_HINT", "bar_chart"]

INSTALL_HINT = "the HTML report draws its charts with matplotlib: pip install 'clusterkit-eu[report]'"

_INK = "#1f3a93"
_GRID = "#d0d4dc"
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
_ID = re.compile(r'\b(id="|url\(#|href="#)')


def _matplotlib() -> Any:
    try:
        import matplotlib as mpl  # noqa: PLC0415 - optional dependency, imported on use
        from matplotlib.figure import Figure  # noqa: PLC0415 - optional dependency, imported on use
        from matplotlib.ticker import MaxNLocator  # noqa: PLC0415 - optional dependency, imported on use
    except ImportError:
        raise ImportError(INSTALL_HINT) from None
    return mpl, Figure, MaxNLocator


def bar_chart(
    key: str,
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    horizontal: bool,
) -> str:
    """One bar chart as an `<svg>` element, its ids prefixed with `key`.

    Args:
        key: The chart's id, unique in the page.
        title: What it shows, for screen readers.
        labels: The bars' labels (drawn as text, never as markup or maths).
        values: The bars' lengths.
        horizontal: Bars across, first label at the top; else upright.

    Raises:
        ImportError: matplotlib is not installed.
    """
    mpl, figure_class, locator = _matplotlib()
    settings = {
        "svg.hashsalt": key,
        "svg.fonttype": "none",  # text stays text: searchable, no embedded glyphs
        "text.parse_math": False,  # a label with '$' is text, not TeX
        "font.family": "sans-serif",
        "font.size": 9,
        "axes.edgecolor": _GRID,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
    with mpl.rc_context(settings):
        count = len(labels)
        size = (6.4, 0.9 + 0.28 * count) if horizontal else (max(6.4, 0.3 * count), 2.8)
        figure = figure_class(figsize=size, layout="constrained")
        axes = figure.add_subplot()
        positions = range(count)
        if horizontal:
            bars = axes.barh(positions, values, color=_INK)
            axes.set_yticks(positions, labels)
            axes.invert_yaxis()
            axes.xaxis.grid(visible=True, color=_GRID)
            axes.xaxis.set_major_locator(locator(integer=True))
        else:
            bars = axes.bar(positions, values, color=_INK)
            axes.set_xticks(positions, labels, rotation=90 if count > 8 else 0)  # noqa: PLR2004 - more periods than fit side by side
            axes.yaxis.grid(visible=True, color=_GRID)
            axes.yaxis.set_major_locator(locator(integer=True))
        axes.set_axisbelow(True)
        axes.bar_label(bars, labels=[f"{value:,}" for value in values], padding=2)
        axes.margins(x=0.08, y=0.08)
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    svg = out.getvalue()
    svg = svg[svg.index("<svg") :]
    # The RDF metadata names only the format; the page has its own title.
    svg = _METADATA.sub("", svg)
    svg = _ID.sub(lambda found: f"{found.group(1)}{key}-", svg)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{_attribute(title)}" ', 1)


def _attribute(text: str) -> str:
    return (
        text.replace("&", "&amp;")
        .replace('"', "&quot;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
    )
