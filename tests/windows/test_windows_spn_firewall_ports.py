"""setspn in every output it prints, PortQry and Test-NetConnection, and the NetSecurity firewall
cmdlets in every shape. All inputs are synthetic, laid out as the tools print them."""

import pytest

from .conftest import pipe, slots, utf16

# --- setspn -------------------------------------------------------------------------------------

QUERY_FOUND = """C:\\>setspn -Q exchangeAB/outlook.example.com
Checking domain DC=example,DC=com
CN=CAS02,CN=Computers,DC=example,DC=com
        exchangeAB/outlook.example.com
        HOST/CAS02.example.com
        HOST/CAS02

Existing SPN found!
"""
QUERY_NONE = """C:\\>setspn -Q http/mail.example.com
Checking domain DC=example,DC=com

No such SPN found.
"""
QUERY_FOREST = """C:\\>setspn -T * -Q http/mail.example.com
Checking forest DC=example,DC=com
Checking domain DC=example,DC=com
CN=Exchange Alternate Service Account,CN=Users,DC=example,DC=com
        http/mail.example.com
        exchangeMDB/outlook.example.com

Existing SPN found!
"""
DUPLICATES_NONE = """C:\\>setspn -X
Checking domain DC=example,DC=com
Processing entry 0
Processing entry 7
found 0 group of duplicate SPNs.
"""
ADD_REFUSED = """C:\\>setspn -S http/mail.example.com EXCHASA$
Checking domain DC=example,DC=com
CN=CAS01,CN=Computers,DC=example,DC=com
        http/mail.example.com

Duplicate SPN found, aborting operation!
"""


def of(data, kind, name="pasted.txt"):
    return [f for f in pipe(data, name) if f.type == kind]


def test_setspn_q_that_finds_the_name():
    """Issue 9: setspn -Q output was skipped silently."""
    registrations = of(QUERY_FOUND, "spn-registration")
    assert [(f.slots["spn"], f.slots["account"]) for f in registrations][0] == (
        "exchangeAB/outlook.example.com", "CN=CAS02,CN=Computers,DC=example,DC=com")
    (verdict,) = of(QUERY_FOUND, "spn-query")
    assert verdict.slots == {"spn": "exchangeAB/outlook.example.com", "option": "-Q", "found": True, "count": 1}
    assert verdict.line == 8


def test_setspn_q_that_finds_nothing_says_so():
    assert of(QUERY_NONE, "spn-registration") == []
    (verdict,) = of(QUERY_NONE, "spn-query")
    assert verdict.slots == {"spn": "http/mail.example.com", "option": "-Q", "found": False, "count": 0}
    assert verdict.text == "No such SPN found."


def test_setspn_forest_query_with_an_account_name_holding_blanks():
    registrations = of(QUERY_FOREST, "spn-registration")
    assert {f.slots["account"] for f in registrations} == {
        "CN=Exchange Alternate Service Account,CN=Users,DC=example,DC=com"}
    assert [f.slots["service_class"] for f in registrations] == ["http", "exchangemdb"]


def test_setspn_x_without_duplicates_and_a_refused_add():
    (none,) = of(DUPLICATES_NONE, "spn-query")
    assert none.slots == {"spn": "", "option": "-X", "found": False, "count": 0}
    (refused,) = of(ADD_REFUSED, "spn-query")
    assert refused.slots["option"] == "-S" and refused.slots["found"] is True
    assert [f.slots["account"] for f in of(ADD_REFUSED, "spn-registration")] == [
        "CN=CAS01,CN=Computers,DC=example,DC=com"]


def test_several_setspn_runs_in_one_paste():
    facts = pipe(QUERY_NONE + QUERY_FOUND + DUPLICATES_NONE)
    assert [(f.slots["option"], f.slots["spn"], f.slots["found"]) for f in facts if f.type == "spn-query"] == [
        ("-Q", "http/mail.example.com", False), ("-Q", "exchangeAB/outlook.example.com", True), ("-X", "", False)]


# --- portqry and Test-NetConnection ---------------------------------------------------------------

