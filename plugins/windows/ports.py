"""Whether a port answers, as a probe from another machine saw it: ``portqry`` output (read as
lines) and ``Test-NetConnection -Port`` (an object, in any shape), as ``port-probe`` facts.

PortQry prints one verdict per port and protocol, after the target it resolved::

    Querying target system called:
     edge01.example.com
    Name resolved to 192.0.2.30
    querying...
    TCP port 50636 (unknown service): FILTERED

``LISTENING``, ``NOT LISTENING``, ``FILTERED`` and, for UDP without an answer, ``LISTENING or
FILTERED`` become the states ``listening``, ``not-listening``, ``filtered`` and
``listening-or-filtered``. ``Test-NetConnection`` only knows whether the TCP connection was made:
``listening`` or ``failed``. The probe's host is the machine it ran on (its folder or prompt);
``target`` is the machine probed.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from hakb import Artifact, Fact, Head, Parser
from hakb.formats import parse_bool, parse_int
from hakb.reading import Record
from hakb.sections import command_matches, command_segments
from hakb.shapes import evidence, shape

from hakb.plugins.windows.objects import first
from hakb.shapes import object_parser

_VERDICT = re.compile(r"^\s*(?P<protocol>TCP|UDP)\s+port\s+(?P<port>\d{1,5})\s+\((?P<service>[^)]*?)\s*(?:service)?\):"
                      r"\s*(?P<state>LISTENING or FILTERED|NOT LISTENING|LISTENING|FILTERED)\s*$", re.I)
_QUERYING = re.compile(r"^\s*Querying target system called\s*:?\s*$", re.I)
_RESOLVED = re.compile(r"^\s*Name resolved to\s+(?P<ip>\S+)", re.I)
_IP_TARGET = re.compile(r"^\s*(?:Attempting to resolve IP address to a name|IP address resolved to)\b", re.I)
_WORD = re.compile(r"^\s*(?P<name>[\w.-]+)\s*$")
STATES = {"listening": "listening", "not listening": "not-listening", "filtered": "filtered",
          "listening or filtered": "listening-or-filtered"}


def recognise(head: Head) -> int:
    if command_matches(head.command, "portqry"):
        return 100
    text = head.text
    if re.search(r"^\s*(?:TCP|UDP) port \d+ \(.*\):\s*(?:LISTENING|NOT LISTENING|FILTERED)", text, re.M | re.I):
        return 100
    return 0


def target_of(command: str) -> str:
    """The ``-n`` argument of a portqry command line.

    >>> target_of("portqry -n edge01.example.com -e 50636")
    'edge01.example.com'
    """
    for words in command_segments(command):
        if words[0].lower() == "portqry":
            for index, word in enumerate(words[:-1]):
                if word.lower() in ("-n", "/n"):
                    return words[index + 1]
    return ""


def parse(lines: Iterable[tuple[int, str]], artifact: Artifact) -> Iterator[Fact]:
    section = artifact.section
    target = target_of(section.command) if section is not None else ""
    address = ""
    expect_name = False
    for number, text in lines:
        if _QUERYING.match(text):
            expect_name, address = True, ""
            continue
        if expect_name:
            word = _WORD.match(text)
            if word:
                target, expect_name = word.group("name"), False
            continue
        match = _RESOLVED.match(text)
        if match:
            address = match.group("ip").rstrip(".")
            continue
        match = _VERDICT.match(text)
        if match:
            state = STATES[" ".join(match.group("state").lower().split())]
            if re.fullmatch(r"\d{1,3}(?:\.\d{1,3}){3}", target or "") and not address:
                address = target
            yield Fact("port-probe", {
                "target": target, "address": address, "protocol": match.group("protocol").upper(),
                "port": int(match.group("port")), "service": match.group("service").strip(),
                "state": state, "source": "portqry"}, line=number, text=text)


def test_net_connection(record: Record) -> Iterator[Fact]:
    succeeded = parse_bool(record.get("TcpTestSucceeded"))
    port = parse_int(record.get("RemotePort"))
    if succeeded is None or port is None:
        return
    line, text = evidence(record, "TcpTestSucceeded")
    yield Fact("port-probe", {
        "target": first(record, "ComputerName"), "address": first(record, "RemoteAddress"), "protocol": "TCP",
        "port": port, "service": "", "state": "listening" if succeeded else "failed",
        "source": "Test-NetConnection"}, line=line, text=text)


SHAPES = [shape("Test-NetConnection", {"remoteport", "tcptestsucceeded"}, test_net_connection)]

PARSERS = [Parser("portqry", recognise, parse,
                  "PortQry output: LISTENING / NOT LISTENING / FILTERED per port and protocol"),
           object_parser("windows-port-test", SHAPES, "Test-NetConnection -Port: whether a TCP port answered")]
