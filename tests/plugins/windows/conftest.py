from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parents[3] / "facts" / "examples"


@pytest.fixture(autouse=True)
def _only_our_plugins(monkeypatch):
    """Rule tests here load the windows and exchange plugins only (others are tested on their own)."""
    monkeypatch.setenv("HAKB_LOAD_PLUGINS", "windows,exchange")
