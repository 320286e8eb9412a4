"""Shared test setup: every test gets its own case database; the run has its own pack cache; never the user's."""

import sys
from pathlib import Path

import pytest

# Shared test kits (packkit.py) import by name under --import-mode=importlib.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bundles import example  # noqa: E402 (needs the path above)

# pytester runs hakb's pytest plugin on a third party's test files (tests/core).
pytest_plugins = ("pytester",)


@pytest.fixture(scope="session")
def _session_cache(tmp_path_factory):
    """One pack cache for the whole run, never the user's: entries are keyed by the packs'
    content, so sharing them changes nothing but time (tests of the cache set their own)."""
    return tmp_path_factory.mktemp("pack-cache")


@pytest.fixture(autouse=True)
def _private_case_db(tmp_path, monkeypatch, _session_cache):
    monkeypatch.setenv("HAKB_DB", str(tmp_path / "cases.db"))
    monkeypatch.setenv("HAKB_CACHE", str(_session_cache))
    monkeypatch.delenv("HAKB_LOAD_PLUGINS", raising=False)


@pytest.fixture
def run_example():
    """Diagnose the example bundle ``name``; fails on pipeline errors (refused packs, parser
    errors) and on files no parser took (apart from the example's README)."""
    from hakb.diagnosis import diagnose

    def run(name, **kwargs):
        case = diagnose([str(example(name))], **kwargs)
        assert not case.errors, case.errors
        bad = [(a.artifact.name, a.status, a.message) for a in case.artifacts
               if a.status == "error" or (a.status == "skipped" and not a.artifact.name.endswith("README.md"))]
        assert not bad, bad
        return case
    return run
