"""Hostile output: writes that fail or are cut short, signals, inputs as outputs, links, formulas.

Every write is all or nothing (`clusterkit._output`): a full disk, an error,
Ctrl-C or SIGTERM leave the destination absent or as it was, and no temporary
file behind.
"""

from __future__ import annotations

import argparse
import csv
import errno
import multiprocessing
import multiprocessing.connection
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import clusterkit as ck
from clusterkit import _output, cli
from clusterkit._scan import split_csv
from clusterkit.cli import _kpis
from clusterkit.cli._common import UsageError, refuse_inputs
from clusterkit.errors import DatasetReadError
from clusterkit.io._formats import csv_files, json_document
from clusterkit.kpis import _parallel
from clusterkit.rules import explain
from clusterkit.testing import generate_dataset

SRC = Path(__file__).parents[2] / "src"
LONG = "a" * 5000


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the command line; its exit code, stdout and stderr."""
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def listing(folder: Path) -> list[str]:
    """Every name under `folder`, hidden ones (temporary files) included."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def full_disk(
    monkeypatch: pytest.MonkeyPatch, module: Any, name: str, after: int = 3
) -> None:
    """Make `module.name` (a function the writer calls per record) fail as a full disk."""
    real: Callable[..., Any] = getattr(module, name)
    calls = [0]

    def failing(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        if calls[0] > after:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, failing)


# ---------------------------------------------------------------- the writers


def test_a_file_is_replaced_whole_with_the_usual_permissions(tmp_path: Path) -> None:
    """`atomic_file` writes beside the destination and renames; the mode follows the umask."""
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    with _output.atomic_file(target) as handle:
        handle.write("new")
        assert target.read_text(encoding="utf-8") == "old"
    assert target.read_text(encoding="utf-8") == "new"
    umask = os.umask(0o022)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    assert listing(tmp_path) == ["out.txt"]


def test_a_failed_write_leaves_the_file_and_no_temporary_file(tmp_path: Path) -> None:
    """An error in the block: the destination is unchanged, the temporary file gone."""
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")

    def interrupted() -> None:
        with _output.atomic_file(target, binary=True) as handle:
            handle.write(b"new")
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        interrupted()
    assert target.read_bytes() == b"old"
    assert listing(tmp_path) == ["out.bin"]


def test_a_device_is_written_to_as_it_is(tmp_path: Path) -> None:
    """`/dev/null` cannot be replaced: it is written to directly, links to it too."""
    with _output.atomic_file(Path(os.devnull)) as handle:
        handle.write("gone")
    link = tmp_path / "null"
    link.symlink_to(os.devnull)
    _output.refuse_link(link)
    assert _output.special(link)
    assert not _output.special(tmp_path / "absent")


def test_a_link_is_refused_dangling_or_not(tmp_path: Path) -> None:
    """A symbolic link as destination is not written through."""
    (tmp_path / "real.json").write_text("{}", encoding="utf-8")
    for name, target in (("link.json", "real.json"), ("dangling.json", "nowhere")):
        (tmp_path / name).symlink_to(target)
        with pytest.raises(FileExistsError, match="symbolic link"):
            _output.atomic_file(tmp_path / name).__enter__()
    assert not (tmp_path / "nowhere").exists()
    assert (tmp_path / "real.json").read_text(encoding="utf-8") == "{}"


def test_a_new_folder_appears_only_when_complete(tmp_path: Path) -> None:
    """A folder is written under a temporary name, then renamed; a failure leaves none."""
    target = tmp_path / "deep" / "data"

    def failing() -> None:
        with _output.atomic_folder(target, ["a"]) as folder:
            (folder / "a").write_text("1", encoding="utf-8")
            raise OSError("boom")

    with pytest.raises(OSError, match="boom"):
        failing()
    assert listing(tmp_path) == ["deep"]
    with _output.atomic_folder(target, ["a"]) as folder:
        (folder / "a").write_text("1", encoding="utf-8")
        assert not target.exists()
    assert listing(target) == ["a"]


