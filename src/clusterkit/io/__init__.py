"""Reading and writing datasets, from and to every source a user has.

`load_dataset` reads a folder of CSV or JSON Lines files, a `.json` document, an
`.xlsx` workbook, a `.zip` of a folder, bytes or a binary file object of one of
those, a mapping shaped like the JSON document, a `Dataset`, or a database (a
URL, with the `sql` extra; `clusterkit.sql` writes one); `dump_dataset`
writes the file layouts; `iter_records` streams one table with the location of
each record.

For tools that check data column by column (`clusterkit.validate` and
`clusterkit.compute_kpis` are two), `open_source` opens any source and reads it
leniently as `Chunk`s of raw cells, reporting each problem with the `Rule` of the
read stage it breaks (`READ_RULES`) instead of raising.
"""

from clusterkit._public import publish
from clusterkit.io._chunk import BATCH_ROWS, Chunk, SourceKind, TableSource
from clusterkit.io._dataset import (
    LoadedDataset,
    detect_layout,
    dump_dataset,
    iter_raw_rows,
    iter_records,
    load_dataset,
)
from clusterkit.io._example import example_path, load_example
from clusterkit.io._fields import FieldShape, field_shape
from clusterkit.io._format import Format, Layout, Span, format_named, formats
from clusterkit.io._import import (
    ImportNote,
    ImportResult,
    NoteKind,
    export_partnerships,
    import_partnerships,
)
from clusterkit.io._limits import Limits
from clusterkit.io._member import Member
from clusterkit.io._organisations import organisation_key
from clusterkit.io._pairs import repeated_key_problems
from clusterkit.io._problems import (
    AMBIGUOUS_COUNTRY,
    AMBIGUOUS_DATE,
    BAD_VALUE,
    COUNTRY_TYPO,
    DUPLICATE_COLUMN,
    DUPLICATE_FIELD,
    DUPLICATE_TABLE,
    MALFORMED_ROW,
    MISNAMED_TABLE_FILE,
    MISSING,
    MISSING_COLUMN,
    NEGATIVE,
    NON_CANONICAL_COUNTRY,
    NON_ISO_DATE,
    NOT_A_COUNTRY,
    NOT_IN_VOCABULARY,
    OTHER_SEPARATOR,
    PARTIAL_DATE,
    UNKNOWN_COLUMN,
    UNREADABLE,
    CellProblem,
    Reporter,
    cell_problem,
    country_cell,
    date_remark,
    non_iso_date,
    parse_date,
    raise_problem,
    vocabulary_problem,
    with_outcome,
)
from clusterkit.io._rows import RawRow, cell_to_input, column_letter, required_fields
from clusterkit.io._source import (
    MAX_ZIP_RATIO,
    OpenSource,
    Source,
    following_symlinks,
    is_database,
    open_source,
    read_stream,
    source_name,
)

READ_RULES = (
    UNREADABLE,
    OTHER_SEPARATOR,
    MISNAMED_TABLE_FILE,
    MISSING_COLUMN,
    UNKNOWN_COLUMN,
    DUPLICATE_COLUMN,
    DUPLICATE_FIELD,
    DUPLICATE_TABLE,
    MALFORMED_ROW,
    BAD_VALUE,
    NON_ISO_DATE,
    AMBIGUOUS_DATE,
    NOT_IN_VOCABULARY,
    NOT_A_COUNTRY,
    AMBIGUOUS_COUNTRY,
    NON_CANONICAL_COUNTRY,
    COUNTRY_TYPO,
    NEGATIVE,
    PARTIAL_DATE,
)
"""The rules of the read stage, which the readers and the checks of cells report."""

FILE_RULES = frozenset(
    {
        UNREADABLE,
        OTHER_SEPARATOR,
        MISNAMED_TABLE_FILE,
        MISSING_COLUMN,
        UNKNOWN_COLUMN,
        DUPLICATE_COLUMN,
        DUPLICATE_TABLE,
    }
)
"""The rules whose findings are about a file or its header, never about a record."""

__all__ = [
    "AMBIGUOUS_COUNTRY",
    "AMBIGUOUS_DATE",
    "BAD_VALUE",
    "BATCH_ROWS",
    "COUNTRY_TYPO",
    "DUPLICATE_COLUMN",
    "DUPLICATE_FIELD",
    "DUPLICATE_TABLE",
    "FILE_RULES",
    "MALFORMED_ROW",
    "MAX_ZIP_RATIO",
    "MISNAMED_TABLE_FILE",
    "MISSING",
    "MISSING_COLUMN",
    "NEGATIVE",
    "NON_CANONICAL_COUNTRY",
    "NON_ISO_DATE",
    "NOT_A_COUNTRY",
    "NOT_IN_VOCABULARY",
    "OTHER_SEPARATOR",
    "PARTIAL_DATE",
    "READ_RULES",
    "UNKNOWN_COLUMN",
    "UNREADABLE",
    "CellProblem",
    "Chunk",
    "FieldShape",
    "Format",
    "ImportNote",
    "ImportResult",
    "Layout",
    "Limits",
    "LoadedDataset",
    "Member",
    "NoteKind",
    "OpenSource",
    "RawRow",
    "Reporter",
    "Source",
    "SourceKind",
    "Span",
    "TableSource",
    "cell_problem",
    "cell_to_input",
    "column_letter",
    "country_cell",
    "date_remark",
    "detect_layout",
    "dump_dataset",
    "example_path",
    "export_partnerships",
    "field_shape",
    "following_symlinks",
    "format_named",
    "formats",
    "import_partnerships",
    "is_database",
    "iter_raw_rows",
    "iter_records",
    "load_dataset",
    "load_example",
    "non_iso_date",
    "open_source",
    "organisation_key",
    "parse_date",
    "raise_problem",
    "read_stream",
    "repeated_key_problems",
    "required_fields",
    "source_name",
    "vocabulary_problem",
    "with_outcome",
]

publish(globals())
