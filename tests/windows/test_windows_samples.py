"""Every windows sample is read, by the parser meant for it (nothing in them is skipped)."""

import pytest

from .conftest import SAMPLES, pipe_result

EXPECTED = {
    "all-types-v4.reg": "regedit-export", "all-types-v5.reg": "regedit-export",
    # Office's uninstall keys are also its products (the exchange plugin reads them)
    "office-uninstall.reg": "office-products, regedit-export",
    "outlook-profile.reg": "regedit-export", "transporter-preferences.reg": "regedit-export",
    "cluster-node.txt": "windows-cluster", "cluster-quorum-2003.txt": "windows-cluster",
    "cluster-quorum-2008.txt": "windows-cluster", "cluster-res-mns-priv.txt": "windows-cluster",
    "get-cluster-subnet.txt": "windows-cluster", "get-clusterparameter.txt": "windows-cluster",
    "cluster.log": "windows-cluster-log", "get-netipconfiguration.txt": "windows-network",
    "ipconfig-all-de.txt": "windows-network", "ipconfig-all-en.txt": "windows-network",
    "get-windowsfeature.txt": "windows-features", "servermanagercmd-query.txt": "windows-servermanagercmd",
    "get-netfirewallrule-ports.txt": "windows-firewall", "portqry.txt": "portqry",
    "test-netconnection.txt": "windows-port-test", "setspn-q-none.txt": "setspn",
    "systeminfo-de.txt": "windows-systeminfo", "systeminfo-en.txt": "windows-systeminfo",
    "wevtutil-system-de.txt": "windows-wevtutil-text", "wevtutil-system-en.txt": "windows-wevtutil-text",
    "wlbs-display.txt": "windows-nlb-control", "wlbs-display-de.txt": "windows-nlb-control",
}


def test_every_sample_is_listed():
    assert sorted(p.name for p in SAMPLES.iterdir() if p.name != "README.md") == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_is_read_whole_by_its_parser(name):
    result = pipe_result((SAMPLES / name).read_bytes(), name)
    assert result.status == "parsed", result.message
    assert result.parser == EXPECTED[name]
    assert [s.as_dict() for s in result.sections if s.status != "parsed"] == []
    assert result.facts