def test_an_existing_folder_keeps_its_other_files(tmp_path: Path) -> None:
    """Into an existing folder, the files replace their namesakes only at the end."""
    (tmp_path / "a").write_text("old", encoding="utf-8")
    (tmp_path / "README").write_text("mine", encoding="utf-8")

    def failing() -> None:
        with _output.atomic_folder(tmp_path, ["a"]) as folder:
            (folder / "a").write_text("new", encoding="utf-8")
            raise OSError("full")

    with pytest.raises(OSError, match="full"):
        failing()
    assert listing(tmp_path) == ["README", "a"]
    assert (tmp_path / "a").read_text(encoding="utf-8") == "old"
    with _output.atomic_folder(tmp_path, ["a"]) as folder:
        (folder / "a").write_text("new", encoding="utf-8")
    assert (tmp_path / "a").read_text(encoding="utf-8") == "new"
    assert listing(tmp_path) == ["README", "a"]


@pytest.mark.parametrize(
    ("module", "name", "destination"),
    [
        (json_document, "json_record", "data.json"),
        (csv_files, "render", "data"),
    ],
)
@pytest.mark.parametrize("existing", [False, True])
def test_a_full_disk_mid_write_leaves_the_destination(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    example: ck.Dataset,
    module: Any,
    name: str,
    destination: str,
    *,
    existing: bool,
) -> None:
    """A write that fails mid-file: the destination is absent or unchanged, nothing left over."""
    target = tmp_path / destination
    if existing:
        ck.dump_dataset(example.model_copy(update={"activities": ()}), target)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    full_disk(monkeypatch, module, name)
    with pytest.raises(OSError, match="No space left"):
        ck.dump_dataset(example, target, overwrite=True)
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert after == before


def test_the_cli_says_a_full_disk_on_one_line(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    example_dir: Path,
) -> None:
    """`convert` onto a full disk exits 2 naming the destination and the cause."""
    full_disk(monkeypatch, json_document, "json_record")
    out = tmp_path / "out.json"
    code, _, err = run(capsys, "convert", str(example_dir), str(out), "--force")
    assert code == 2
    assert err == f"clusterkit convert: cannot write {out}: No space left on device\n"
    assert listing(tmp_path) == []


@pytest.mark.parametrize("command", ["validate", "kpis"])
def test_dev_full_as_output_exits_2(
    capsys: pytest.CaptureFixture[str], example_dir: Path, command: str
) -> None:
    """`--output /dev/full`: one line, exit code 2."""
    if not Path("/dev/full").exists():  # pragma: no cover - Linux has it
        pytest.skip("no /dev/full")
    code, _, err = run(capsys, command, str(example_dir), "--output", "/dev/full")
    assert code == 2
    assert err.count("\n") == 1
    assert "cannot write /dev/full: No space left on device" in err


def test_unwritable_destinations_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, example_dir: Path
) -> None:
    """A missing parent, a parent that is a file, a plain file for a folder: exit 2, one line."""
    plain = tmp_path / "plain"
    plain.write_text("x", encoding="utf-8")
    cases = [
        (
            ["convert", str(example_dir), str(tmp_path / "no" / "d.json")],
            "No such file",
        ),
        (["convert", str(example_dir), str(plain / "d.json")], "Not a directory"),
        (["convert", str(example_dir), str(plain), "--force"], "is not a folder"),
        (["validate", str(example_dir), "--output", str(plain / "r")], "Not a dir"),
        (["convert", str(example_dir), str(tmp_path)], "exists; use --force"),
    ]
    (tmp_path / "clusters.csv").write_text("id\n", encoding="utf-8")
    for argv, cause in cases:
        code, _, err = run(capsys, *argv)
        assert (code, err.count("\n")) == (2, 1), err
        assert cause in err
    assert plain.read_text(encoding="utf-8") == "x"


def test_a_refused_write_from_the_system_names_the_path(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    example_dir: Path,
) -> None:
    """A `FileExistsError` of the system (not a refusal) is a write error too."""

    def exists(*args: Any, **kwargs: Any) -> Any:
        raise FileExistsError(errno.EEXIST, "File exists")

    monkeypatch.setattr("clusterkit.cli._convert.dump_dataset", exists)
    code, _, err = run(capsys, "convert", str(example_dir), str(tmp_path / "x.json"))
    assert code == 2
    assert (
        err == f"clusterkit convert: cannot write {tmp_path / 'x.json'}: File exists\n"
    )


