"""Adapter configuration in every shape: ipconfig /all (English, German), netsh, Get-NetIPConfiguration,
Get-DnsClient and Get-NetAdapter as fl, tables, CSV and JSON. All inputs are synthetic."""

import pytest

from hakb.diagnosis import diagnose

from .conftest import SAMPLES, pipe, pipe_result, slots, utf16


def of(data, kind, name="pasted.txt"):
    return [f for f in pipe(data, name) if f.type == kind]


def test_ipconfig_english():
    replication, mapi = of((SAMPLES / "ipconfig-all-en.txt").read_bytes(), "ip-interface")
    assert replication.slots["adapter"] == "Replication" and replication.slots["role"] == "replication"
    assert replication.slots["gateways"] == ["198.51.100.1"]
    assert replication.slots["dns_servers"] == ["192.0.2.10", "192.0.2.11"]  # continuation line joined
    assert replication.slots["subnets"] == ["198.51.100.0/24"] and replication.slots["dhcp"] is False
    assert replication.slots["description"] == "Microsoft Hyper-V Network Adapter #2"
    assert "Description" in replication.text and replication.line == 11
    # an IPv6 gateway first, the IPv4 one on the continuation line
    assert mapi.slots["gateways"] == ["192.0.2.1"] and mapi.slots["role"] == ""


def test_ipconfig_names_its_host():
    assert [f.slots["name"] for f in of((SAMPLES / "ipconfig-all-en.txt").read_bytes(), "host-name")] == ["EX01"]
    assert [f.slots["name"] for f in of((SAMPLES / "ipconfig-all-de.txt").read_bytes(), "host-name")] == ["EX02"]


def test_ipconfig_host_name_becomes_the_facts_host(tmp_path):
    """The artifact says which machine it is: its facts are that host's, whatever the file is called."""
    (tmp_path / "net.txt").write_bytes((SAMPLES / "ipconfig-all-en.txt").read_bytes())
    case = diagnose([str(tmp_path / "net.txt")])
    hosts = {f.host for f in case.facts if f.type == "ip-interface"}
    assert {h.split(".")[0].lower() for h in hosts} == {"ex01"}


def test_ipconfig_german_utf16():
    (fact,) = of((SAMPLES / "ipconfig-all-de.txt").read_bytes(), "ip-interface")
    assert fact.slots["adapter"] == "Replikation" and fact.slots["role"] == "replication"
    assert fact.slots["gateways"] == [] and fact.slots["dns_servers"] == []
    assert fact.slots["ips"] == ["198.51.100.12"] and fact.slots["dhcp"] is False


def test_ipconfig_german_single_word_labels():
    (fact,) = of((SAMPLES / "ipconfig-all-de.txt").read_bytes(), "ip-interface")
    assert fact.slots["description"] == "Intel(R) PRO/1000 MT Network Connection"


NETSH = """C:\\>netsh interface ipv4 show config

Configuration for interface "Replication"
    DHCP enabled:                         No
    IP Address:                           198.51.100.11
    Subnet Prefix:                        198.51.100.0/24 (mask 255.255.255.0)
    Default Gateway:                      198.51.100.1
    Gateway Metric:                       0
    InterfaceMetric:                      10
    Statically Configured DNS Servers:    192.0.2.10
                                          192.0.2.11
    Register with which suffix:           Primary only
    Statically Configured WINS Servers:   None

Configuration for interface "MAPI"
    DHCP enabled:                         No
    IP Address:                           192.0.2.21
    Subnet Prefix:                        192.0.2.0/24 (mask 255.255.255.0)
    Default Gateway:                      192.0.2.1
    Register with which suffix:           None
"""


def test_netsh_show_config():
    facts = pipe(NETSH)
    assert [(f.slots["adapter"], f.slots["register"]) for f in facts if f.type == "ip-dns-registration"] == [
        ("Replication", True), ("MAPI", False)]
    replication = next(f for f in facts if f.type == "ip-interface")
    assert replication.slots["gateways"] == ["198.51.100.1"]
    assert replication.slots["dns_servers"] == ["192.0.2.10", "192.0.2.11"]
    assert replication.slots["subnets"] == ["198.51.100.0/24"] and replication.slots["source"] == "netsh"


IPCONFIG_EXPECTED = {"adapter": "Replication", "ips": ["198.51.100.11"], "gateways": ["198.51.100.1"],
                     "dns_servers": ["192.0.2.10", "192.0.2.11"]}

