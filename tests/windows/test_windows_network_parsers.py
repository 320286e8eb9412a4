"""ipconfig /all, Get-NetIPConfiguration, Get-DnsClient, netsh; NLB and feature listings; Azure/SQL."""

from pathlib import Path

from hakb import Head
from hakb.plugins.windows import network, nlb
from hakb.plugins.windows.powershell import PARSERS as SHELL
from hakb.testing import parse_file, parse_text
from bundles import samples

SAMPLES = samples("windows")
SHELL_PARSER = SHELL[0]
IPCONFIG = network.PARSERS[0]


def test_ipconfig_english():
    replication, mapi = parse_file(IPCONFIG, SAMPLES / "ipconfig-all-en.txt")
    assert replication.host == "EX01" and replication.slots["adapter"] == "Replication"
    assert replication.slots["role"] == "replication"
    assert replication.slots["gateways"] == ["198.51.100.1"]
    assert replication.slots["dns_servers"] == ["192.0.2.10", "192.0.2.11"]
    assert replication.slots["subnets"] == ["198.51.100.0/24"] and replication.slots["dhcp"] is False
    assert replication.line == 8 and replication.text == "Ethernet adapter Replication:"
    # an IPv6 gateway first, the IPv4 one on the continuation line
    assert mapi.slots["gateways"] == ["192.0.2.1"] and mapi.slots["role"] == ""


def test_ipconfig_german_utf16():
    (fact,) = parse_file(IPCONFIG, SAMPLES / "ipconfig-all-de.txt")
    assert fact.host == "EX02" and fact.slots["adapter"] == "Replikation"
    assert fact.slots["role"] == "replication"
    assert fact.slots["gateways"] == [] and fact.slots["dns_servers"] == []
    assert fact.slots["ips"] == ["198.51.100.12"]


def test_get_netipconfiguration_and_dnsclient():
    facts = parse_file(SHELL_PARSER, SAMPLES / "get-netipconfiguration.txt")
    iface = next(f for f in facts if f.type == "ip-interface")
    assert iface.slots["gateways"] == ["198.51.100.1"]
    assert iface.slots["dns_servers"] == ["192.0.2.10", "192.0.2.11"]  # continuation line joined
    reg = next(f for f in facts if f.type == "ip-dns-registration")
    assert reg.slots == {"adapter": "Replication", "register": True, "source": "Get-DnsClient"}


def test_netsh_registration():
    text = ('Configuration for interface "Replication"\n    DHCP enabled:                         No\n'
            '    Register with which suffix:           Primary only\n\n'
            'Configuration for interface "MAPI"\n    Register with which suffix:           None\n')
    parser = network.PARSERS[1]
    assert parser.recognise(Head("x.txt", text)) == 100
    facts = parse_text(parser, text)
    assert [(f.slots["adapter"], f.slots["register"]) for f in facts] == [("Replication", True), ("MAPI", False)]


def test_wlbs_display():
    (fact,) = parse_file(nlb.PARSERS[0], SAMPLES / "wlbs-display.txt")
    assert fact.slots == {"cluster_ip": "198.51.100.50", "node": "EX01", "state": "Converged",
                          "source": "nlb display"}
    assert fact.line == 3


def test_windows_features():
    facts = parse_file(SHELL_PARSER, SAMPLES / "get-windowsfeature.txt")
    assert [(f.slots["name"], f.slots["installed"]) for f in facts] == [
        ("Failover-Clustering", True), ("NLB", True), ("RSAT-Clustering-PowerShell", True)]
    assert facts[1].slots["display_name"] == "Network Load Balancing"
