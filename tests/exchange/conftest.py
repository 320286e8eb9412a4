"""Exchange tests load the plugins whose facts the exchange rules read: windows (systeminfo,
clustering, registry, SPNs, firewall) and exchange itself (others are tested on their own)."""

import pytest
from bundles import examples, samples

EXAMPLES = examples("exchange")
SAMPLES = samples("exchange")

PLUGINS = "windows,exchange"


@pytest.fixture(autouse=True)
def _only_our_plugins(monkeypatch):
    monkeypatch.setenv("HAKB_LOAD_PLUGINS", PLUGINS)


def pack_errors(case) -> list:
    """Errors of the exchange and windows packs or the engine (other packs are not ours to judge)."""
    return [e for e in case.errors
            if e["source"] in ("pack exchange", "pack windows", "engine", "knowledge")]
