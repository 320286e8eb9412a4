from pathlib import Path

import pytest

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
