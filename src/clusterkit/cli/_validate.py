"""Private: `clusterkit validate [PATH ...]`."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path
from typing import Any, TextIO

from clusterkit.cli._common import (
    EXIT_DATA,
    EXIT_OK,
    SOURCES,
    STDOUT,
    Commands,
    UsageError,
    add_limit_options,
    add_rule_options,
    add_symlink_options,
    count,
    follow_symlinks,
    iso_date,
    limits,
    output_file,
    progress,
    refuse_inputs,
    stdin_or,
    thresholds,
    writing,
)
from clusterkit.cli._encoding import for_format
from clusterkit.reference import programme_path
from clusterkit.report import FORMATS, Report
from clusterkit.rules import validate

__all__ = ["register", "run"]


class _FormatAction(argparse.Action):
    """`--format NAME`: one more output, to stdout until an `--output` follows."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        del parser, option_string
        outputs = list(getattr(namespace, "outputs", None) or [])
        outputs.append([values, None])
        namespace.outputs = outputs


class _OutputAction(argparse.Action):
    """`--output FILE`: where the `--format` just before it is written."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        del option_string
        outputs = list(getattr(namespace, "outputs", None) or [])
        if not outputs:
            outputs.append(["text", None])
        if outputs[-1][1] is not None:
            parser.error(
                f"--output {values}: the --format before it already has an "
                "--output; give a --format for each file"
            )
        outputs[-1][1] = values
        namespace.outputs = outputs


def register(commands: Commands) -> None:
    """Add `validate` to the command line."""
    command = commands.add_parser(
        "validate",
        help="check datasets against every rule; exit 1 when something fails",
        description=(
            f"Check each PATH ({SOURCES}; default: the current folder) against every "
            "rule of the validator. Exit codes: 0 nothing at or above --fail-on; "
            "1 findings at or above it (an unreadable file is a finding); 2 usage "
            "error; 3 internal error."
        ),
    )
    command.add_argument("paths", nargs="*", metavar="PATH")
    command.add_argument(
        "--format",
        choices=sorted(FORMATS),
        action=_FormatAction,
        dest="outputs",
        help="output format; repeat for several, each with its own --output",
    )
    command.add_argument(
        "--output",
        metavar="FILE",
        action=_OutputAction,
        dest="outputs",
        help="write the --format just before it to FILE instead of stdout",
    )
    add_rule_options(command)
    command.add_argument(
        "--fail-on",
        choices=["error", "warning", "info", "never"],
        default="error",
        help="the lowest severity that fails the run (exit 1); default: error",
    )
    command.add_argument(
        "--max-findings",
        type=count,
        metavar="N",
        help="show at most N findings (all are counted; truncation is stated)",
    )
    command.add_argument(
        "--min-severity",
        choices=["error", "warning", "info"],
        default="info",
        help=(
            "show only findings of this severity or above (all are still counted "
            "and decide the exit code); default: info, everything"
        ),
    )
    command.add_argument(
        "--programme",
        action="store_true",
        help="validate the register of real partnerships (clusterkit.reference.programme())",
    )
    command.add_argument(
        "--as-of",
        type=iso_date,
        metavar="DATE",
        help="dates after this day are in the future (CK-DATE-004); default: today",
    )
    add_symlink_options(command)
    add_limit_options(command)
    command.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Validate, write each output and say whether the run failed."""
    in_github = os.environ.get("GITHUB_ACTIONS") == "true"
    outputs = args.outputs or (
        [["text", None], ["github", None]] if in_github else [["text", None]]
    )
    if args.programme and args.paths:
        raise UsageError("clusterkit validate: give PATHs or --programme, not both")
    paths = [str(programme_path())] if args.programme else args.paths or ["."]
    if paths.count("-") > 1:
        raise UsageError(
            "clusterkit validate: standard input (-) can be read only once"
        )
    written = [file for _, file in outputs if file not in {None, STDOUT}]
    _refuse_shared(written)
    refuse_inputs(written, paths, "validate")
    chosen = limits(args, "validate")
    shown = progress(sys.stderr)
    try:
        report = validate(
            [stdin_or(path, "validate") for path in paths],
            progress=shown,
            as_of=args.as_of,
            follow_symlinks=follow_symlinks(args),
            select=args.select,
            ignore=args.ignore,
            fail_on=args.fail_on,
            max_findings=args.max_findings,
            min_severity=args.min_severity,
            thresholds=thresholds(args),
            limits=chosen,
        )
    except ValueError as error:
        raise UsageError(f"clusterkit validate: {error}") from None
    finally:
        if shown is not None:
            shown.done()
    with contextlib.ExitStack() as files:
        # Every --output is opened before any is written: one that cannot be
        # is a usage error that leaves every output as it was.
        handles = {
            destination: files.enter_context(output_file(destination, "validate"))
            for destination in written
        }
        for name, destination in outputs:
            if destination not in {None, STDOUT}:
                # A write that fails is this file's, not the file opened last's.
                with writing(destination, "validate"):
                    _write_format(name, report, handles[destination])
    # Standard output after the files are complete, outside their blocks: a
    # reader that goes away (`| head`) is no error and costs no file.
    for name, destination in outputs:
        if destination in {None, STDOUT}:
            _write_format(name, report, for_format(out, name))
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if in_github and summary_file:
        _append_step_summary(Path(summary_file), report)
    return EXIT_OK if report.ok else EXIT_DATA


def _refuse_shared(files: list[str]) -> None:
    """Refuse two --output options that name one file: the second would replace the first."""
    seen: dict[str, str] = {}
    for file in files:
        same = os.path.realpath(file)
        if same in seen:
            raise UsageError(
                f"clusterkit validate: --output {file}: another --format is "
                f"written to {seen[same]} already; give each --format its own file"
            )
        seen[same] = file


def _append_step_summary(path: Path, report: Report) -> None:
    """Add the report's summary to the job's page, or say on stderr why not.

    A courtesy: the exit code stays the one the data decides.
    """
    try:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(report.to_step_summary() + "\n")
    except OSError as error:
        sys.stderr.write(
            f"clusterkit validate: warning: cannot write the step summary to "
            f"{path} (GITHUB_STEP_SUMMARY): {error.strerror or error}\n"
        )


def _write_format(name: str, report: Report, out: TextIO) -> None:
    if name == "json":
        # Streamed: a report with a million findings is never one string.
        report.write_json(out)
        out.write("\n")
        return
    text = report.render(name)
    if text:
        out.write(text + "\n")
