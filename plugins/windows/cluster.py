"""Failover cluster objects: cluster.exe (Windows 2003/2008) and the FailoverClusters cmdlets,
in every shape PowerShell prints them (``fl``, ``fl *``, tables with truncated or wrapped
columns, ``Export-Csv`` with or without ``#TYPE`` and ``-UseCulture``, ``ConvertTo-Json`` with
enums as numbers, ``Export-Clixml``).

    Node           Node ID Status                      (cluster node)
    T  Resource             Name                           Value      (cluster res "<r>" /priv)
    Object                Name           Value  Type   (Get-ClusterResource | Get-ClusterParameter)

plus ``cluster /quorum``, ``cluster /prop``, ``Get-ClusterNode``, ``Get-ClusterQuorum`` and
``Get-Cluster | fl *Subnet*`` (or ``fl *``, ``Select-Object``, ``Export-Csv``).

``Get-ClusterParameter`` names the resource ``Object`` in its table and list views and
``ClusterObject`` everywhere else (``fl *``, CSV, JSON, Clixml); its type is ``Type`` or
``ParameterType``. A resource name a narrow table cut (``AG1_198.51.1...``) is completed from
the command line when it names the resource (``Get-ClusterResource "AG1_198.51.100.40"``); a
value a table cut is not kept, since half a subnet mask would read as a wrong one.
"""

from __future__ import annotations

import re
from typing import Iterator

from hakb import Fact
from hakb.formats import parse_int
from hakb.reading import Record
from hakb.sections import command_segments
from hakb.shapes import evidence, shape

from hakb.plugins.windows.objects import enum, first, guarded, ran
from hakb.shapes import object_parser

_NUMBER = re.compile(r"^\s*(-?\d+)(?:\s*\(0x[0-9a-fA-F]+\))?\s*$")
_VM = re.compile(r"^(?:SCVMM\s+)?Virtual Machine\s+(?P<vm>.+?)(?:\s+Resources)?$", re.I)
_DOTS = ("...", "\u2026")

#: ClusterNodeState as ConvertTo-Json writes it.
NODE_STATES = {-1: "Unknown", 0: "Up", 1: "Down", 2: "Paused", 3: "Joining"}


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


# --- nodes -------------------------------------------------------------------------------------

def node_exe(item: Record) -> Iterator[Fact]:
    line, text = evidence(item, "Node")
    yield Fact("cluster-node", {"node": item.get("Node") or "", "node_id": parse_int(item.get("Node ID")),
                                "state": item.get("Status") or "", "source": "cluster.exe"},
               line=line, text=text)


def node_ps(item: Record) -> Iterator[Fact]:
    name = first(item, "Name", "NodeName")
    if not name:
        return
    line, text = evidence(item, "Name", "NodeName")
    yield Fact("cluster-node", {"node": name, "node_id": parse_int(first(item, "Id", "NodeId")),
                                "state": enum(item.get("State"), NODE_STATES), "cluster": first(item, "Cluster"),
                                "source": "Get-ClusterNode"}, line=line, text=text)


# --- quorum ------------------------------------------------------------------------------------

def quorum_exe(item: Record) -> Iterator[Fact]:
    resource = item.get("Quorum Resource Name") or ""
    path = item.get("Path") or ""
    kind = quorum_type(item.get("Quorum Type") or "", resource)
    line, text = evidence(item, "Quorum Resource Name")
    yield Fact("cluster-quorum", {"resource": resource, "path": path, "type": kind,
                                  "source": "cluster.exe"}, line=line, text=text)


def quorum_ps(item: Record) -> Iterator[Fact]:
    resource = first(item, "QuorumResource", "QuorumResource.Name")
    line, text = evidence(item, "QuorumType", "QuorumResource")
    kind = item.get("QuorumType") or ""
    yield Fact("cluster-quorum", {"cluster": first(item, "Cluster", "Cluster.Name"), "resource": resource,
                                  "type": quorum_type("" if kind.lstrip("-").isdigit() else kind, resource),
                                  "source": "Get-ClusterQuorum"}, line=line, text=text)


# --- resource parameters -----------------------------------------------------------------------

def _parameter(obj: str, name: str, value: str, kind: str, source: str, line: int, text: str) -> Fact:
    vm = _VM.match(obj.strip())
    return Fact("cluster-parameter", {
        "object": obj.strip(), "vm": vm.group("vm") if vm else "", "name": name.strip(),
        "value": value.strip(), "number": number_of(value), "type": kind.strip(), "source": source,
    }, line=line, text=text)


