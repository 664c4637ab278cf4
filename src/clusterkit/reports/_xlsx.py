"""Private: a `KPIReport` as a formatted workbook with native Excel charts (openpyxl).

A sheet per table of `_tables`, each with a styled, frozen header row, an auto
filter, number formats and column widths; a chart sits beside the table it
draws and reads its cells, so it follows an edit of them. Text that starts
with `=` is written as text, never as a formula.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clusterkit._workbook_save import save_workbook
from clusterkit.render import number_text
from clusterkit.reports._tables import (
    Cell,
    Chart,
    Kind,
    Table,
    caption,
    charts,
    drawn,
    findings_left_out,
    provenance,
    shown,
    tables,
)

if TYPE_CHECKING:
    from clusterkit.reports._report import KPIReport

__all__ = ["INSTALL_HINT", "write"]

INSTALL_HINT = (
    "the xlsx report is written by openpyxl: pip install 'clusterkit-eu[excel]'"
)

HEADER_FILL = "1F3A93"
INTEGER = "#,##0"
DECIMAL = "#,##0.00"
_MAX_WIDTH = 60
# The most characters a cell holds (Excel's limit; openpyxl cuts the rest silently).
MAX_CELL_CHARS = 32_767
# The largest whole number every integer up to which a double holds: openpyxl
# writes a number with 16 digits, so a count beyond it is written as text.
_EXACT_WHOLE = 2**53


def _openpyxl() -> Any:
    try:
        import openpyxl  # noqa: PLC0415 - optional dependency, imported on use
        from openpyxl import chart  # noqa: PLC0415 - optional dependency, imported on use
        from openpyxl.chart import data_source  # noqa: F401, PLC0415 - loads chart.data_source
        from openpyxl.styles import Font, PatternFill  # noqa: PLC0415 - optional dependency, imported on use
        from openpyxl.utils import get_column_letter  # noqa: PLC0415 - optional dependency, imported on use
    except ImportError:
        raise ImportError(INSTALL_HINT) from None
    return openpyxl, chart, Font, PatternFill, get_column_letter


def _cell(value: Cell) -> Cell:
    """A table's value as its cell holds it: text shown and cut to fit, numbers exact."""
    if isinstance(value, str):
        return _fitted(shown(value))
    if isinstance(value, int) and abs(value) > _EXACT_WHOLE:
        return str(value)
    return value


def _fitted(text: str) -> str:
    """Text cut to what a cell holds, saying how much was left out."""
    if len(text) <= MAX_CELL_CHARS:
        return text
    kept = MAX_CELL_CHARS - 80  # room for the note
    return f"{text[:kept]}… ({len(text) - kept:,} more characters; the HTML report shows them all)"


def _number_format(value: Cell) -> str:
    """A number cell's format: the number as the HTML page shows it (`number_text`).

    Two decimal places, but a ratio that is not 0 never shows as 0.00: a small
    one gets the places, or the exponent, of its two significant digits.
    """
    if isinstance(value, int):
        return INTEGER
    if not isinstance(value, float):
        return DECIMAL  # an empty cell, or a count too large for a number cell
    mantissa, _, exponent = number_text(value).partition("e")
    places = len(mantissa.partition(".")[2])
    decimals = "." + "0" * places if places else ""
    return f"0{decimals}E+00" if exponent else f"#,##0{decimals}"


def _width(value: Cell) -> int:
    if isinstance(value, float):
        return len(number_text(value))
    if isinstance(value, int):
        return len(f"{value:,}")
    return len(value or "")


def _sheet(workbook: Any, table: Table, styles: Any) -> Any:
    _, _, font, fill, letter = styles
    sheet = workbook.create_sheet(title=table.title)
    sheet.append(list(table.headers))
    for cell in sheet[1]:
        cell.font = font(bold=True, color="FFFFFF")
        cell.fill = fill("solid", start_color=HEADER_FILL)
    for row in table.rows:
        sheet.append([_cell(value) for value in row])
    for column, kind in enumerate(table.kinds, start=1):
        _format_column(sheet, column, kind, len(table.rows))
    widths = [len(h) for h in table.headers]
    for row in table.rows:
        widths = [max(w, _width(value)) for w, value in zip(widths, row, strict=True)]
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[letter(column)].width = min(width + 2, _MAX_WIDTH)
    sheet.freeze_panes = "A2"
    last = f"{letter(len(table.headers))}{len(table.rows) + 1}"
    sheet.auto_filter.ref = f"A1:{last}"
    return sheet


def _format_column(sheet: Any, column: int, kind: Kind, rows: int) -> None:
    for (cell,) in sheet.iter_rows(
        min_row=2, max_row=rows + 1, min_col=column, max_col=column
    ):
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"  # text from the data, not a formula
        elif kind != "text" or isinstance(cell.value, (int, float)):
            cell.number_format = _number_format(cell.value)


def _chart(sheet: Any, chart: Chart, title: str, shown: int, module: Any) -> None:
    source = module.data_source
    bars = module.BarChart()
    bars.type = "bar" if chart.horizontal else "col"
    bars.title = title
    bars.legend = None
    data = module.Reference(
        sheet, min_col=chart.value + 1, min_row=1, max_row=shown + 1
    )
    labels = module.Reference(
        sheet, min_col=chart.label + 1, min_row=2, max_row=shown + 1
    )
    bars.add_data(data, titles_from_data=True)
    # The labels are text (countries, types, periods): a string reference.
    (series,) = bars.series
    series.cat = source.AxDataSource(strRef=source.StrRef(f=str(labels)))
    # openpyxl hides both axes unless told otherwise.
    bars.x_axis.delete = False
    bars.y_axis.delete = False
    if chart.horizontal:  # the first row at the top, as in the table
        bars.x_axis.scaling.orientation = "maxMin"
    bars.width = 18
    bars.height = max(7.5, 0.6 * shown) if chart.horizontal else 9
    anchor = sheet.cell(row=2, column=sheet.max_column + 2).coordinate
    sheet.add_chart(bars, anchor)


def write(report: KPIReport, path: Path) -> None:
    """Write the report's workbook to `path`."""
    styles = _openpyxl()
    workbook = styles[0].Workbook()
    workbook.remove(workbook.active)
    found = tables(report)
    sheets = {table.key: (_sheet(workbook, table, styles), table) for table in found}
    for chart in charts(report):
        sheet, table = sheets[chart.table]
        shown = len(drawn(chart, table))
        if shown:
            _chart(sheet, chart, caption(chart, table), shown, styles[1])
    facts = provenance(report)
    left_out = findings_left_out(report)
    if left_out is not None:  # the Findings sheet has room for some only
        facts += (("findings", left_out),)
    # How records were counted beyond the definitions, as the page's headline says.
    facts += tuple(("note", note) for note in report.result.notes)
    about = Table("about", "About", ("fact", "value"), ("text", "text"), facts)
    _sheet(workbook, about, styles)
    # Dated by the report's day, not the clock: the same report is the same bytes.
    save_workbook(workbook, path, dt.datetime.combine(report.as_of, dt.time()))
