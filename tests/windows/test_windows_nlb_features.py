"""NLB evidence (wlbs/nlb display and query in English and German, Get-NlbClusterNode and
Get-NlbCluster in every shape) and installed features (Get-WindowsFeature in every shape,
ServerManagerCmd -query). All inputs are synthetic.

The German ``wlbs display`` is written after the English layout with German messages: the
parser depends on the parts that are not translated (the ``Cluster <address>`` line and the
``ClusterIPAddress = `` / ``HostName = `` parameter lines), only the state on the messages."""

import pytest

from hakb import Head
from hakb.plugins.windows import nlb

from .conftest import SAMPLES, pipe, slots, utf16

WLBS_QUERY = """C:\\>wlbs query
WLBS Cluster Control Utility V2.4 (c) 1997-2003 Microsoft Corporation.
Cluster 198.51.100.50
Host 1 has entered a converging state 3 time(s) since joining the cluster
  and the last convergence completed at approximately: 3/14/2019 12:00:00 PM
Host 1 converged as DEFAULT with the following host(s) as part of the cluster:
1, 2
"""

WLBS_GERMAN = (SAMPLES / "wlbs-display-de.txt")


def nodes(data, name="nlb.txt"):
    return [f for f in pipe(data, name) if f.type == "nlb-node"]


def test_wlbs_display():
    (fact,) = nodes((SAMPLES / "wlbs-display.txt").read_bytes())
    assert fact.slots == {"cluster_ip": "198.51.100.50", "node": "EX01", "state": "Converged",
                          "source": "nlb display"}
    assert fact.line == 3


def test_wlbs_query_without_parameters():
    (fact,) = nodes(WLBS_QUERY)
    assert (fact.slots["cluster_ip"], fact.slots["state"], fact.slots["node"]) == ("198.51.100.50", "Converged", "")


def test_german_wlbs_display_utf16():
    data = WLBS_GERMAN.read_bytes()
    assert data.startswith(b"\xff\xfe")
    (fact,) = nodes(data)
    assert fact.slots == {"cluster_ip": "198.51.100.50", "node": "APP02", "state": "Converged",
                          "source": "nlb display"}


def test_display_is_told_by_its_untranslated_lines_without_a_banner():
    text = "Cluster 198.51.100.50\n=== Konfiguration: ===\nClusterIPAddress          = 198.51.100.50\nHostName = APP02\n"
    assert nlb.PARSERS[0].recognise(Head("x.txt", text)) == 90
    assert nlb.PARSERS[0].recognise(Head("x.txt", "Cluster 198.51.100.50\n")) == 0


@pytest.mark.parametrize("line,state", [
    ("Host 2 konvergiert mit den folgenden Hosts als Teil des Clusters:", "Converged"),
    ("Host 2 wurde angehalten und verarbeitet keinen Netzwerkverkehr.", "Stopped"),
    ("Host 2 is stopped and does not handle any network traffic.", "Stopped"),
    ("Host 2 is draining existing connections.", "Draining"),
])
def test_states_in_both_languages(line, state):
    assert nlb.state_of(line) == state


NODE_TABLE = """PS C:\\> Get-NlbClusterNode -HostName APP02

Name                Cluster             State               Interface
----                -------             -----               ---------
APP02               app.example.com     Converged           Ethernet 2
"""
NODE_CSV = ('#TYPE Microsoft.NetworkLoadBalancingClusters.PowerShell.Node\n'
            '"Name","Cluster","State","InterfaceName","HostPriority","DedicatedIP"\n'
            '"APP02","app.example.com","Converged","Ethernet 2","1","198.51.100.52"\n')
NODE_JSON = ('[\n    {\n        "Name":  "APP02",\n        "Cluster":  "app.example.com",\n        "State":  1,\n'
             '        "InterfaceName":  "Ethernet 2",\n        "HostPriority":  1\n    }\n]\n')


