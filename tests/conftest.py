"""Shared test setup: every test gets its own case database, never the user's."""

import sys
from pathlib import Path

import pytest

# Shared test kits (packkit.py) import by name under --import-mode=importlib.
sys.path.insert(0, str(Path(__file__).resolve().parent))

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "facts" / "examples"


@pytest.fixture(autouse=True)
def _private_case_db(tmp_path, monkeypatch):
    monkeypatch.setenv("HAKB_DB", str(tmp_path / "cases.db"))
    monkeypatch.delenv("HAKB_LOAD_PLUGINS", raising=False)
