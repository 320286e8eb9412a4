"""Failover cluster output: cluster.exe (Windows 2003/2008) and the FailoverClusters cmdlets.

    Node           Node ID Status                      (cluster node)
    -------------- ------- ---------------------
    EX01                 1 Up

    T  Resource             Name                           Value      (cluster res "<r>" /priv)
    -- -------------------- ------------------------------ -----------
    SR Majority Node Set    MNSFileShare

    Object                Name           Value  Type   (Get-ClusterResource | Get-ClusterParameter)
    ------                ----           -----  ----
    Virtual Machine EX01  OfflineAction  1      UInt32

plus ``cluster /quorum``, ``cluster /prop``, ``Get-ClusterNode``, ``Get-ClusterQuorum`` and
``Get-Cluster | fl *Subnet*``. All are shapes for the windows shell parser.
"""

from __future__ import annotations

import re
from typing import Iterator

from hakb import Fact
from hakb.formats import parse_int
from hakb.shapes import Item, evidence, shape

_NUMBER = re.compile(r"^\s*(-?\d+)(?:\s*\(0x[0-9a-fA-F]+\))?\s*$")
_VM = re.compile(r"^(?:SCVMM\s+)?Virtual Machine\s+(?P<vm>.+?)(?:\s+Resources)?$", re.I)


def number_of(value: str | None) -> int | None:
    """``240 (0xf0)`` -> 240, ``0x10`` -> 16, ``5`` -> 5; None for text."""
    match = _NUMBER.match(value or "")
    return int(match.group(1)) if match else parse_int(value)


#: Words of a quorum description -> quorum type (first match wins).
QUORUM_TYPES = (
    ("node and file share majority", "NodeAndFileShareMajority"),
    ("nodeandfilesharemajority", "NodeAndFileShareMajority"),
    ("file share witness", "NodeAndFileShareMajority"),
    ("node and disk majority", "NodeAndDiskMajority"),
    ("nodeanddiskmajority", "NodeAndDiskMajority"),
    ("node majority", "NodeMajority"),
    ("nodemajority", "NodeMajority"),
    ("majority node set", "MajorityNodeSet"),
    ("disk only", "DiskOnly"),
    ("diskonly", "DiskOnly"),
    ("local quorum", "LocalQuorum"),
    ("cloud witness", "NodeAndCloudMajority"),
)


def quorum_type(*texts: str) -> str:
    joined = " ".join(t or "" for t in texts).lower()
    for words, kind in QUORUM_TYPES:
        if words in joined:
            return kind
    return "SharedDisk" if re.search(r"\bdisk\b|\bquorum\b", joined) else ""


def node_exe(item: Item) -> Iterator[Fact]:
    line, text = evidence(item, "Node")
    yield Fact("cluster-node", {"node": item.get("Node") or "", "node_id": parse_int(item.get("Node ID")),
                                "state": item.get("Status") or "", "source": "cluster.exe"},
               line=line, text=text)


def node_ps(item: Item) -> Iterator[Fact]:
    line, text = evidence(item, "Name")
    yield Fact("cluster-node", {"node": item.get("Name") or "", "node_id": parse_int(item.get("Id")),
                                "state": item.get("State") or "", "cluster": item.get("Cluster") or "",
                                "source": "Get-ClusterNode"}, line=line, text=text)


def quorum_exe(item: Item) -> Iterator[Fact]:
    resource = item.get("Quorum Resource Name") or ""
    path = item.get("Path") or ""
    kind = quorum_type(item.get("Quorum Type") or "", resource)
    line, text = evidence(item, "Quorum Resource Name")
    yield Fact("cluster-quorum", {"resource": resource, "path": path, "type": kind,
                                  "source": "cluster.exe"}, line=line, text=text)


def quorum_ps(item: Item) -> Iterator[Fact]:
    resource = item.get("QuorumResource") or ""
    line, text = evidence(item, "QuorumType", "QuorumResource")
    yield Fact("cluster-quorum", {"cluster": item.get("Cluster") or "", "resource": resource,
                                  "type": quorum_type(item.get("QuorumType") or "", resource),
                                  "source": "Get-ClusterQuorum"}, line=line, text=text)


def _parameter(obj: str, name: str, value: str, kind: str, source: str, line: int, text: str) -> Fact:
    vm = _VM.match(obj.strip())
    return Fact("cluster-parameter", {
        "object": obj.strip(), "vm": vm.group("vm") if vm else "", "name": name.strip(),
        "value": value.strip(), "number": number_of(value), "type": kind.strip(), "source": source,
    }, line=line, text=text)


def parameter_ps(item: Item) -> Iterator[Fact]:
    line, text = evidence(item, "Name")
    yield _parameter(item.get("Object") or "", item.get("Name") or "", item.get("Value") or "",
                     item.get("Type") or "", "Get-ClusterParameter", line, text)


def parameter_exe(item: Item) -> Iterator[Fact]:
    line, text = evidence(item, "Name")
    yield _parameter(item.get("Resource") or "", item.get("Name") or "", item.get("Value") or "",
                     item.get("T") or "", "cluster.exe", line, text)


def setting_exe(item: Item) -> Iterator[Fact]:
    value = number_of(item.get("Value"))
    if value is None:
        return
    line, text = evidence(item, "Name")
    yield Fact("cluster-setting", {"cluster": item.get("Cluster") or "", "name": item.get("Name") or "",
                                   "value": value, "source": "cluster.exe"}, line=line, text=text)


#: Common cluster properties read from ``Get-Cluster | fl``.
SETTINGS = ("SameSubnetDelay", "SameSubnetThreshold", "CrossSubnetDelay", "CrossSubnetThreshold",
            "RouteHistoryLength", "QuorumArbitrationTimeMax")


def settings_ps(item: Item) -> Iterator[Fact]:
    cluster = item.get("Name") or item.get("Cluster") or ""
    for name in SETTINGS:
        value = number_of(item.get(name))
        if value is not None:
            yield Fact("cluster-setting", {"cluster": cluster, "name": name, "value": value,
                                           "source": "Get-Cluster"},
                       line=item.line(name), text=item.text(name))


SHAPES = [
    shape("cluster node", {"node", "node id", "status"}, node_exe),
    shape("Get-ClusterNode", {"name", "id", "state"}, node_ps),
    shape("Get-ClusterNode", {"name", "state", "nodeweight"}, node_ps),
    shape("cluster /quorum", {"quorum resource name"}, quorum_exe),
    shape("Get-ClusterQuorum", {"quorumresource", "quorumtype"}, quorum_ps),
    shape("cluster res /priv", {"t", "resource", "name", "value"}, parameter_exe),
    shape("cluster /prop", {"t", "cluster", "name", "value"}, setting_exe),
    shape("Get-ClusterParameter", {"object", "name", "value", "type"}, parameter_ps),
    shape("Get-Cluster", {"samesubnetdelay"}, settings_ps),
    shape("Get-Cluster", {"samesubnetthreshold"}, settings_ps),
    shape("Get-Cluster", {"crosssubnetdelay"}, settings_ps),
]
