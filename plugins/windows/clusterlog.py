"""cluster.log (Windows 2003-2012 failover clustering): heartbeat and membership symptoms.

    00000a1c.00000f2c::2012/05/10-10:15:30.123 INFO  [CHM] Received notification for two
    consecutive missed HBs to the remote endpoint 192.0.2.12:~3343~ from 192.0.2.11:~3343~

Only lines that say a node stopped answering, a route went down, a node was disconnected or
removed, or quorum was lost become facts (at most 20 per kind and node, to keep evidence short);
the log itself is streamed, however long. Times in cluster.log are UTC.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from hakb import Fact, Head
from hakb.formats import epoch, parse_datetime
from hakb.model import Parser

_LINE = re.compile(
    r"^\s*(?P<pid>[0-9a-fA-F]{4,8})\.(?P<tid>[0-9a-fA-F]{4,8})::(?P<time>\d{4}/\d{2}/\d{2}-\d{2}:\d{2}:\d{2}(?:\.\d+)?)"
    r"\s+(?:(?P<level>INFO|WARN|ERR|ERROR|DBG|CRIT|CRITICAL)\s+)?(?:\[(?P<component>[^\]]+)\]\s*)?(?P<message>.*)$")

#: (kind, pattern) in order of precedence.
KINDS = (
    ("node-removed", re.compile(r"removed from the active (?:failover |server )?cluster membership|"
                                r"was removed from (?:the )?(?:active )?(?:cluster )?membership|"
                                r"\bevict(?:ed|ing)\b|MergeAndRestart", re.I)),
    ("quorum-lost", re.compile(r"\blost quorum\b|\bquorum (?:was |has been )?lost\b|quorum arbitration failed", re.I)),
    ("node-disconnected", re.compile(r"Node Disconnected|node \S+ (?:is |has )?disconnected", re.I)),
    ("route-down", re.compile(r"\broute\b.*\b(?:as |is |marked )?down\b|routes? (?:to|from) .* down", re.I)),
    ("missed-heartbeat", re.compile(r"missed (?:HBs?|heartbeats?)|consecutive missed", re.I)),
    ("unreachable", re.compile(r"\bunreachable\b", re.I)),
)
_QUOTED = re.compile(r"['\u2018\u2019\"](?P<node>[A-Za-z][\w.-]{0,62})['\u2018\u2019\"]")
_DISCONNECTED = re.compile(r"Node Disconnected\s+(?P<node>\d+)", re.I)
_NODE = re.compile(r"\bnode\s+(?P<node>[A-Za-z][\w-]{0,62}|\d+)\b(?!:)", re.I)
_REMOTE = re.compile(r"remote (?:endpoint|address)\s+(?P<node>[\d.]+|\[[0-9a-fA-F:]+\])"
                     r"|\bto\s+(?P<to>\d{1,3}(?:\.\d{1,3}){3})", re.I)
PER_KIND = 20


def recognise(head: Head) -> int:
    matches = sum(1 for line in head.text.splitlines()[:200] if _LINE.match(line))
    if matches >= 1:
        return 100 if matches >= 3 or head.name.lower().startswith("cluster") else 50
    return 10 if head.name.lower() == "cluster.log" else 0


def node_of(kind: str, message: str) -> str:
    for pattern in ((_DISCONNECTED, _QUOTED, _NODE, _REMOTE) if kind == "node-disconnected"
                    else (_QUOTED, _REMOTE, _NODE)):
        match = pattern.search(message)
        if match:
            return (match.group("node") or match.groupdict().get("to") or "").strip("[]")
    return ""


def parse(lines: Iterable[tuple[int, str]], artifact) -> Iterator[Fact]:
    counts: dict[tuple[str, str], int] = {}
    for number, text in lines:
        match = _LINE.match(text)
        if not match:
            continue
        message = match.group("message")
        for kind, pattern in KINDS:
            if pattern.search(message):
                break
        else:
            continue
        node = node_of(kind, message)
        seen = counts.get((kind, node), 0)
        if seen >= PER_KIND:
            continue
        counts[(kind, node)] = seen + 1
        moment = parse_datetime(match.group("time"))
        yield Fact("cluster-log-event", {
            "kind": kind, "node": node, "time": match.group("time"),
            "epoch": epoch(moment) if moment else None, "component": match.group("component") or "",
            "message": message.strip()}, line=number, text=text)


#: Words one of which each pattern in KINDS needs: the scanner gives the parser only these lines.
SIGNATURES = ("removed from", "evict", "MergeAndRestart", "quorum", "disconnected", "route",
              "missed", "unreachable")

PARSERS = [Parser("windows-cluster-log", recognise, parse,
                  "cluster.log: missed heartbeats, routes down, nodes disconnected or removed, quorum lost",
                  signatures=SIGNATURES)]