def test_any_other_os_error_exits_2_not_3(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An `OSError` that reaches `main` is the user's to fix: one line, exit code 2."""

    def denied(*args: Any) -> int:
        raise PermissionError(errno.EACCES, "Permission denied", "secret.csv")

    def bare(*args: Any) -> int:
        raise OSError("odd")

    for failing, line in ((denied, "secret.csv: Permission denied"), (bare, "odd")):
        monkeypatch.setattr("clusterkit.cli._schema.run", failing)
        code, _, err = run(capsys, "schema")
        assert (code, err) == (2, f"clusterkit: {line}\n")


# ---------------------------------------------------------------- inputs, links


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "{data}", "--output", "{data}/clusters.csv"],
        ["validate", "{data}", "--format", "json", "--output", "{data}/activities.csv"],
        ["kpis", "{data}", "--output", "{data}/partnerships.csv"],
        ["convert", "{data}", "{data}/clusters.csv", "--force"],
        ["convert", "{data}", "{data}", "--force"],
        ["convert", "{data}", "{link}", "--force"],
        ["import", "{data}/clusters.csv", "{data}", "--force"],
        ["report", "{data}", "--output", "{data}/../data/clusters.csv.html"],
    ],
)
def test_an_input_is_never_an_output(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    example: ck.Dataset,
    argv: list[str],
) -> None:
    """Writing over a file the run reads is refused, even with `--force`, through links too."""
    data = tmp_path / "data"
    ck.dump_dataset(example, data)
    (data / "clusters.csv.html").symlink_to(data / "clusters.csv")
    (tmp_path / "link").symlink_to(data)
    before = {p.name: p.read_bytes() for p in data.iterdir()}
    given = [a.format(data=data, link=tmp_path / "link") for a in argv]
    code, _, err = run(capsys, *given)
    assert code == 2
    assert "is an input of this run; input files are never written" in err
    assert {p.name: p.read_bytes() for p in data.iterdir()} == before


def test_notes_and_dest_must_differ(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`import --notes` naming DEST is refused."""
    source = tmp_path / "list.json"
    source.write_text("[]", encoding="utf-8")
    out = str(tmp_path / "d.json")
    code, _, err = run(capsys, "import", str(source), out, "--notes", out)
    assert code == 2
    assert "--notes FILE is DEST" in err


def test_import_writes_its_notes_whole(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The notes file is written by the safe writer, beside no temporary file."""
    source = tmp_path / "in" / "list.json"
    source.parent.mkdir()
    source.write_text("[]", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    code, _, _ = run(
        capsys, "import", str(source), str(out / "d.json"), "--notes", str(out / "n")
    )
    assert code == 0
    assert listing(out) == ["d.json", "n"]
    assert (out / "n").read_text(encoding="utf-8") == "[]\n"


def test_destination_links_are_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, example_dir: Path
) -> None:
    """A dangling link as destination, or a link inside a destination folder, is refused."""
    (tmp_path / "out.json").symlink_to(tmp_path / "elsewhere.json")
    code, _, err = run(capsys, "convert", str(example_dir), str(tmp_path / "out.json"))
    assert code == 2
    assert "is a symbolic link" in err
    assert not (tmp_path / "elsewhere.json").exists()
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "clusters.csv").symlink_to(tmp_path / "victim.csv")
    code, _, err = run(capsys, "convert", str(example_dir), str(folder), "--force")
    assert code == 2
    assert "clusters.csv is a symbolic link" in err
    assert listing(folder) == ["clusters.csv"]


# ---------------------------------------------------------------- formulas


def test_formulas_are_escaped_and_read_back(
    tmp_path: Path, example: ck.Dataset
) -> None:
    """Risky text cells get a quote; numbers are untouched; `unescape_formulas` undoes it."""
    risky = ["=HYPERLINK(1)", "+1", "-cmd", "@SUM(A1)", "'=quoted", "'plain"]
    clusters = [
        c.model_copy(update={"name": name})
        for c, name in zip(example.clusters, risky, strict=False)
    ]
    ds = example.model_copy(
        update={"clusters": (*clusters, *example.clusters[len(risky) :])}
    )
    ck.dump_dataset(ds, tmp_path / "data", escape_formulas=True)
    with (tmp_path / "data" / "clusters.csv").open(encoding="utf-8", newline="") as f:
        names = [row["name"] for row in csv.DictReader(f)][: len(risky)]
    assert names == ["'" + name for name in risky[:-1]] + ["'plain"]
    assert _output.escape_formula("\tx") == "'\tx"
    assert _output.escape_formula("\rx") == "'\rx"
    assert ck.load_dataset(tmp_path / "data").clusters[0].name == "'=HYPERLINK(1)"
    assert ck.load_dataset(tmp_path / "data", unescape_formulas=True) == ds
    loaded = ck.load_dataset(tmp_path / "data", errors="report", unescape_formulas=True)
    assert loaded.dataset == ds
    assert ck.load_dataset(tmp_path / "data", errors="report").dataset != ds
    ck.dump_dataset(ds, tmp_path / "data.json", escape_formulas=True)  # no escaping
    assert ck.load_dataset(tmp_path / "data.json") == ds


