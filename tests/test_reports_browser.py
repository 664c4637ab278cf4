"""The HTML report opened in a real headless browser: Chromium, driven by Playwright.

The browser is the system's Chromium (Debian: `apt-get install chromium`), never
one Playwright downloads; `CLUSTERKIT_CHROMIUM` names another executable. Without
one, they install Debian's `chromium` package when they run as root with apt-get
(CI, a container; see `system_packages.py`), and otherwise fail and say what to
install: they are how we know the page renders, fetches nothing and prints.

`CLUSTERKIT_UPDATE_SNAPSHOTS=1` also refreshes the screenshot the how-to shows,
`docs/assets/report.png`; otherwise the tests write only to a temporary folder.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from clusterkit.io import example_path
from clusterkit.render import number_text
from clusterkit.reports import KPIReport
from clusterkit.reports._tables import SCALAR, country
from conftest import HOSTILE_ID
from system_packages import find_or_install

AS_OF = dt.date(2026, 1, 1)
SCREENSHOT = Path(__file__).parents[1] / "docs" / "assets" / "report.png"
SCREENSHOT_LIMIT = 300_000  # bytes: the docs stay light
INSTALL = (
    "these tests open the HTML report in Chromium, and found none: install it "
    "(Debian and Ubuntu: sudo apt-get install chromium; .ci/run does this), or "
    "set CLUSTERKIT_CHROMIUM to a Chromium or Chrome executable"
)


def chromium() -> str:
    """The Chromium executable to drive, installed from Debian's packages if need be."""
    named = os.environ.get("CLUSTERKIT_CHROMIUM")
    if named is not None:
        found: str | None = named if Path(named).exists() else None
    else:
        found = find_or_install(lambda: shutil.which("chromium"), "chromium")
    if found is None:
        pytest.fail(INSTALL, pytrace=False)
    return found


@pytest.fixture(name="browser", scope="module")
def fixture_browser() -> Iterator[Browser]:
    """One headless Chromium for the module's tests."""
    executable = chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable)
        yield browser
        browser.close()


class Visit:
    """A page opened from a file, with every request, console message and dialog."""

    def __init__(self, browser: Browser, path: Path, **context: Any) -> None:
        self.url = path.as_uri()
        self.requests: list[str] = []
        self.console: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page: Page = browser.new_page(**context)
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on(
            "console",
            lambda message: self.console.append(f"{message.type}: {message.text}"),
        )
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", lambda dialog: self.dialogs.append(dialog.message))
        self.page.goto(self.url, wait_until="load")

    def assert_quiet(self) -> None:
        """Only the file itself loaded; no console message, error or dialog."""
        assert self.requests == [self.url]
        assert self.console == []
        assert self.errors == []
        assert self.dialogs == []

    def cells(self, table: str) -> list[list[str]]:
        """The text of each body row's cells of a table of the page."""
        rows: list[list[str]] = self.page.eval_on_selector_all(
            f"#{table}-table tbody tr",
            "rows => rows.map(r => Array.from(r.cells, c => c.textContent))",
        )
        return rows


@pytest.fixture(name="report", scope="module")
def fixture_report() -> KPIReport:
    """The example's second generation: every section, reconciliation with markets."""
    return KPIReport.build(example_path(), generation="escp-4i-2", as_of=AS_OF)


@pytest.fixture(name="visit")
def fixture_visit(
    browser: Browser, report: KPIReport, tmp_path: Path
) -> Iterator[Visit]:
    """The report, written to a file and opened on a desktop-sized screen."""
    path = report.write(tmp_path / "report.html")
    visit = Visit(browser, path, viewport={"width": 1100, "height": 1400})
    yield visit
    visit.page.close()


def test_the_page_loads_nothing_and_logs_nothing(visit: Visit) -> None:
    """The file is the only request; no console message, script error or dialog."""
    visit.assert_quiet()


def test_every_chart_is_drawn(visit: Visit) -> None:
    """Three charts, each laid out with a width and height, its bars painted."""
    charts = visit.page.locator("figure.chart svg")
    assert charts.count() == 3
    for index in range(3):
        box = charts.nth(index).bounding_box()
        assert box is not None
        assert box["width"] > 200
        assert box["height"] > 50
        bars = charts.nth(index).locator("g[id*='patch_'] path")
        assert bars.count() > 1


def test_headline_numbers_are_the_result(visit: Visit, report: KPIReport) -> None:
    """Each card shows its KPI's value, as the result has it."""
    shown = dict(
        visit.page.eval_on_selector_all(
            "[data-kpi]",
            "cards => cards.map(c => [c.dataset.kpi, c.querySelector('.value').textContent])",
        )
    )
    assert shown == {kpi.id: number_text(report.result[kpi.id]) for kpi in SCALAR}


