"""`Report`: the findings of one validation run and their counts."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

import attrs

from clusterkit import _frames
from clusterkit._output import surrogates_escaped
from clusterkit.errors import DatasetValidationError
from clusterkit.report import _formats
from clusterkit.report._finding import REPORT_VERSION, Finding, Severity, finding_json
from clusterkit.report._notebook import report_frame, report_html

__all__ = ["Report", "Summary"]


@attrs.frozen
class Summary:
    """Counts of a validation run: every finding is counted, shown or not.

    Added in version 0.1.0.

    Attributes:
        error: Number of errors.
        warning: Number of warnings.
        info: Number of informational findings.
        by_rule: Number of findings per rule id, sorted by id.
        shown: Number of findings the report holds.
        total: Number of findings in all.
        min_severity: The report holds no finding below this severity
            (`--min-severity`); those are counted all the same. Added in
            version 0.2.0.
    """

    error: int = 0
    warning: int = 0
    info: int = 0
    by_rule: Mapping[str, int] = attrs.field(factory=dict)
    shown: int = 0
    total: int = 0
    min_severity: Severity = Severity.INFO

    @property
    def below(self) -> int:
        """Number of findings left out for being below `min_severity`.

        Added in version 0.2.0.
        """
        return sum(
            self.count(severity)
            for severity in Severity
            if severity < self.min_severity
        )

    @property
    def truncated(self) -> bool:
        """Whether `max_findings` left findings out (not counting those `below`)."""
        return self.shown < self.total - self.below

    @classmethod
    def of(cls, findings: Sequence[Finding]) -> Summary:
        """The summary of these findings, all of them shown.

        Added in version 0.2.0.
        """
        severities = dict.fromkeys(Severity, 0)
        by_rule: dict[str, int] = {}
        for finding in findings:
            severities[finding.severity] += 1
            by_rule[finding.rule] = by_rule.get(finding.rule, 0) + 1
        return cls(
            error=severities[Severity.ERROR],
            warning=severities[Severity.WARNING],
            info=severities[Severity.INFO],
            by_rule=dict(sorted(by_rule.items())),
            shown=len(findings),
            total=len(findings),
        )

    def count(self, severity: Severity) -> int:
        """Number of findings of one severity."""
        counts: int = getattr(self, severity.value)
        return counts

    def to_dict(self) -> dict[str, Any]:
        """The summary as in the JSON report."""
        return {
            "error": self.error,
            "warning": self.warning,
            "info": self.info,
            "by_rule": dict(self.by_rule),
            "shown": self.shown,
            "total": self.total,
            "truncated": self.truncated,
            "min_severity": self.min_severity.value,
            "below_min_severity": self.below,
        }


@attrs.frozen
class Report:
    """The result of one validation run.

    Added in version 0.1.0.

    Attributes:
        findings: The findings kept, ordered by file, line and column; all of
            them unless `max_findings` was set (then `summary.truncated` says so).
        summary: Counts of every finding, kept or not.
        as_of: The day after which dates count as "in the future" (CK-DATE-004).
        fail_on: The lowest severity that makes the data invalid (`None`: never).
        sources: The paths or names that were validated.
        tool_version: The clusterkit version that ran.
        reference_data: The version of the reference data used.
    """

    findings: tuple[Finding, ...]
    summary: Summary
    as_of: dt.date
    fail_on: Severity | None = Severity.ERROR
    sources: tuple[str, ...] = ()
    tool_version: str = ""
    reference_data: str = ""

    @property
    def ok(self) -> bool:
        """Whether no finding is at or above `fail_on`."""
        if self.fail_on is None:
            return True
        return not any(
            self.summary.count(severity)
            for severity in Severity
            if severity >= self.fail_on
        )

    def raise_for_findings(self) -> None:
        """Raise if the data is not `ok`, with this report on the exception.

        Raises:
            DatasetValidationError: A finding is at or above `fail_on`; its
                `.report` is this report.
        """
        if self.ok:
            return
        summary = self.summary
        errors = "error" if summary.error == 1 else "errors"
        warnings = "warning" if summary.warning == 1 else "warnings"
        message = (
            f"{', '.join(self.sources) or 'dataset'}: {summary.error} {errors}, "
            f"{summary.warning} {warnings}"
        )
        if self.findings:
            message += f"; first: {self.findings[0]}"
        raise DatasetValidationError(
            message, source=self.sources[0] if self.sources else None, report=self
        )

    def to_dict(self) -> dict[str, Any]:
        """The report in the structure of `clusterkit validate --format json`."""
        head = self._head()
        head["findings"] = [finding.to_dict() for finding in self.findings]
        return head

    def _head(self) -> dict[str, Any]:
        return {
            "report_version": REPORT_VERSION,
            "tool": {"name": "clusterkit", "version": self.tool_version},
            "reference_data": self.reference_data,
            "as_of": self.as_of.isoformat(),
            "valid": self.ok,
            "summary": self.summary.to_dict(),
            "findings": [],
        }

    def render(self, format: str = "text", *, width: int | None = None) -> str:  # noqa: A002 - the name of the --format it gives
        """The report in one of the formats of `clusterkit validate --format`.

        `text` (one line per finding, then counts by rule and a summary), `json`,
        `github` (workflow commands), `junit` (JUnit XML) or `sarif` (SARIF
        2.1.0); the text has no final newline.

        Added in version 0.2.0.

        Args:
            format: The format's name (`FORMATS`).
            width: Wrap text at this many columns (`text` only).

        Raises:
            TypeError: `format` is not a string, or `width` not an int.
            ValueError: `format` is not a format's name, or `width` is below 1.

        Examples:
            >>> import datetime as dt
            >>> print(Report((), Summary(), dt.date(2026, 1, 1)).render("text"))
            no findings
            0 errors, 0 warnings, 0 info — valid (fail on error) · as of 2026-01-01
        """
        if not isinstance(format, str):
            msg = f"format must be a str, not {type(format).__name__}"
            raise TypeError(msg)
        if width is not None:
            if isinstance(width, bool) or not isinstance(width, int):
                msg = f"width must be an int or None, not {type(width).__name__}"
                raise TypeError(msg)
            if width < 1:
                msg = f"width must be at least 1, not {width}"
                raise ValueError(msg)
        if format == "text":
            return _formats.render_text(self, max_width=width)
        renderer = _formats.FORMATS.get(format)
        if renderer is None:
            msg = (
                f"unknown format {format!r}; formats are {', '.join(_formats.FORMATS)}"
            )
            raise ValueError(msg)
        return renderer(self)

    def to_step_summary(self) -> str:
        """The report as Markdown for a GitHub Actions step summary.

        Added in version 0.2.0.
        """
        return _formats.render_step_summary(self)

    def to_json(self) -> str:
        """The report as JSON text (`clusterkit validate --format json`).

        The summary is indented; each finding is one line, so a report with
        thousands of findings stays readable and greppable.
        """
        buffer = io.StringIO()
        self.write_json(buffer)
        return buffer.getvalue()

    def write_json(self, out: TextIO) -> None:
        """Write `to_json()`'s text to `out` a finding at a time, in flat memory.

        Examples:
            >>> import datetime as dt
            >>> print(Report((), Summary(), dt.date(2026, 1, 1)).to_json())  # doctest: +ELLIPSIS
            {
              "report_version": 2,
              ...
              "findings": []
            }
        """
        text = surrogates_escaped(
            json.dumps(self._head(), indent=2, ensure_ascii=False)
        )
        # "findings" is the last key: its empty list is where the findings go.
        out.write(text.removesuffix("[]\n}"))
        if not self.findings:
            out.write("[]\n}")
            return
        out.write("[\n")
        for number, finding in enumerate(self.findings):
            if number:
                out.write(",\n")
            out.write("    ")
            out.write(finding_json(finding))
        out.write("\n  ]\n}")

    def to_frame(self, backend: _frames.Backend = "pandas") -> Any:
        """The findings as a DataFrame (or an Arrow table), one row per finding.

        A column per key of `Finding.to_dict()`, in its order, with the parts of
        the location (`file`, `line`, `column`, `sheet`, `cell`, `pointer`,
        `field`) and of the entity (`table`, `id`) as columns of their own:
        `rule`, `severity`, `message`, `hint`, …, `fingerprint`, `caused_by`.
        Lines and columns are integers, `related` a list of locations as text,
        the rest text; a missing value is null.

        Added in version 0.2.0.

        Args:
            backend: `"pandas"`, `"polars"` or `"arrow"` (a `pyarrow.Table`).

        Raises:
            ImportError: The backend's library is not installed (the extra
                `clusterkit-eu[pandas]`, `[polars]` or `[arrow]` installs it).
            ValueError: `backend` is none of those.

        Examples:
            >>> import clusterkit as ck
            >>> report = ck.validate({"clusters": [{"id": "C1", "name": "N"}]})
            >>> frame = report.to_frame()
            >>> frame.loc[0, ["rule", "severity", "pointer", "field"]].tolist()
            ['CK-TYPE-001', 'error', '/clusters/0/country', 'country']
        """
        return report_frame(self, backend)

    def _repr_html_(self) -> str:
        """The report in a notebook: counts by severity and the first findings."""
        return report_html(self)
