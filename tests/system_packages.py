"""Programs some tests need from the system: found, or installed from Debian's packages.

The README's test command runs on a fresh machine with only Python. A test that
needs a real browser or database server gets it from the distribution's packages:
when the program is missing and the tests run as root on a machine with
`apt-get` (CI, a container), the package is installed; otherwise the test fails
and says what to install. It never skips.

The tests run in several worker processes (`pytest -n auto`): one installs a
package at a time, under a lock, and the others find it installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

_INSTALLED: set[str] = set()


def can_install() -> bool:
    """Whether this process may install Debian packages: root, with apt-get."""
    return (
        hasattr(os, "geteuid") and os.geteuid() == 0 and bool(shutil.which("apt-get"))
    )


def find_or_install(find: Callable[[], str | None], package: str) -> str | None:
    """What `find` finds; if nothing, after installing `package` when one may."""
    found = find()
    if found is not None or package in _INSTALLED or not can_install():
        return found
    _INSTALLED.add(package)  # one attempt per process, however many tests ask
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    # apt-get refuses to run beside another apt-get: the workers take turns, and
    # one that waited finds the package its neighbour installed.
    lock_path = Path(tempfile.gettempdir()) / "clusterkit-tests-apt.lock"
    import fcntl  # noqa: PLC0415 - POSIX only; reached only where apt-get is

    with lock_path.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        found = find()
        if found is not None:
            return found
        for command in (
            ["apt-get", "update", "-qq"],
            ["apt-get", "install", "-y", "-qq", package],
        ):
            subprocess.run(command, env=environment, check=False, capture_output=True)
    return find()