def test_convert_escapes_and_unescapes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, hostile_dir: Path
) -> None:
    """`--csv-escape-formulas` and `--csv-unescape-formulas` make a round trip."""
    out, back = tmp_path / "out", tmp_path / "back.json"
    assert (
        run(capsys, "convert", str(hostile_dir), str(out), "--csv-escape-formulas")[0]
        == 0
    )
    assert "'=1+2" in (out / "partnerships.csv").read_text(encoding="utf-8")
    assert (
        run(capsys, "convert", str(out), str(back), "--csv-unescape-formulas")[0] == 0
    )
    assert ck.load_dataset(back) == ck.load_dataset(hostile_dir)


def test_kpis_csv_escapes_text_not_numbers(
    capsys: pytest.CaptureFixture[str], hostile_dir: Path
) -> None:
    """`kpis --format csv --csv-escape-formulas`: the formula id is escaped, `-5` is not."""
    code, out, _ = run(
        capsys,
        "kpis",
        str(hostile_dir),
        "--format",
        "csv",
        "--by",
        "partnership",
        "--csv-escape-formulas",
        "--as-of",
        "2026-01-01",
    )
    assert code in (0, 1)
    assert "'=1+2" in out
    assert _kpis._escaped("a,b\r\n=1,-5\r\n") == "a,b\r\n'=1,-5\r\n"
    assert _kpis._escaped("x\n@y\n") == "x\n'@y\n"


# ---------------------------------------------------------------- argument types


def test_wrong_argument_types_raise_type_error(tmp_path: Path) -> None:
    """Each wrong type names its parameter, before anything is written."""
    target = tmp_path / "x.json"
    cases: list[tuple[Callable[[], object], str]] = [
        (lambda: ck.dump_dataset(None, target), "dataset"),  # type: ignore[arg-type]
        (lambda: ck.dump_dataset(ck.Dataset(), None), "destination"),  # type: ignore[arg-type]
        (lambda: explain(None), "rule_id"),  # type: ignore[arg-type]
        (lambda: ck.validate(ck.Dataset(), thresholds=3), "thresholds"),  # type: ignore[arg-type]
        (lambda: ck.validate(ck.Dataset(), select=b"CK-FK"), "select"),  # type: ignore[arg-type]
        (lambda: ck.validate(ck.Dataset(), ignore=3), "ignore"),  # type: ignore[arg-type]
        (lambda: ck.validate(ck.Dataset(), select=[1]), "select"),  # type: ignore[list-item]
        (lambda: ck.compute_kpis(ck.Dataset(), jobs=1.5), "jobs"),  # type: ignore[arg-type]
        (lambda: ck.compute_kpis(ck.Dataset(), jobs=True), "jobs"),
    ]
    for call, parameter in cases:
        with pytest.raises(TypeError, match=parameter):
            call()
    assert listing(tmp_path) == []


def test_a_too_long_path_is_a_finding_or_a_read_error() -> None:
    """A name longer than the system allows: CK-FILE-001, `DatasetReadError`, never `OSError`."""
    report = ck.validate(LONG)
    assert [f.rule for f in report.findings] == ["CK-FILE-001"]
    assert "File name too long" in report.findings[0].message
    assert not ck.compute_kpis(LONG).complete
    with pytest.raises(DatasetReadError, match="File name too long"):
        ck.load_dataset(LONG)
    with pytest.raises(DatasetReadError, match="File name too long"):
        list(ck.iter_records(LONG + ".csv", ck.ActivityRecord))


# ---------------------------------------------------------------- signals