@pytest.mark.parametrize("shape", ["table", "Export-Csv", "Export-Csv, UTF-16", "ConvertTo-Json"])
def test_every_get_nlbclusternode_shape_names_the_node_and_its_cluster(shape):
    data = {"table": NODE_TABLE, "Export-Csv": NODE_CSV, "Export-Csv, UTF-16": utf16(NODE_CSV),
            "ConvertTo-Json": NODE_JSON}[shape]
    assert slots(nodes(data), "node", "cluster_ip", "source") == [
        {"node": "APP02", "cluster_ip": "app.example.com", "source": "Get-NlbClusterNode"}]


def test_get_nlbcluster():
    text = ("PS C:\\> Get-NlbCluster | fl\n\nName        : app.example.com\nIPAddress   : 198.51.100.50\n"
            "SubnetMask  : 255.255.255.0\nMode        : UNICAST\n")
    assert slots(nodes(text), "cluster_ip", "source") == [{"cluster_ip": "198.51.100.50", "source": "Get-NlbCluster"}]


# --- features -----------------------------------------------------------------------------------

FEATURES = [("Failover-Clustering", True), ("NLB", True), ("RSAT-Clustering-PowerShell", True)]
FEATURE_FL = "\n".join(
    f"Name         : {n}\nDisplayName  : {d}\nInstalled    : True\nInstallState : Installed\nFeatureType  : Feature\n"
    for n, d in (("Failover-Clustering", "Failover Clustering"), ("NLB", "Network Load Balancing"),
                 ("RSAT-Clustering-PowerShell", "Failover Cluster Module for Windows PowerShell")))
FEATURE_CSV = ('"Name","DisplayName","Installed","InstallState","FeatureType"\n'
               '"Failover-Clustering","Failover Clustering","True","Installed","Feature"\n'
               '"NLB","Network Load Balancing","True","Installed","Feature"\n'
               '"RSAT-Clustering-PowerShell","Failover Cluster Module for Windows PowerShell","True","Installed","Feature"\n')
FEATURE_JSON = ('[{"Name": "Failover-Clustering", "DisplayName": "Failover Clustering", "Installed": true, '
                '"InstallState": 1, "FeatureType": "Feature"},\n'
                ' {"Name": "NLB", "DisplayName": "Network Load Balancing", "Installed": true, "InstallState": 1, '
                '"FeatureType": "Feature"},\n'
                ' {"Name": "RSAT-Clustering-PowerShell", "DisplayName": "Failover Cluster Module for Windows PowerShell", '
                '"Installed": true, "InstallState": 1, "FeatureType": "Feature"}]\n')
SERVERMANAGER = """C:\\>ServerManagerCmd -query

----- Roles -----

[ ] Application Server  [Application-Server]
    [ ] Application Server Foundation  [AS-AppServer-Foundation]

----- Features -----

[X] Failover Clustering  [Failover-Clustering]
[X] Network Load Balancing  [NLB]
[X] Remote Server Administration Tools  [RSAT]
    [X] Failover Clustering Tools  [RSAT-Clustering]
"""


@pytest.mark.parametrize("shape", ["table", "fl", "csv", "json"])
def test_every_get_windowsfeature_shape(shape):
    data = {"table": (SAMPLES / "get-windowsfeature.txt").read_bytes(), "fl": FEATURE_FL, "csv": FEATURE_CSV,
            "json": FEATURE_JSON}[shape]
    facts = [f for f in pipe(data) if f.type == "windows-feature"]
    assert [(f.slots["name"], f.slots["installed"]) for f in facts] == FEATURES
    assert facts[1].slots["display_name"] == "Network Load Balancing"


def test_available_features_are_not_installed():
    text = ('"Name","DisplayName","Installed","InstallState","FeatureType"\n'
            '"NLB","Network Load Balancing","False","Available","Feature"\n')
    (fact,) = [f for f in pipe(text) if f.type == "windows-feature"]
    assert fact.slots["installed"] is False


def test_servermanagercmd_query():
    facts = [f for f in pipe(SERVERMANAGER) if f.type == "windows-feature"]
    assert [(f.slots["name"], f.slots["installed"]) for f in facts] == [
        ("Application-Server", False), ("AS-AppServer-Foundation", False), ("Failover-Clustering", True),
        ("NLB", True), ("RSAT", True), ("RSAT-Clustering", True)]
    assert facts[3].slots["display_name"] == "Network Load Balancing" and facts[3].line == 11
