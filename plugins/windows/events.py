"""Windows events: what an event means for the rules (:func:`kind_of`, :func:`event_fact`), and
the ``wevtutil qe <log> /f:text`` export, read as lines (English or German labels).

    Event[0]:
      Log Name: System
      Source: Microsoft-Windows-FailoverClustering
      Date: 2012-05-10T10:15:35.000
      Event ID: 1135
      Computer: EX01.example.com
      Description:
    Cluster node 'EX02' was removed from the active failover cluster membership. ...

Every event becomes a ``windows-event`` fact pointing at its description's first line (or, in
other shapes, at its id or message); clustering, Hyper-V and NLB events get a ``kind`` rules can
match without knowing event ids. The same events as objects (``Get-WinEvent``, ``Get-EventLog``,
event XML) are read by :mod:`hakb.plugins.windows.event_records`. One event is buffered at a time.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from hakb import Fact, Head
from hakb.formats import epoch, parse_datetime, parse_int
from hakb.model import Parser

_EVENT = re.compile(r"^\s*(?:Event|Ereignis)\[(?P<n>\d+)\]:\s*$")
_FIELD = re.compile(r"^\s{1,8}(?P<label>[^:]{2,30}?):\s?(?P<value>.*)$")
LABELS = {
    "log name": "log", "protokollname": "log", "source": "source", "quelle": "source",
    "date": "time", "datum": "time", "event id": "event_id", "ereignis-id": "event_id",
    "level": "level", "ebene": "level", "computer": "computer", "description": "description",
    "beschreibung": "description", "task": "task", "aufgabe": "task",
}
_QUOTED = re.compile(r"['\u2018\u2019\"\u201c\u201d\u201e](?P<node>[A-Za-z][\w.-]{0,62})['\u2018\u2019\"\u201c\u201d]")
_QUOTED_VM = re.compile(r"['\u2018\u2019\"\u201c\u201d\u201e](?:Virtual Machine |SCVMM )?(?P<node>[^'\u2018\u2019\"\u201c\u201d]{1,80}?)"
                        r"(?: Resources)?['\u2018\u2019\"\u201c\u201d]")
_NODE_QUOTED = re.compile(r"\b(?:node|Knoten)\s+['\u2018\u2019\"\u201c\u201d\u201e](?P<node>[A-Za-z][\w.-]{0,62})", re.I)
_NODE_WORD = re.compile(r"\b(?:node|Knoten)\s+(?P<node>[A-Za-z][\w-]{0,62})\b", re.I)
_CLUSTERING = re.compile(r"FailoverClustering|ClusSvc|Cluster Service", re.I)
_HYPERV = re.compile(r"Hyper-V-(?:VMMS|High-Availability|Worker)", re.I)
_NLB = re.compile(r"^(?:NLB|WLBS|Microsoft-Windows-NLB|Network Load Balancing)", re.I)
_CLUSTER_WORDS = re.compile(r"cluster service|clustering|failover cluster|clussvc|MSCS"
                            r"|Clusterdienst|Failovercluster", re.I)
#: How a clustering event reads when its source is not shown (a Get-WinEvent table).
_CLUSTER_MESSAGE = re.compile(r"failover cluster|cluster membership|Failoverclustermitgliedschaft"
                              r"|Clusterknoten|Cluster node|Cluster service|Clusterdienst", re.I)
_MIGRATION = re.compile(r"migrat", re.I)
_FAILED = re.compile(r"\bfail|did not succeed|nicht erfolgreich|fehlgeschlagen", re.I)

#: FailoverClustering event ids -> kind.
CLUSTER_EVENTS = {
    1135: "cluster-node-removed",      # Cluster node 'X' was removed from the active failover cluster membership
    1177: "cluster-quorum-lost",       # The Cluster service is shutting down because quorum was lost
    1126: "cluster-network-down",      # network interface unreachable
    1127: "cluster-network-down",      # network interface failed
    1129: "cluster-network-down",      # cluster network partitioned
    1130: "cluster-network-down",      # cluster network down
    1069: "cluster-resource-failed",   # Cluster resource 'X' ... failed
    1564: "cluster-witness-failed",    # File share witness resource failed to arbitrate for the share
}
#: Hyper-V event ids -> kind, where the message is not there to tell.
HYPERV_EVENTS = {21502: "hyperv-migration-failed"}   # Live migration of 'X' failed / did not succeed

#: Event levels by number (event XML, Get-WinEvent's Level, Get-EventLog's EntryType in JSON).
LEVELS = {0: "Information", 1: "Critical", 2: "Error", 3: "Warning", 4: "Information", 5: "Verbose"}
ENTRY_TYPES = {1: "Error", 2: "Warning", 4: "Information", 8: "SuccessAudit", 16: "FailureAudit"}


def kind_of(source: str, event_id: int | None, message: str) -> str:
    """What an event is to the rules: ``cluster-node-removed``, ``cluster-quorum-lost``,
    ``cluster-network-down``, ``cluster-resource-failed``, ``cluster-witness-failed``,
    ``hyperv-migration``, ``hyperv-migration-failed``, ``nlb``, ``nlb-cluster-conflict`` or "".

    >>> kind_of("Microsoft-Windows-FailoverClustering", 1135, "")
    'cluster-node-removed'
    >>> kind_of("", 1135, "Cluster node 'EX02' was removed from the active failover cluster membership.")
    'cluster-node-removed'
    """
    source = source or ""
    if _NLB.match(source):
        return "nlb-cluster-conflict" if _CLUSTER_WORDS.search(message or "") else "nlb"
    if _HYPERV.search(source):
        if _MIGRATION.search(message or ""):
            return "hyperv-migration-failed" if _FAILED.search(message) else "hyperv-migration"
        return HYPERV_EVENTS.get(event_id or 0, "")
    if _CLUSTERING.search(source) or (not source and _CLUSTER_MESSAGE.search(message or "")):
        return CLUSTER_EVENTS.get(event_id or 0, "")
    return ""


def node_of(kind: str, message: str, named: str = "") -> str:
    """The node (or, for Hyper-V, the virtual machine) an event names: ``named`` when the event
    data says it (``NodeName``), else the first quoted name of the message."""
    if not (kind.startswith("cluster") or kind.startswith("hyperv")):
        return ""
    if named:
        return named
    if kind.startswith("hyperv"):
        match = _QUOTED_VM.search(message or "")
    elif kind == "cluster-node-removed":
        match = _QUOTED.search(message or "") or _NODE_WORD.search(message or "")
    else:  # a resource, network or witness event names a node only as "node 'X'"
        match = _NODE_QUOTED.search(message or "")
    return match.group("node") if match else ""


def event_fact(*, log: str, source: str, event_id: int | None, level: str, computer: str, time: str,
               message: str, line: int, text: str, node: str = "") -> Fact:
    """The ``windows-event`` fact of one event, whatever shape it came in."""
    moment = parse_datetime(time)
    # a table may cut the source (``Microsoft-Windows...``): then the message tells
    kind = kind_of("" if source.endswith(("...", "\u2026")) else source, event_id, message)
    computer = (computer or "").strip()
    return Fact("windows-event", {
        "log": log, "source": source, "event_id": event_id, "level": level, "computer": computer,
        "time": time, "epoch": epoch(moment) if moment else None, "kind": kind,
        "node": node_of(kind, message, node), "message": message,
    }, line=line, text=text, host=computer or None)


# --- wevtutil qe /f:text ---------------------------------------------------------------------

def recognise(head: Head) -> int:
    text = head.text
    if re.search(r"^\s*(?:Event|Ereignis)\[\d+\]:\s*$", text, re.M) and re.search(
            r"^\s+(?:Event ID|Ereignis-ID):", text, re.M):
        return 100
    return 0


def _fact(fields: dict, description: list[tuple[int, str]], start: tuple[int, str]) -> Fact:
    message = " ".join(text.strip() for _, text in description if text.strip())
    line, text = next(((n, t) for n, t in description if t.strip()), start)
    return event_fact(log=fields.get("log", ""), source=fields.get("source", ""),
                      event_id=parse_int(fields.get("event_id")), level=fields.get("level", ""),
                      computer=fields.get("computer", ""), time=fields.get("time", ""),
                      message=message, line=line, text=text)


def parse(lines: Iterable[tuple[int, str]], artifact) -> Iterator[Fact]:
    fields: dict | None = None
    description: list[tuple[int, str]] = []
    start = (0, "")
    in_description = False
    for number, text in lines:
        if _EVENT.match(text):
            if fields is not None:
                yield _fact(fields, description, start)
            fields, description, start, in_description = {}, [], (number, text), False
            continue
        if fields is None:
            continue
        match = _FIELD.match(text) if not in_description else None
        if match:
            label = LABELS.get(match.group("label").strip().lower())
            if label == "description":
                in_description = True
                if match.group("value").strip():
                    description.append((number, match.group("value")))
            elif label:
                fields[label] = match.group("value").strip()
            continue
        if in_description:
            description.append((number, text))
    if fields is not None:
        yield _fact(fields, description, start)


# No scanning signatures: every event becomes a windows-event fact, and rules (ours or a third
# party's) may match any source, so an export is read whole.
# No scanning signatures: every event becomes a windows-event fact, and rules (ours or a third
# party's) may match any source, so an export is read whole.
PARSERS = [Parser("windows-wevtutil-text", recognise, parse,
                  "wevtutil qe /f:text event exports: cluster membership, quorum, Hyper-V and NLB events")]
