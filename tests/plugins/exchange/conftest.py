from pathlib import Path

import pytest

from hakb.diagnosis import diagnose

EXAMPLES = Path(__file__).parents[3] / "facts" / "examples"


@pytest.fixture(autouse=True)
def _only_our_plugins(monkeypatch):
    """Rule tests here load the windows and exchange plugins only (others are tested on their own)."""
    monkeypatch.setenv("HAKB_LOAD_PLUGINS", "windows,exchange")


@pytest.fixture
def run_example():
    """Diagnose one folder of facts/examples; fails on pipeline errors (refused packs, parser errors)."""
    def run(name):
        case = diagnose([str(EXAMPLES / name)])
        assert not case.errors, case.errors
        bad = [(a.artifact.name, a.message) for a in case.artifacts
               if a.status == "error" or (a.status == "skipped" and not a.artifact.name.endswith("README.md"))]
        assert not bad, bad
        return case
    return run