PORTQRY = """C:\\PortQryV2>portqry -n edge01.example.com -p tcp -o 25,50636,135

Querying target system called:

 edge01.example.com

Attempting to resolve name to IP address...


Name resolved to 192.0.2.30

querying...

TCP port 25 (smtp service): LISTENING

Data returned from port:
220 edge01.example.com Microsoft ESMTP MAIL Service ready

TCP port 50636 (unknown service): FILTERED

TCP port 135 (epmap service): NOT LISTENING
"""
PORTQRY_UDP = """C:\\>portqry -n 192.0.2.30 -p udp -e 53

Querying target system called:

 192.0.2.30

querying...

UDP port 53 (domain service): LISTENING or FILTERED
"""


def test_portqry_states_per_port():
    """Issue 9: portqry output was skipped silently."""
    probes = of(PORTQRY, "port-probe")
    assert slots(probes, "target", "address", "protocol", "port", "state") == [
        {"target": "edge01.example.com", "address": "192.0.2.30", "protocol": "TCP", "port": 25, "state": "listening"},
        {"target": "edge01.example.com", "address": "192.0.2.30", "protocol": "TCP", "port": 50636, "state": "filtered"},
        {"target": "edge01.example.com", "address": "192.0.2.30", "protocol": "TCP", "port": 135,
         "state": "not-listening"}]
    assert probes[1].line == 19 and probes[1].text == "TCP port 50636 (unknown service): FILTERED"


def test_portqry_udp_and_a_target_given_as_address():
    (probe,) = of(PORTQRY_UDP, "port-probe")
    assert (probe.slots["target"], probe.slots["address"], probe.slots["state"]) == (
        "192.0.2.30", "192.0.2.30", "listening-or-filtered")


def test_portqry_output_in_utf16_without_its_command():
    data = utf16(PORTQRY.split("\n", 1)[1])
    assert [p.slots["port"] for p in of(data, "port-probe", "portqry.txt")] == [25, 50636, 135]


TNC = """PS C:\\> Test-NetConnection edge01.example.com -Port 50636
WARNING: TCP connect to (192.0.2.30 : 50636) failed


ComputerName           : edge01.example.com
RemoteAddress          : 192.0.2.30
RemotePort             : 50636
InterfaceAlias         : Ethernet
SourceAddress          : 192.0.2.21
PingSucceeded          : True
PingReplyDetails (RTT) : 0 ms
TcpTestSucceeded       : False
"""


@pytest.mark.parametrize("data", [TNC, '{"ComputerName": "edge01.example.com", "RemoteAddress": "192.0.2.30", '
                                       '"RemotePort": 50636, "TcpTestSucceeded": false}\n'], ids=["fl", "json"])
def test_test_netconnection(data):
    (probe,) = of(data, "port-probe")
    assert (probe.slots["target"], probe.slots["port"], probe.slots["state"], probe.slots["source"]) == (
        "edge01.example.com", 50636, "failed", "Test-NetConnection")


# --- NetSecurity cmdlets -------------------------------------------------------------------------

ONE_LINER = """PS C:\\> Get-NetFirewallRule -Direction Inbound -Enabled True | ft DisplayName,Enabled,Direction,Action,@{n='Protocol';e={($_ | Get-NetFirewallPortFilter).Protocol}},@{n='LocalPort';e={($_ | Get-NetFirewallPortFilter).LocalPort}}

DisplayName                  Enabled Direction Action Protocol LocalPort
-----------                  ------- --------- ------ -------- ---------
Inbound SMTP (TCP 25)           True   Inbound  Allow TCP      25
Block EdgeSync (TCP 50636)      True   Inbound  Block TCP      50636
"""
RULE_CSV = ('"Name","DisplayName","Enabled","Direction","Action","Profile","Protocol","LocalPort","RemotePort"\n'
            '"SMTP-In","Inbound SMTP (TCP 25)","True","Inbound","Allow","Any","TCP","25","Any"\n'
            '"EdgeSync-Block","Block EdgeSync (TCP 50636)","True","Inbound","Block","Domain, Private","TCP","50636","Any"\n')
RULE_JSON = ('[{"Name": "SMTP-In", "DisplayName": "Inbound SMTP (TCP 25)", "Enabled": 1, "Direction": 1, "Action": 2, '
             '"Profile": 0, "Protocol": "TCP", "LocalPort": "25", "RemotePort": "Any"},\n'
             ' {"Name": "EdgeSync-Block", "DisplayName": "Block EdgeSync (TCP 50636)", "Enabled": 1, "Direction": 1, '
             '"Action": 4, "Profile": 3, "Protocol": "TCP", "LocalPort": "50636", "RemotePort": "Any"}]\n')