def resource_named(command: str, cut: str) -> str:
    """The resource the command line names whose name starts like ``cut`` (a table's
    ``AG1_198.51.1...``), or "" when it names none such.

    >>> resource_named('Get-ClusterResource "AG1_198.51.100.40" | Get-ClusterParameter', "AG1_198.51.1...")
    'AG1_198.51.100.40'
    """
    prefix = cut.rstrip(".\u2026 ").lower()
    if not prefix:
        return ""
    for words in command_segments(command):
        if words[0].lower() not in ("get-clusterresource", "get-clusterparameter", "get-clustergroup"):
            continue
        for word in words[1:]:
            if not word.startswith("-") and word.lower().startswith(prefix) and "*" not in word:
                return word
    return ""


def parameter_ps(item: Record) -> Iterator[Fact]:
    obj = first(item, "ClusterObject", "Object", "ClusterObject.Name")
    if item.is_truncated("Object") or item.is_truncated("ClusterObject") or obj.endswith(_DOTS):
        obj = resource_named(item.command, obj) or obj
    value = first(item, "Value")
    if item.is_truncated("Value") or value.endswith(_DOTS):
        return
    line, text = evidence(item, "Name")
    yield _parameter(obj, item.get("Name") or "", value, first(item, "ParameterType", "Type"),
                     "Get-ClusterParameter", line, text)


def parameter_exe(item: Record) -> Iterator[Fact]:
    line, text = evidence(item, "Name")
    yield _parameter(item.get("Resource") or "", item.get("Name") or "", item.get("Value") or "",
                     item.get("T") or "", "cluster.exe", line, text)


# --- cluster common properties -----------------------------------------------------------------

def setting_exe(item: Record) -> Iterator[Fact]:
    value = number_of(item.get("Value"))
    if value is None:
        return
    line, text = evidence(item, "Name")
    yield Fact("cluster-setting", {"cluster": item.get("Cluster") or "", "name": item.get("Name") or "",
                                   "value": value, "source": "cluster.exe"}, line=line, text=text)


#: Common cluster properties read from ``Get-Cluster``.
SETTINGS = ("SameSubnetDelay", "SameSubnetThreshold", "CrossSubnetDelay", "CrossSubnetThreshold",
            "RouteHistoryLength", "QuorumArbitrationTimeMax")


def settings_ps(item: Record) -> Iterator[Fact]:
    cluster = first(item, "Name", "Cluster")
    for name in SETTINGS:
        value = number_of(item.get(name))
        if value is not None:
            yield Fact("cluster-setting", {"cluster": cluster, "name": name, "value": value,
                                           "source": "Get-Cluster"},
                       line=item.line(name), text=item.text(name))


_CLUSTER_NODE = ran("Get-ClusterNode")
_STATE_WORDS = {s.lower() for s in NODE_STATES.values()} | {str(n) for n in NODE_STATES}


def _node_like(record: Record) -> bool:
    """A node's state (not a VM's Running/Off, nor a resource's Online), and not a VM
    (``Get-VM | fl *`` has Name, Id and State too)."""
    return ((record.get("State") or "").lower() in _STATE_WORDS
            and not {"vmid", "vmname"} & record.keys())

SHAPES = [
    shape("cluster node", {"node", "node id", "status"}, node_exe),
    # Get-ClusterNode: 2012 prints Name, ID, State; 2016 and later Name, State, Type; 2008 R2
    # Name and State only; fl * and the exports add NodeWeight, Cluster, DynamicWeight ...
    shape("Get-ClusterNode", {"name", "state", "nodeweight"}, node_ps),
    guarded("Get-ClusterNode", {"name", "id", "state"}, node_ps, _node_like, commands=("Get-ClusterNode",)),
    guarded("Get-ClusterNode", {"name", "state", "type"}, node_ps,
            lambda r: _node_like(r) and (r.get("Type") or "").lower() in ("node", "0")),
    guarded("Get-ClusterNode", {"name", "state"}, node_ps, _CLUSTER_NODE, commands=("Get-ClusterNode",)),
    shape("Get-ClusterNode", {"nodename", "state", "id"}, node_ps, commands=()),
    shape("cluster /quorum", {"quorum resource name"}, quorum_exe),
    shape("Get-ClusterQuorum", {"quorumresource", "quorumtype"}, quorum_ps),
    shape("cluster res /priv", {"t", "resource", "name", "value"}, parameter_exe),
    shape("cluster /prop", {"t", "cluster", "name", "value"}, setting_exe),
    shape("Get-ClusterParameter", {"object", "name", "value"}, parameter_ps),
    shape("Get-ClusterParameter", {"clusterobject", "name", "value"}, parameter_ps),
    shape("Get-Cluster", {"samesubnetdelay"}, settings_ps),
    shape("Get-Cluster", {"samesubnetthreshold"}, settings_ps),
    shape("Get-Cluster", {"crosssubnetdelay"}, settings_ps),
    shape("Get-Cluster", {"crosssubnetthreshold"}, settings_ps),
]

PARSERS = [object_parser(
    "windows-cluster", SHAPES,
    "Failover cluster nodes, quorum, resource parameters and heartbeat settings: cluster.exe and the "
    "FailoverClusters cmdlets in any shape")]
