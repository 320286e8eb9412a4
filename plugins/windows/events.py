"""Event log exports from ``wevtutil qe <log> /f:text`` (English or German labels).

    Event[0]:
      Log Name: System
      Source: Microsoft-Windows-FailoverClustering
      Date: 2012-05-10T10:15:35.000
      Event ID: 1135
      Computer: EX01.example.com
      Description:
    Cluster node 'EX02' was removed from the active failover cluster membership. ...

Every event becomes a ``windows-event`` fact pointing at its description's first line; clustering
and NLB events get a ``kind`` rules can match without knowing event ids. One event is buffered
at a time.
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
_QUOTED = re.compile(r"['\u2018\u2019\"](?P<node>[A-Za-z][\w.-]{0,62})['\u2018\u2019\"]")
_NODE_WORD = re.compile(r"\bnode\s+(?P<node>[A-Za-z][\w-]{0,62})\b", re.I)
_CLUSTERING = re.compile(r"FailoverClustering|ClusSvc|Cluster Service", re.I)
_NLB = re.compile(r"^(?:NLB|WLBS|Microsoft-Windows-NLB|Network Load Balancing)", re.I)
_CLUSTER_WORDS = re.compile(r"cluster service|clustering|failover cluster|clussvc|MSCS", re.I)


def recognise(head: Head) -> int:
    text = head.text
    if re.search(r"^\s*(?:Event|Ereignis)\[\d+\]:\s*$", text, re.M) and re.search(
            r"^\s+(?:Event ID|Ereignis-ID):", text, re.M):
        return 100
    return 0


def kind_of(source: str, event_id: int | None, message: str) -> str:
    if _NLB.match(source or ""):
        return "nlb-cluster-conflict" if _CLUSTER_WORDS.search(message) else "nlb"
    if _CLUSTERING.search(source or ""):
        if event_id == 1135:
            return "cluster-node-removed"
        if event_id == 1177:
            return "cluster-quorum-lost"
        if event_id in (1126, 1127, 1129, 1130):
            return "cluster-network-down"
        if event_id == 1069:
            return "cluster-resource-failed"
    return ""


def _fact(fields: dict, description: list[tuple[int, str]], start: tuple[int, str]) -> Fact:
    message = " ".join(text.strip() for _, text in description if text.strip())
    event_id = parse_int(fields.get("event_id"))
    moment = parse_datetime(fields.get("time"))
    kind = kind_of(fields.get("source", ""), event_id, message)
    node = ""
    if kind.startswith("cluster"):
        match = _QUOTED.search(message) or _NODE_WORD.search(message)
        node = match.group("node") if match else ""
    line, text = next(((n, t) for n, t in description if t.strip()), start)
    computer = fields.get("computer", "").strip()
    return Fact("windows-event", {
        "log": fields.get("log", ""), "source": fields.get("source", ""), "event_id": event_id,
        "level": fields.get("level", ""), "computer": computer, "time": fields.get("time", ""),
        "epoch": epoch(moment) if moment else None, "kind": kind, "node": node, "message": message,
    }, line=line, text=text, host=computer or None)


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
PARSERS = [Parser("windows-wevtutil-text", recognise, parse,
                  "wevtutil qe /f:text event exports: cluster membership, quorum and NLB events")]
