"""Defects found by the review of the web-service example and of reading uploads."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

import clusterkit as ck


@pytest.mark.parametrize("missing", ["openpyxl", "defusedxml.ElementTree"])
def test_xlsx_install_hint_names_the_distribution(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, missing: str
) -> None:
    """Without the excel extra, reading a workbook says to install clusterkit-eu[excel]."""
    workbook = tmp_path / "data.xlsx"
    ck.dump_dataset(ck.load_example(), workbook)
    monkeypatch.setitem(sys.modules, missing, None)
    with pytest.raises(
        ck.DatasetReadError, match=re.escape("pip install 'clusterkit-eu[excel]'")
    ):
        ck.load_dataset(workbook)
