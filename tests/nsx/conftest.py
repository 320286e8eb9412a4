"""NSX tests load the nsx plugin and the vmware plugin whose host-nic facts the rules read."""

import pytest


@pytest.fixture(autouse=True)
def _nsx_and_vmware(monkeypatch):
    monkeypatch.setenv("HAKB_LOAD_PLUGINS", "vmware,nsx")
