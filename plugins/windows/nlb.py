"""Evidence of Windows Network Load Balancing: the NLB control utility's ``wlbs display`` /
``nlb display`` / ``wlbs query`` (read as lines) and the ``Get-NlbClusterNode`` /
``Get-NlbCluster`` objects in any shape (shapes)::

    WLBS Cluster Control Utility V2.4 (c) 1997-2003 Microsoft Corporation.
    Cluster 192.0.2.50
    === Configuration: ===
    ClusterIPAddress          = 192.0.2.50
    HostName                  = EX01
    === Current state: ===
    Host 1 converged with the following host(s) as part of the cluster:

The utility's messages are in the server's language, its parameter lines (registry value names:
``ClusterIPAddress``, ``HostName``) and the ``Cluster <address>`` line are not; so a display is
told by its banner or by those lines, the cluster and host by the parameters, and only the
state is read from the (English or German) messages.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from hakb import Fact, Head
from hakb.formats import is_noise
from hakb.model import Parser
from hakb.reading import Record
from hakb.shapes import evidence, shape

from hakb.plugins.windows.objects import first
from hakb.shapes import object_parser

_BANNER = re.compile(r"(?:WLBS|Network Load Balancing|NLB)[- ]Cluster[- ]?(?:Control Utility|Steuerung)", re.I)
_IPV4 = r"\d{1,3}(?:\.\d{1,3}){3}"
_CLUSTER = re.compile(rf"^\s*Cluster\s+(?P<ip>{_IPV4})\s*$")
_PARAM = re.compile(r"^\s*(?P<name>ClusterIPAddress|HostName|ClusterName|DedicatedIPAddress)\s*=\s*(?P<value>.*)$",
                    re.I)
_HOST_LINE = re.compile(r"^\s*Host\s+\d+\s+(?P<rest>.*)$", re.I)
#: (state, words of the English or German message that say it), first match wins.
STATES = (
    ("Converging", re.compile(r"converging|konvergier\w*\s+gerade|Konvergenzstatus", re.I)),
    ("Converged", re.compile(r"\bconverged\b|\bkonvergiert\b", re.I)),
    ("Stopped", re.compile(r"\bstopped\b|\bangehalten\b|\bbeendet\b", re.I)),
    ("Suspended", re.compile(r"\bsuspended\b|\bunterbrochen\b", re.I)),
    ("Draining", re.compile(r"\bdraining\b|\bentleer\w*", re.I)),
)


def recognise_control(head: Head) -> int:
    if _BANNER.search(head.text):
        return 100
    lines = head.text.splitlines()
    if any(_CLUSTER.match(line) for line in lines) and any(
            _PARAM.match(line) and line.strip().lower().startswith("clusteripaddress") for line in lines):
        return 90
    return 0


def state_of(text: str) -> str:
    """The node state a ``Host <n> ...`` line reports ("" when it reports none)."""
    for state, words in STATES:
        if words.search(text):
            return state
    return ""


def parse_control(lines: Iterable[tuple[int, str]], artifact) -> Iterator[Fact]:
    cluster: tuple[str, int, str] | None = None
    state, node = "", ""
    for number, text in lines:
        if not text.strip() or is_noise(text):
            continue
        match = _CLUSTER.match(text)
        if match:
            if cluster is not None:
                yield _node(cluster, state, node)
            cluster, state = (match.group("ip"), number, text), ""
            continue
        param = _PARAM.match(text)
        if param:
            name, value = param.group("name").lower(), param.group("value").strip()
            if name == "hostname":
                node = value
            elif name == "clusteripaddress" and cluster is None:
                cluster = (value, number, text)
            continue
        host = _HOST_LINE.match(text)
        if host and state != "Converged":
            state = state_of(host.group("rest")) or state
    if cluster is not None:
        yield _node(cluster, state, node)


def _node(cluster: tuple[str, int, str], state: str, node: str) -> Fact:
    ip, number, text = cluster
    return Fact("nlb-node", {"cluster_ip": ip, "node": node, "state": state, "source": "nlb display"},
                line=number, text=text)


def nlb_node(item: Record) -> Iterator[Fact]:
    name = first(item, "Name", "HostName")
    if not name:
        return
    line, text = evidence(item, "Name", "HostName")
    yield Fact("nlb-node", {"node": name, "cluster_ip": first(item, "Cluster", "ClusterName", "Cluster.Name"),
                            "state": first(item, "State"), "source": "Get-NlbClusterNode"},
               line=line, text=text)


def nlb_cluster(item: Record) -> Iterator[Fact]:
    line, text = evidence(item, "IPAddress", "Name")
    yield Fact("nlb-node", {"cluster_ip": first(item, "IPAddress") or first(item, "Name"), "node": "",
                            "state": "", "source": "Get-NlbCluster"}, line=line, text=text)


SHAPES = [
    shape("Get-NlbClusterNode", {"name", "state", "interface"}, nlb_node),
    shape("Get-NlbClusterNode", {"name", "state", "interfacename"}, nlb_node),
    shape("Get-NlbClusterNode", {"name", "hostpriority"}, nlb_node),
    shape("Get-NlbCluster", {"name", "ipaddress", "subnetmask", "mode"}, nlb_cluster),
]

PARSERS = [Parser("windows-nlb-control", recognise_control, parse_control,
                  "wlbs/nlb display and query (any language): the NLB cluster bound on this machine"),
           object_parser("windows-nlb", SHAPES, "Get-NlbClusterNode and Get-NlbCluster in any shape")]
