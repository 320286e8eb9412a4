"""Windows tests load the windows plugin and the exchange plugin whose rules read windows facts."""

import pytest
from bundles import examples, samples

EXAMPLES = examples("windows")
SAMPLES = samples("windows")


@pytest.fixture(autouse=True)
def _only_our_plugins(monkeypatch):
    monkeypatch.setenv("HAKB_LOAD_PLUGINS", "windows,exchange,sql")