@pytest.mark.parametrize(
    ("exception", "code", "word"),
    [(KeyboardInterrupt, 130, "interrupted"), (cli._Terminated, 143, "terminated")],
)
def test_an_interrupted_run_exits_130_or_143_on_one_line(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    example_dir: Path,
    exception: type[BaseException],
    code: int,
    word: str,
) -> None:
    """Ctrl-C or SIGTERM mid-write: one line, the code, and no file."""

    def interrupted(*args: Any, **kwargs: Any) -> str:
        raise exception

    monkeypatch.setattr(json_document, "json_record", interrupted)
    result = run(capsys, "convert", str(example_dir), str(tmp_path / "o.json"))
    assert result[0] == code
    assert result[2].count("\n") == 1
    assert word in result[2]
    assert listing(tmp_path) == []


def test_sigterm_raises_where_the_program_is() -> None:
    """The handler `main` installs turns SIGTERM into an exception."""
    with pytest.raises(KeyboardInterrupt):
        cli._terminate(signal.SIGTERM, None)


def test_main_runs_outside_the_main_thread(capsys: pytest.CaptureFixture[str]) -> None:
    """Off the main thread no handler can be installed; the command still runs."""
    codes: list[int] = []
    thread = threading.Thread(target=lambda: codes.append(cli.main(["schema"])))
    thread.start()
    thread.join()
    assert codes == [0]
    capsys.readouterr()


CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from clusterkit import cli
    from clusterkit.io._formats import json_document

    real = json_document.json_record
    started = Path(sys.argv[1])

    def slow(*args, **kwargs):
        started.touch()
        time.sleep(0.002)
        return real(*args, **kwargs)

    json_document.json_record = slow
    sys.exit(cli.main(sys.argv[2:]))
    """
)


@pytest.mark.parametrize(
    ("sent", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)]
)
@pytest.mark.parametrize("existing", [False, True])
def test_a_signal_mid_conversion_leaves_the_destination(
    tmp_path: Path, example_dir: Path, sent: int, code: int, *, existing: bool
) -> None:
    """A CLI process signalled mid-write: exit 130/143, one line, the destination absent or unchanged."""
    out = tmp_path / "out.json"
    if existing:
        out.write_text("{}\n", encoding="utf-8")
    started = tmp_path / "started"
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            CHILD,
            str(started),
            "convert",
            str(example_dir),
            str(out),
            "--force",
        ],
        env={**os.environ, "PYTHONPATH": str(SRC)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not started.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    child.send_signal(sent)
    _, err = child.communicate(timeout=60)
    assert child.returncode == code, err
    assert err.count("\n") == 1, err
    assert out.read_text(encoding="utf-8") == "{}\n" if existing else not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["started", *(["out.json"] if existing else [])]
    )


def test_interrupted_workers_are_reaped(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Ctrl-C while `compute_kpis(jobs=2)` waits: its workers are stopped, none is left."""
    ds = generate_dataset(seed=5, partnerships=6, clusters=25, smes=60, activities=3000)
    ck.dump_dataset(ds, tmp_path / "data")

    real = split_csv

    def split(path: Path, parts: int) -> list[Any]:
        return real(path, parts, min_bytes=16 * 1024)

    monkeypatch.setattr(_parallel, "split_csv", split)

    def interrupted(self: Any) -> Any:
        raise KeyboardInterrupt

    # The caller waits on each worker's pipe: Ctrl-C arrives there.
    monkeypatch.setattr(multiprocessing.connection.Connection, "recv", interrupted)
    with pytest.raises(KeyboardInterrupt):
        ck.compute_kpis(tmp_path / "data", jobs=2)
    assert multiprocessing.active_children() == []


# ---------------------------------------------------------------- links out of a dataset


SECRET = "root:x:0:0:SECRET-LINE"  # noqa: S105 - the content a link must not leak, not a password


@pytest.fixture(name="linked_out")
def fixture_linked_out(tmp_path: Path, example: ck.Dataset) -> Path:
    """A CSV dataset whose clusters.csv links to a secret file outside its folder."""
    data = tmp_path / "data"
    ck.dump_dataset(example, data)
    secret = tmp_path / "secret"
    secret.write_text(SECRET + "\n", encoding="utf-8")
    (data / "clusters.csv").unlink()
    (data / "clusters.csv").symlink_to(secret)
    return data


