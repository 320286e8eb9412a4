"""Evidence of Windows Network Load Balancing and installed features.

``wlbs display`` / ``nlb display`` / ``wlbs query`` (the NLB control utility), and the shapes
``Get-NlbClusterNode``, ``Get-NlbCluster`` and ``Get-WindowsFeature``::

    WLBS Cluster Control Utility V2.4 (c) 1997-2003 Microsoft Corporation.
    Cluster 192.0.2.50
    Host 1 converged with the following host(s) as part of the cluster:

Any of them on a failover cluster node is what the NLB rule looks for.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from hakb import Fact, Head
from hakb.formats import is_noise
from hakb.model import Parser
from hakb.shapes import Item, evidence, shape

_BANNER = re.compile(r"(WLBS|Network Load Balancing|NLB) Cluster Control Utility", re.I)
_CLUSTER = re.compile(r"^\s*Cluster\s+(?P<ip>\d{1,3}(?:\.\d{1,3}){3})\s*$")
_PARAM = re.compile(r"^\s*(?P<name>ClusterIPAddress|HostName|ClusterName|DedicatedIPAddress)\s*=\s*(?P<value>.*)$",
                    re.I)
_STATE = re.compile(r"^\s*Host\s+\d+\s+(?P<state>converged|has entered a converging state|is converging|"
                    r"is stopped|stopped|is suspended|suspended|draining)", re.I)


def recognise_control(head: Head) -> int:
    return 100 if _BANNER.search(head.text) else 0


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
        status = _STATE.match(text)
        if status and state != "Converged":
            word = status.group("state").lower()
            state = ("Converged" if word.startswith("converged") else
                     "Converging" if "converging" in word else
                     "Stopped" if "stopped" in word else "Suspended" if "suspended" in word else "Draining")
    if cluster is not None:
        yield _node(cluster, state, node)


def _node(cluster: tuple[str, int, str], state: str, node: str) -> Fact:
    ip, number, text = cluster
    return Fact("nlb-node", {"cluster_ip": ip, "node": node, "state": state, "source": "nlb display"},
                line=number, text=text)


def nlb_node(item: Item) -> Iterator[Fact]:
    line, text = evidence(item, "Name")
    yield Fact("nlb-node", {"node": item.get("Name") or "", "cluster_ip": item.get("Cluster") or "",
                            "state": item.get("State") or "", "source": "Get-NlbClusterNode"},
               line=line, text=text)


def nlb_cluster(item: Item) -> Iterator[Fact]:
    line, text = evidence(item, "IPAddress", "Name")
    yield Fact("nlb-node", {"cluster_ip": item.get("IPAddress") or "", "node": "",
                            "state": "", "source": "Get-NlbCluster"}, line=line, text=text)


_MARK = re.compile(r"^\s*\[(?P<mark>[Xx ])\]\s*(?P<name>.+)$")


def feature(item: Item) -> Iterator[Fact]:
    display = item.get("Display Name") or ""
    mark = _MARK.match(display)
    state = (item.get("Install State") or "").strip().lower()
    installed = state == "installed" if state else bool(mark and mark.group("mark").lower() == "x")
    line, text = evidence(item, "Name")
    yield Fact("windows-feature", {"name": item.get("Name") or "",
                                   "display_name": mark.group("name").strip() if mark else display.strip(),
                                   "installed": installed}, line=line, text=text)


SHAPES = [
    shape("Get-NlbClusterNode", {"name", "state", "interface"}, nlb_node),
    shape("Get-NlbClusterNode", {"name", "hostpriority"}, nlb_node),
    shape("Get-NlbCluster", {"name", "ipaddress", "subnetmask", "mode"}, nlb_cluster),
    shape("Get-WindowsFeature", {"display name", "name"}, feature),
]

PARSERS = [Parser("windows-nlb-control", recognise_control, parse_control,
                  "wlbs/nlb display and query: the NLB cluster bound on this machine")]
