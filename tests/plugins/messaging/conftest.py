from pathlib import Path

import pytest

from hakb.diagnosis import diagnose

SAMPLES = Path(__file__).parents[2] / "samples" / "messaging"
EXAMPLES = Path(__file__).parents[3] / "facts" / "examples"

#: The messaging rules also read windows-system (systeminfo) and exchange-server facts.
PLUGINS = "registry,messaging,windows,exchange"


@pytest.fixture(autouse=True)
def _only_our_plugins(monkeypatch):
    """Load only the plugins the messaging rules need (others are tested on their own)."""
    monkeypatch.setenv("HAKB_LOAD_PLUGINS", PLUGINS)


def pack_errors(case) -> list:
    """Errors of the registry/messaging packs or the engine (other packs are not ours to judge)."""
    return [e for e in case.errors
            if e["source"] in ("pack messaging", "pack registry", "engine", "knowledge")]


@pytest.fixture
def run_example():
    """Diagnose one folder of facts/examples; fails on pipeline errors (refused packs, parser errors)."""
    def run(name, **kwargs):
        case = diagnose([str(EXAMPLES / name)], **kwargs)
        assert not pack_errors(case), case.errors
        bad = [(a.artifact.name, a.status, a.message) for a in case.artifacts
               if a.status == "error" or (a.status == "skipped" and not a.artifact.name.endswith("README.md"))]
        assert not bad, bad
        return case
    return run