def test_links_out_of_the_folder_are_refused_without_echo(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    linked_out: Path,
) -> None:
    """`--no-follow-symlinks` (the default when CI=true): CK-FILE-001, nothing of the file shown."""
    monkeypatch.setenv("CI", "true")
    for argv in (
        ["validate", str(linked_out)],
        ["validate", str(linked_out), "--no-follow-symlinks", "--format", "json"],
        ["kpis", str(linked_out)],
        ["convert", str(linked_out), str(linked_out.parent / "o.json")],
        ["report", str(linked_out), "--output", str(linked_out.parent / "r.html")],
    ):
        code, out, err = run(capsys, *argv)
        assert code == 1, (argv, err)
        assert "SECRET" not in out + err
        assert "CK-FILE-001" in out + err or "outside the dataset folder" in err
    code, out, _ = run(capsys, "validate", str(linked_out), "--follow-symlinks")
    assert code == 1
    assert "CK-FILE-001" not in out
    monkeypatch.setenv("CI", "false")
    assert (
        "outside the dataset folder" not in run(capsys, "validate", str(linked_out))[1]
    )


def test_the_api_follows_links_unless_told(linked_out: Path) -> None:
    """`follow_symlinks=False` and `following_symlinks(False)` refuse; a link inside is read."""
    with pytest.raises(DatasetReadError, match="outside the dataset folder"):
        ck.load_dataset(linked_out, follow_symlinks=False)
    loaded = ck.load_dataset(linked_out, errors="report", follow_symlinks=False)
    assert [f.rule for f in loaded.report.findings] == ["CK-FILE-001"]
    assert not ck.compute_kpis(linked_out, follow_symlinks=False).complete
    with ck.io.following_symlinks(False):  # noqa: FBT003 - the one setting
        report = ck.validate(linked_out)
        assert report.findings[0].location.file == f"{linked_out}/clusters.csv"
        assert SECRET not in report.findings[0].message
        assert (
            ck.validate(linked_out, follow_symlinks=True).findings[0].rule
            != "CK-FILE-001"
        )
    inside = linked_out / "real"
    inside.mkdir()
    (linked_out / "clusters.csv").unlink()
    ck.dump_dataset(ck.load_example(), inside)
    for copy in inside.iterdir():  # the other tables' copies would be CK-FILE-003
        if copy.name != "clusters.csv":
            copy.unlink()
    # The file a link names is that file, not a copy of it in a subfolder.
    (linked_out / "clusters.csv").symlink_to(inside / "clusters.csv")
    assert ck.load_dataset(linked_out, follow_symlinks=False) == ck.load_example()
    rules = {f.rule for f in ck.validate(linked_out, follow_symlinks=False).findings}
    assert "CK-FILE-003" not in rules


def test_paths_that_do_not_resolve_are_compared_as_given(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A path that cannot be resolved (a loop of links) is compared absolute."""

    def loop(self: Path, *, strict: bool = False) -> Path:
        raise RuntimeError("Symlink loop")

    monkeypatch.setattr(Path, "resolve", loop)
    with pytest.raises(UsageError, match="is an input of this run"):
        refuse_inputs([tmp_path / "a.json"], [tmp_path / "a.json"], "convert")


@pytest.mark.parametrize(
    ("handler", "code"), [("_interrupt", 130), ("_terminate", 143)]
)
def test_a_signal_a_library_wrapped_is_still_a_signal(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    handler: str,
    code: int,
) -> None:
    """Ctrl-C or SIGTERM inside pydantic's serializer arrives as its error: 130/143."""
    from clusterkit import cli  # noqa: PLC0415 - the command line's own handlers

    def run(args: argparse.Namespace, out: object) -> int:
        del args, out
        try:
            getattr(cli, handler)(signal.SIGINT, None)
        except KeyboardInterrupt as interrupt:
            msg = "Error serializing to JSON: KeyboardInterrupt"
            raise RuntimeError(msg) from interrupt
        return 0  # pragma: no cover - the handler always raises

    class Parser:
        def parse_args(self, argv: object) -> argparse.Namespace:
            del argv
            return argparse.Namespace(run=run)

    monkeypatch.setattr(cli, "_parser", Parser)
    assert cli.main([]) == code
    assert capsys.readouterr().err.count("\n") == 1
