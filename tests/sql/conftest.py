"""SQL tests load the sql plugin and the windows plugin whose cluster parameters its rules read."""

import pytest
from bundles import examples, samples

EXAMPLES = examples("sql")
SAMPLES = samples("sql")


@pytest.fixture(autouse=True)
def _only_our_plugins(monkeypatch):
    monkeypatch.setenv("HAKB_LOAD_PLUGINS", "windows,sql")
