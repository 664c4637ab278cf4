"""The exceptions clusterkit raises on purpose.

Everything clusterkit raises deliberately derives from `ClusterkitError`, so
`except clusterkit.ClusterkitError` catches all of it. Errors that mean "bad
value" also derive from `ValueError`, so a `CountryError` raised inside a pydantic
validator becomes an ordinary `pydantic.ValidationError` entry.

```text
ClusterkitError(Exception)                    everything clusterkit raises on purpose
├── CountryError(ClusterkitError, ValueError)        not a known country; .value
│   └── AmbiguousCountryError                        could be several countries; .candidates
├── DatasetError(ClusterkitError)                    a dataset as a whole is unusable; .source
│   ├── DatasetReadError                             missing file, unknown format, malformed
│   │                                                CSV/JSON/XLSX, a row that is not a valid
│   │                                                record; .source, .line, .field, .location
│   ├── DatasetValidationError                       the data breaks rules; .report
│   └── DatasetExistsError                           the destination already holds a dataset
└── KPIError(ClusterkitError, ValueError)            a KPI is undefined for this input; .kpi
```

Programming mistakes (a wrong argument type, an unknown table name) raise plain
`TypeError` or `ValueError`, never a `DatasetError`, so `except DatasetError`
never hides a bug.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from clusterkit.report import Report
    from clusterkit.values import Location

__all__ = [
    "AmbiguousCountryError",
    "ClusterkitError",
    "CountryError",
    "DatasetError",
    "DatasetExistsError",
    "DatasetReadError",
    "DatasetValidationError",
    "KPIError",
]


class ClusterkitError(Exception):
    """Base class of every exception clusterkit raises on purpose.

    Added in version 0.1.0.
    """


class CountryError(ClusterkitError, ValueError):
    """A value is not one known country.

    Added in version 0.1.0.

    Args:
        message: What is wrong, for a person.
        value: The input that could not be normalised.
        suggestions: ISO alpha-2 codes of the countries whose name is one
            letter away from an unknown value ("did you mean ...?"); empty
            otherwise. Added in version 0.2.0.

    Examples:
        >>> from clusterkit.errors import CountryError
        >>> str(CountryError("'Atlantis' is not a country", value="Atlantis"))
        "'Atlantis' is not a country"
    """

    def __init__(
        self, message: str, *, value: object, suggestions: tuple[str, ...] = ()
    ) -> None:
        super().__init__(message)
        self.value = value
        self.suggestions = suggestions


class AmbiguousCountryError(CountryError):
    """A value could name several countries.

    Added in version 0.1.0.

    Args:
        message: What is wrong, for a person.
        value: The input that could not be normalised.
        candidates: ISO alpha-2 codes of the countries it could mean.
    """

    def __init__(
        self, message: str, *, value: object, candidates: Sequence[str]
    ) -> None:
        super().__init__(message, value=value)
        self.candidates = tuple(candidates)


class DatasetError(ClusterkitError):
    """A dataset as a whole cannot be used.

    Added in version 0.1.0.

    Args:
        message: What is wrong, for a person.
        source: The path (or other source) of the dataset.
    """

    def __init__(self, message: str, *, source: object = None) -> None:
        super().__init__(message)
        self.source = source


class DatasetReadError(DatasetError):
    """A dataset file cannot be read, or one of its rows is not a valid record.

    The message names the file, the physical line (header = line 1) and the field,
    so a data steward can go straight to the cell.

    Added in version 0.1.0.

    Args:
        message: What is wrong, for a person; it already includes the location.
        source: The file.
        location: Where in the file, when known.
    """

    def __init__(
        self,
        message: str,
        *,
        source: object = None,
        location: Location | None = None,
    ) -> None:
        super().__init__(message, source=source)
        self.location = location

    @classmethod
    def at(cls, location: Location, problem: str) -> DatasetReadError:
        """The error for `problem` at `location`, its message led by the location.

        Examples:
            >>> from clusterkit.values import Location
            >>> str(DatasetReadError.at(Location(file="a.csv", line=3), "bad row"))
            'a.csv:3: bad row'
        """
        return cls(f"{location}: {problem}", source=location.file, location=location)

    @property
    def problem(self) -> str:
        """What is wrong, without the location or file that leads the message.

        For a finding, whose location already says where.

        Added in version 0.2.0.

        Examples:
            >>> from clusterkit.values import Location
            >>> DatasetReadError.at(Location(file="a.csv", line=3), "bad row").problem
            'bad row'
        """
        message = str(self)
        for lead in (self.location, self.source):
            if lead is not None and message.startswith(f"{lead}: "):
                return message.removeprefix(f"{lead}: ")
        return message

    @property
    def line(self) -> int | None:
        """The physical line of the problem (header = 1), when known."""
        return None if self.location is None else self.location.line

    @property
    def field(self) -> str | None:
        """The field (column) of the problem, when known."""
        return None if self.location is None else self.location.field


class DatasetValidationError(DatasetError):
    """A dataset breaks validation rules; `.report` holds every finding.

    Added in version 0.1.0.

    Args:
        message: A summary, for a person.
        report: The validation report.
        source: The dataset's source.
    """

    def __init__(self, message: str, *, report: Report, source: object = None) -> None:
        super().__init__(message, source=source)
        self.report = report


class DatasetExistsError(DatasetError):
    """The destination already holds a dataset, and replacing it was not asked for.

    Raised by `clusterkit.sql.write_sql` with `if_exists="fail"` when the
    tables hold records; a file that exists is a `FileExistsError`, as Python
    raises it.

    Added in version 0.2.0.
    """


class KPIError(ClusterkitError, ValueError):
    """A KPI is undefined for this input.

    Added in version 0.1.0.

    Args:
        message: What is wrong, for a person.
        kpi: The KPI id.
    """

    def __init__(self, message: str, *, kpi: str) -> None:
        super().__init__(message)
        self.kpi = kpi