def test_table_numbers_are_the_result(visit: Visit, report: KPIReport) -> None:
    """Markets, types, periods, partnerships and the reconciliation, cell by cell."""
    result = report.result
    assert visit.cells("target-markets") == [
        [
            str(rank),
            m.country,
            country(m.country),
            number_text(m.partnerships),
            number_text(m.activities),
        ]
        for rank, m in enumerate(result.target_markets, start=1)
    ]
    assert visit.cells("activities-by-type") == [
        [kind.replace("_", " "), number_text(n)]
        for kind, n in result.activities_by_type.items()
    ]
    assert [row[:2] for row in visit.cells("over-time")] == [
        [str(g.key["year"]), number_text(sum(g.activities_by_type.values()))]
        for g in report.over_time.groups
    ]
    assert visit.cells("partnerships") == [
        [str(g.key["partnership"]), *(number_text(g[kpi.id]) for kpi in SCALAR)]
        for g in report.by_partnership.groups
    ]
    assert report.reconciliation is not None
    assert [row[2] for row in visit.cells("reconciliation")] == [
        number_text(f.computed) for f in report.reconciliation.figures
    ]
    assert visit.cells("reconciled-markets") == [
        [
            country(m.country),
            number_text(m.computed),
            number_text(m.reported),
            number_text(m.difference),
        ]
        for m in report.reconciliation.markets
    ]
    assert visit.cells("records") == [
        [table, number_text(n.read), number_text(n.used), number_text(n.excluded)]
        for table, n in result.records.items()
    ]


def test_a_phone_reads_it_without_scrolling_sideways(
    browser: Browser, report: KPIReport, tmp_path: Path
) -> None:
    """On a phone's screen the page is as wide as the screen: wide tables scroll inside."""
    path = report.write(tmp_path / "report.html")
    phone = Visit(
        browser, path, viewport={"width": 390, "height": 844}, device_scale_factor=2
    )
    width = phone.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    box = phone.page.locator("#target-markets-chart svg").bounding_box()
    assert box is not None
    assert 0 < box["width"] <= 390
    phone.assert_quiet()
    phone.page.close()


def test_it_prints(visit: Visit, tmp_path: Path) -> None:
    """In print, the section links are hidden and the page makes a PDF."""
    visit.page.emulate_media(media="print")
    assert visit.page.locator("nav").is_hidden()
    pdf = visit.page.pdf(path=str(tmp_path / "report.pdf"), format="A4")
    assert pdf.startswith(b"%PDF")
    visit.assert_quiet()


def test_markup_in_the_data_stays_text(
    browser: Browser, hostile_dir: Path, tmp_path: Path
) -> None:
    """A partnership id that is an <img> tag is shown as text and loads nothing."""
    report = KPIReport.build(hostile_dir, as_of=AS_OF)
    visit = Visit(browser, report.write(tmp_path / "report.html"))
    visit.assert_quiet()
    assert visit.page.locator("img").count() == 0
    assert HOSTILE_ID in [row[0] for row in visit.cells("partnerships")]
    visit.page.close()


def test_screenshot_for_the_docs(visit: Visit, tmp_path: Path) -> None:
    """The top of the page, as the how-to shows it; refreshed on request only."""
    shot = tmp_path / "report.png"
    visit.page.set_viewport_size({"width": 1000, "height": 1250})
    visit.page.screenshot(path=str(shot))
    assert 0 < shot.stat().st_size < SCREENSHOT_LIMIT
    if os.environ.get("CLUSTERKIT_UPDATE_SNAPSHOTS"):
        SCREENSHOT.parent.mkdir(exist_ok=True)
        shutil.copyfile(shot, SCREENSHOT)
    assert SCREENSHOT.exists(), (
        "run CLUSTERKIT_UPDATE_SNAPSHOTS=1 pytest tests/test_reports_browser.py"
    )
    assert SCREENSHOT.stat().st_size < SCREENSHOT_LIMIT


def test_without_chromium_the_tests_say_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """No Chromium: a failure naming the package, not a skip."""
    monkeypatch.setenv("CLUSTERKIT_CHROMIUM", str(tmp_path / "no-chromium"))
    with pytest.raises(pytest.fail.Exception, match="apt-get install chromium"):
        chromium()


def test_a_missing_program_is_installed_only_where_one_may(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Found: as it is; missing, without root and apt-get: nothing installed."""
    assert find_or_install(lambda: "/usr/bin/x", "x") == "/usr/bin/x"
    monkeypatch.setattr("system_packages.can_install", lambda: False)
    assert find_or_install(lambda: None, "x") is None