NETIP_JSON = """PS C:\\> Get-NetIPConfiguration -InterfaceAlias Replication | ConvertTo-Json
{
    "InterfaceAlias":  "Replication",
    "InterfaceIndex":  12,
    "InterfaceDescription":  "Microsoft Hyper-V Network Adapter #2",
    "IPv4Address":  [
                        {
                            "IPAddress":  "198.51.100.11",
                            "PrefixLength":  24,
                            "AddressFamily":  2
                        }
                    ],
    "IPv4DefaultGateway":  [
                               {
                                   "NextHop":  "198.51.100.1",
                                   "DestinationPrefix":  "0.0.0.0/0"
                               }
                           ],
    "DNSServer":  [
                      {
                          "ServerAddresses":  [
                                                  "192.0.2.10",
                                                  "192.0.2.11"
                                              ],
                          "AddressFamily":  2
                      },
                      {
                          "ServerAddresses":  [],
                          "AddressFamily":  23
                      }
                  ]
}
"""
NETIP_FT = """PS C:\\> Get-NetIPConfiguration | ft InterfaceAlias,IPv4Address,IPv4DefaultGateway,DNSServer

InterfaceAlias IPv4Address     IPv4DefaultGateway DNSServer
-------------- -----------     ------------------ ---------
Replication    {198.51.100.11} {198.51.100.1}     {192.0.2.10, 192.0.2.11}
"""


@pytest.mark.parametrize("shape", ["fl", "ft", "json"])
def test_every_get_netipconfiguration_shape(shape):
    data = {"fl": (SAMPLES / "get-netipconfiguration.txt").read_bytes(), "ft": NETIP_FT, "json": NETIP_JSON}[shape]
    (fact,) = of(data, "ip-interface")
    assert {k: fact.slots[k] for k in IPCONFIG_EXPECTED} == IPCONFIG_EXPECTED
    assert fact.slots["role"] == "replication" and fact.slots["source"] == "Get-NetIPConfiguration"


def test_json_adds_the_subnet_from_the_prefix_length():
    (fact,) = of(NETIP_JSON, "ip-interface")
    assert fact.slots["subnets"] == ["198.51.100.0/24"]


DNSCLIENT_FT = """PS C:\\> Get-DnsClient

InterfaceAlias               Interface ConnectionSpecificSuffix     ConnectionSpecificSuffix RegisterThisConn UseSuffixWhen
                             Index                                  SearchList               ectionsAddress   Registering
--------------               --------- ------------------------     ------------------------ ---------------- -------------
Replication                         12                              {}                       True             False
MAPI                                11 example.com                  {}                       False            False
"""
DNSCLIENT_CSV = ('#TYPE Microsoft.Management.Infrastructure.CimInstance#ROOT/StandardCimv2/MSFT_DNSClient\n'
                 '"InterfaceAlias","InterfaceIndex","ConnectionSpecificSuffix","RegisterThisConnectionsAddress",'
                 '"UseSuffixWhenRegistering"\n"Replication","12","","True","False"\n"MAPI","11","example.com","False","False"\n')
DNSCLIENT_JSON = ('[{"InterfaceAlias": "Replication", "InterfaceIndex": 12, "RegisterThisConnectionsAddress": true},\n'
                  ' {"InterfaceAlias": "MAPI", "InterfaceIndex": 11, "RegisterThisConnectionsAddress": false}]\n')


@pytest.mark.parametrize("shape", ["ft with wrapped header", "csv", "csv utf-16", "json"])
def test_every_get_dnsclient_shape(shape):
    data = {"ft with wrapped header": DNSCLIENT_FT, "csv": DNSCLIENT_CSV, "csv utf-16": utf16(DNSCLIENT_CSV),
            "json": DNSCLIENT_JSON}[shape]
    assert slots(of(data, "ip-dns-registration"), "adapter", "register") == [
        {"adapter": "Replication", "register": True}, {"adapter": "MAPI", "register": False}]


NETADAPTER_FT = """PS C:\\> Get-NetAdapter

Name                      InterfaceDescription                    ifIndex Status       MacAddress             LinkSpeed
----                      --------------------                    ------- ------       ----------             ---------
Replication               Microsoft Hyper-V Network Adapter #2         12 Up           00-15-5D-01-02-03        10 Gbps
MAPI                      Microsoft Hyper-V Network Adapter            11 Up           00-15-5D-01-02-04        10 Gbps
"""
NETADAPTER_CSV = ('"Name","InterfaceDescription","ifIndex","Status","MacAddress","LinkSpeed"\n'
                  '"Replication","Microsoft Hyper-V Network Adapter #2","12","Up","00-15-5D-01-02-03","10 Gbps"\n'
                  '"MAPI","Microsoft Hyper-V Network Adapter","11","Up","00-15-5D-01-02-04","10 Gbps"\n')


@pytest.mark.parametrize("data", [NETADAPTER_FT, NETADAPTER_CSV], ids=["ft", "csv"])
def test_get_netadapter(data):
    assert slots(of(data, "network-adapter"), "name", "mac", "status") == [
        {"name": "Replication", "mac": "00:15:5d:01:02:03", "status": "Up"},
        {"name": "MAPI", "mac": "00:15:5d:01:02:04", "status": "Up"}]
    assert not [f for f in pipe(data) if f.type == "ip-interface"]  # no addresses: no IP configuration claimed


def test_an_ipconfig_section_that_cannot_be_read_is_an_error():
    result = pipe_result("C:\\>ipconfig /all\nsomething that is no ipconfig output\n")
    assert result.status == "error" and "ipconfig /all" in result.message
