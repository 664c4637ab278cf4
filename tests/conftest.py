"""Shared fixtures and hypothesis profiles.

`HYPOTHESIS_PROFILE=ci` runs more examples, derandomised; the default `dev` profile
keeps the suite quick on a laptop and explores new examples on every run.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import clusterkit as ck
from clusterkit.io import example_path
from system_packages import find_or_install

settings.register_profile(
    "dev",
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "ci",
    max_examples=150,
    # Reproducible in CI: a red build shows the same failure when run again.
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(name="example")
def fixture_example() -> ck.Dataset:
    """The bundled fictional example dataset."""
    return ck.load_example()


@pytest.fixture(name="example_dir")
def fixture_example_dir() -> Path:
    """The folder of the bundled example dataset's CSV files."""
    return example_path()


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Write `text` to `path`, creating folders, and return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding=encoding)
    return path


HOSTILE_ID = "<img src=x onerror=alert(1)>"
"""A partnership id that is markup: reports must show it as text."""
FORMULA_ID = "=1+2"
"""A partnership id that a spreadsheet would take for a formula."""


@pytest.fixture(name="hostile_dir")
def fixture_hostile_dir(tmp_path: Path) -> Path:
    """The valid base dataset with partnership P1 renamed to markup, P2 to a formula."""
    base = Path(__file__).parent / "data" / "valid" / "base"
    folder = tmp_path / "hostile"
    folder.mkdir()
    for file in base.iterdir():
        fields = [
            [
                HOSTILE_ID if cell == "P1" else FORMULA_ID if cell == "P2" else cell
                for cell in line.split(",")
            ]
            for line in file.read_text(encoding="utf-8").split("\n")
        ]
        text = "\n".join(",".join(line) for line in fields)
        (folder / file.name).write_text(text, encoding="utf-8")
    return folder


# Where Debian (and Ubuntu) put the server programs of each PostgreSQL version.
POSTGRES_BINARIES = "/usr/lib/postgresql/*/bin"
POSTGRES_MISSING = (
    "the PostgreSQL server programs (initdb, pg_ctl) were not found in "
    f"{POSTGRES_BINARIES}, $POSTGRES_BIN or on PATH; install them as .ci/run does "
    "(apt-get install postgresql; the tests do it themselves when they run as "
    "root with apt-get) to run the tests of clusterkit.sql"
)


def postgres_bin() -> Path | None:
    """The folder of `initdb` and `pg_ctl`: `$POSTGRES_BIN`, Debian's newest, or PATH."""
    given = os.environ.get("POSTGRES_BIN")
    candidates = [Path(given)] if given else []
    candidates += sorted(
        Path("/").glob(POSTGRES_BINARIES.lstrip("/")),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
        reverse=True,
    )
    found = shutil.which("initdb")
    if found is not None:
        candidates.append(Path(found).parent)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


def free_port() -> int:
    """A TCP port of localhost that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session", name="postgres_url")
def fixture_postgres_url() -> Iterator[str]:
    """A throw-away PostgreSQL server of this test run: the URL of its database.

    `initdb` makes a cluster in a temporary folder, `pg_ctl` starts it on a free
    port of localhost (its socket in the folder too) and stops it at the end,
    when the folder is removed. PostgreSQL refuses to run as root: as root (in
    CI), the server runs as the `postgres` user, which owns the folder.
    """
    found = find_or_install(lambda: str(postgres_bin() or "") or None, "postgresql")
    if found is None:
        pytest.fail(POSTGRES_MISSING)
    folder = Path(found)
    root = Path(tempfile.mkdtemp(prefix="clusterkit-postgres-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        if runuser is None:  # pragma: no cover - util-linux is on every Debian
            pytest.fail("running as root needs runuser to start PostgreSQL")
        as_user = [runuser, "-u", "postgres", "--"]
        shutil.chown(root, "postgres")
    data, port = root / "data", free_port()
    log = root / "server.log"

    def run(*argv: str | Path) -> None:
        subprocess.run(
            [*as_user, *map(str, argv)],
            check=True,
            capture_output=True,
            cwd=root,
        )

    try:
        run(
            folder / "initdb",
            "--pgdata",
            data,
            "--username",
            "clusterkit",
            "--auth",
            "trust",
            "--encoding",
            "UTF8",
            "--locale",
            "C",
            "--no-sync",
        )
        options = (
            f"-p {port} -k {root} -c listen_addresses=localhost -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        run(
            folder / "pg_ctl", "--pgdata", data, "-o", options, "-l", log, "-w", "start"
        )
    except subprocess.CalledProcessError as error:
        shutil.rmtree(root, ignore_errors=True)
        output = (error.stdout or b"") + (error.stderr or b"")
        pytest.fail(f"PostgreSQL did not start: {output.decode(errors='replace')}")
    try:
        server = f"postgresql+psycopg://clusterkit@localhost:{port}"
        import sqlalchemy as sa  # noqa: PLC0415 - the sql extra, for these tests only

        engine = sa.create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(sa.text("CREATE DATABASE clusterkit_tests"))
        engine.dispose()
        yield f"{server}/clusterkit_tests"
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            run(folder / "pg_ctl", "--pgdata", data, "-m", "immediate", "-w", "stop")
        # The server's last files may still be closing.
        for _ in range(10):
            shutil.rmtree(root, ignore_errors=True)
            if not root.exists():
                break
            time.sleep(0.1)
