"""Shared test setup: every test gets its own case database, never the user's."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "facts" / "examples"


@pytest.fixture(autouse=True)
def _private_case_db(tmp_path, monkeypatch):
    monkeypatch.setenv("HAKB_DB", str(tmp_path / "cases.db"))
    monkeypatch.delenv("HAKB_LOAD_PLUGINS", raising=False)