@pytest.mark.parametrize("shape", ["one-liner table", "csv", "json with enums as numbers"])
def test_every_shape_of_a_rule_with_its_ports(shape):
    data = {"one-liner table": ONE_LINER, "csv": RULE_CSV, "json with enums as numbers": RULE_JSON}[shape]
    rules = of(data, "firewall-rule")
    assert slots(rules, "name", "enabled", "direction", "action", "protocol", "local_ports") == [
        {"name": "Inbound SMTP (TCP 25)", "enabled": True, "direction": "in", "action": "allow", "protocol": "TCP",
         "local_ports": ["25"]},
        {"name": "Block EdgeSync (TCP 50636)", "enabled": True, "direction": "in", "action": "block",
         "protocol": "TCP", "local_ports": ["50636"]}]


def test_profiles_from_flags_and_text():
    csv_rules, json_rules = of(RULE_CSV, "firewall-rule"), of(RULE_JSON, "firewall-rule")
    assert [r.slots["profiles"] for r in csv_rules] == [["Any"], ["Domain", "Private"]]
    assert [r.slots["profiles"] for r in json_rules] == [["Any"], ["Domain", "Private"]]


def test_a_rule_without_ports_is_not_a_rule_on_every_port():
    text = ("PS C:\\> Get-NetFirewallRule -Name EdgeSync-Block\n\nName                  : EdgeSync-Block\n"
            "DisplayName           : Block EdgeSync (TCP 50636)\nDescription           :\nDisplayGroup          :\n"
            "Enabled               : True\nProfile               : Any\nDirection             : Inbound\n"
            "Action                : Block\nEdgeTraversalPolicy   : Block\nPrimaryStatus         : OK\n")
    facts = pipe(text)
    assert not [f for f in facts if f.type == "firewall-rule"]
    (rule,) = [f for f in facts if f.type == "netfirewall-rule"]
    assert (rule.slots["name"], rule.slots["action"], rule.slots["direction"]) == ("EdgeSync-Block", "block", "in")


def test_port_filter_names_its_rule_when_shown():
    text = ("PS C:\\> Get-NetFirewallRule -Name EdgeSync-Block | Get-NetFirewallPortFilter | fl *\n\n"
            "Protocol      : TCP\nLocalPort     : 50636\nRemotePort    : Any\nIcmpType      : Any\n"
            "DynamicTarget : Any\nInstanceID    : EdgeSync-Block\n")
    (port,) = of(text, "netfirewall-port-filter")
    assert port.slots == {"rule": "EdgeSync-Block", "protocol": "TCP", "local_ports": ["50636"], "remote_ports": ["Any"]}


PROFILE_FT = """PS C:\\> Get-NetFirewallProfile | ft Name,Enabled,DefaultInboundAction,DefaultOutboundAction

Name    Enabled DefaultInboundAction DefaultOutboundAction
----    ------- -------------------- ---------------------
Domain     True        NotConfigured         NotConfigured
Private    True        NotConfigured         NotConfigured
Public     True                Block                 Block
"""
PROFILE_JSON = ('[{"Name": "Domain", "Enabled": 1, "DefaultInboundAction": 0, "DefaultOutboundAction": 0},\n'
                ' {"Name": "Private", "Enabled": 1, "DefaultInboundAction": 0, "DefaultOutboundAction": 0},\n'
                ' {"Name": "Public", "Enabled": 1, "DefaultInboundAction": 4, "DefaultOutboundAction": 4}]\n')


@pytest.mark.parametrize("data", [PROFILE_FT, PROFILE_JSON], ids=["ft", "json"])
def test_get_netfirewallprofile_gives_what_netsh_allprofiles_gives(data):
    assert slots(of(data, "firewall-policy")) == [
        {"profile": "Domain", "state": "on", "inbound": "block", "outbound": "allow"},
        {"profile": "Private", "state": "on", "inbound": "block", "outbound": "allow"},
        {"profile": "Public", "state": "on", "inbound": "block", "outbound": "block"}]
