"""The HTML report (`KPIReport.to_html`) and its charts: self-contained, escaped, repeatable."""

from __future__ import annotations

import datetime as dt
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import attrs
import pytest

import clusterkit as ck
from clusterkit.io import example_path
from clusterkit.reports import KPIReport, _charts, _html, _tables
from clusterkit.reports._tables import tables
from conftest import FORMULA_ID, HOSTILE_ID

DATA = Path(__file__).parent / "data"
AS_OF = dt.date(2026, 1, 1)


def build(source: Path | None = None, **scope: str) -> KPIReport:
    """The report of `source` (the example by default) as of 2026-01-01."""
    return KPIReport.build(source or example_path(), as_of=AS_OF, **scope)  # type: ignore[arg-type]


class Elements(HTMLParser):
    """Every start tag with its attributes, and the page's text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Keep the tag and its attributes."""
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        """Keep the text."""
        self.text.append(data)


def parse(page: str) -> Elements:
    """The page, parsed."""
    parser = Elements()
    parser.feed(page)
    parser.close()
    return parser


def test_the_page_has_every_section() -> None:
    """Headline, markets, activities, partnerships, reconciliation, validation, provenance."""
    page = build(generation="escp-4i-2").to_html()
    ids = {attrs.get("id") for tag, attrs in parse(page).tags if tag == "section"}
    assert ids == {
        "headline",
        "target-markets",
        "activities",
        "partnerships",
        "reconciliation",
        "validation",
        "provenance",
    }
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert (
        '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    )
    assert "@media print" in page
    assert "@media (max-width: 40rem)" in page


def test_no_reconciliation_section_without_one_generation() -> None:
    """Every generation in scope: no reconciliation section."""
    assert 'id="reconciliation"' not in build().to_html()


def test_the_page_fetches_nothing() -> None:
    """No script, link, image, frame or external reference; the CSP forbids fetching."""
    page = build(generation="escp-4i-2").to_html()
    elements = parse(page)
    tags = {tag for tag, _ in elements.tags}
    assert not tags & {"script", "link", "img", "iframe", "object", "embed", "image"}
    for _, attributes in elements.tags:
        for name, value in attributes.items():
            if name in {"src", "href", "xlink:href"}:
                assert (value or "").startswith("#"), (name, value)
    assert "@import" not in page
    assert "url(http" not in page
    csp = next(
        attributes["content"]
        for tag, attributes in elements.tags
        if tag == "meta" and attributes.get("http-equiv") == "Content-Security-Policy"
    )
    assert csp == "default-src 'none'; style-src 'unsafe-inline'"


def test_headline_cards_show_every_scalar_kpi() -> None:
    """A card per KPI with one number, formatted as the tables format it."""
    report = build()
    page = report.to_html()
    cards = re.findall(
        r'<div class="kpi" data-kpi="([a-z0-9_]+)"><p class="value">([^<]*)</p>', page
    )
    summary = next(t for t in tables(report) if t.key == "summary")
    assert len(cards) == len(summary.rows)
    values = dict(cards)
    assert values["activities"] == "150"
    assert values["b2b_meetings"] == "1,892"
    assert values["smes_reached"] == "1,469"


def small_share_of_reached() -> ck.Dataset:
    """The example with 900,000 SMEs reached per partnership: tiny shares."""
    example = ck.load_example()
    partnerships = tuple(
        p.model_copy(update={"smes_reached": 900_000}) for p in example.partnerships
    )
    return example.model_copy(update={"partnerships": partnerships})


def test_a_small_ratio_never_shows_as_zero() -> None:
    """A ratio that is not 0 shows its two significant digits, as `clusterkit kpis` does."""
    report = KPIReport.build(small_share_of_reached(), as_of=AS_OF)
    page = report.to_html()
    kpi = "smes_involved_share_of_reached"
    card = re.search(rf'data-kpi="{kpi}"><p class="value">([^<]*)</p>', page)
    assert card is not None
    assert card.group(1) == "0.00011"
    assert re.search(rf"{kpi} +0.00011\n", report.result.to_table())
    partnerships = page[page.index('id="partnerships-table"') :]
    partnerships = partnerships[: partnerships.index("</table>")]
    assert '<td class="num">0.0001</td>' in partnerships
    assert '<td class="num">0.00</td>' not in partnerships


def test_every_chart_is_inline_svg_with_its_own_ids() -> None:
    """Three charts; no id appears twice in the page, and every url(#id) resolves."""
    page = build().to_html()
    assert page.count("<svg ") == 3
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    for target in re.findall(r"url\(#([^)]+)\)", page):
        assert target in ids
    assert "<metadata>" not in page
    assert "<?xml" not in page


def test_output_is_repeatable() -> None:
    """The same report gives the same bytes (fixed hash salt, no date)."""
    assert build().to_html() == build().to_html()


def test_values_from_files_are_escaped(hostile_dir: Path) -> None:
    """A partnership id that is markup shows as text, in tables and in findings."""
    page = build(hostile_dir).to_html()
    assert HOSTILE_ID not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert FORMULA_ID in "".join(parse(page).text)
    assert not [tag for tag, _ in parse(page).tags if tag == "img"]


def test_charts_keep_markup_and_dollars_as_text() -> None:
    """Chart labels are text: escaped, and `$` is no maths."""
    svg = _charts.bar_chart(
        "c", 'a "title" <b>', ["<b>x</b>", "$y$"], [1, 2], horizontal=True
    )
    assert "<b>" not in svg
    assert "&lt;b&gt;x&lt;/b&gt;" in svg
    assert "$y$" in svg
    assert 'aria-label="a &quot;title&quot; &lt;b&gt;"' in svg


def test_many_periods_turn_their_labels() -> None:
    """Upright bars for more than eight periods have their labels turned."""
    few = _charts.bar_chart("a", "t", ["2016", "2017"], [1, 2], horizontal=False)
    many = _charts.bar_chart(
        "b", "t", [f"Q{n}" for n in range(12)], list(range(12)), horizontal=False
    )
    assert "rotate(-90" not in few
    assert "rotate(-90" in many


def test_a_long_chart_says_it_shows_the_first_bars(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A chart draws at most its limit of bars and says so in its caption."""
    report = build()
    assert "(the first" not in report.to_html()
    capped = tuple(attrs.evolve(chart, limit=2) for chart in _tables.charts(report))
    monkeypatch.setattr(_html, "charts", lambda _: capped)
    page = report.to_html()
    assert "Partnerships targeting each market (the first 2 of 10)" in page
    assert page.count("(the first 2 of") == 3


def test_an_empty_scope_has_sentences_not_charts() -> None:
    """No market, activity or partnership in scope: sentences instead of charts."""
    page = build(target_country="Antarctica").to_html()
    assert "<svg " not in page
    assert "No third-country market in scope." in page
    assert "No activity in scope." in page


def test_findings_beyond_the_limit_are_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    """When not every finding is listed, the page says how many and where the rest are."""
    monkeypatch.setattr(_tables, "MAX_FINDINGS", 0)
    page = build(DATA / "invalid" / "CK-FK-001").to_html()
    assert "1 records left out of" in page
    assert "1 error findings, the first 0 listed below" in page


def test_without_matplotlib_the_error_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The charts' extra missing: an ImportError naming clusterkit-eu[report]."""
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(
        ImportError, match=re.escape("pip install 'clusterkit-eu[report]'")
    ):
        build().to_html()


def test_control_characters_are_made_visible() -> None:
    r"""A name with an escape sequence and a bell: shown as \x1b and \x07 in the page."""
    dataset = ck.load_example()
    page = KPIReport.build(dataset, as_of=AS_OF, name="data\x1b[2J\x07").to_html()
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", page)
    assert "data\\x1b[2J\\x07" in page


def headline(report: KPIReport) -> str:
    """The page's headline section."""
    return report.to_html().split('<section id="headline">')[1].split("</section>")[0]


def test_the_headline_carries_the_notes_of_the_kpis() -> None:
    """The register gives no smes_reached: the page says its 0 is no count."""
    report = KPIReport.build(
        ck.reference.programme(), generation="escp-4i-1", as_of=AS_OF
    )
    reach, no_activities = report.result.notes
    assert "SMEs reached is 0 for want of figures" in reach
    assert "no activity record" in no_activities
    for note in (reach, no_activities):
        assert f"<p>{note}</p>" in headline(report)
    assert "<p>" not in headline(build())  # the example gives every figure
