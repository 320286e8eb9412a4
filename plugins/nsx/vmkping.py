"""``vmkping`` output on ESXi: does a VXLAN-sized frame leave the host, and does it come back?

The NSX transport test sends a 1572-byte payload (1600 bytes on the wire) with don't-fragment
set, on the vxlan netstack::

    [root@esx-comp-01:~] vmkping ++netstack=vxlan -d -s 1572 -I vmk3 192.0.2.32
    PING 192.0.2.32 (192.0.2.32): 1572 data bytes
    sendto() failed (Message too long)

    --- 192.0.2.32 ping statistics ---
    3 packets transmitted, 0 packets received, 100% packet loss

"Message too long" means the local vmkernel interface refused the frame (its MTU is too small);
100 % loss without it means the frame left and something on the path dropped it. Several runs
may be pasted into one file: the core gives each command its own section, whose command line
(``artifact.section.command``) says the options; output pasted without it starts a run at each
PING line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator

from hakb import Fact, Head, Parser
from hakb.sections import command_matches, command_segments

_PING = re.compile(r"^\s*PING\s+(?P<target>\S+)\s+\((?P<ip>[^)]*)\):\s+(?P<size>\d+)\s+data bytes")
_REPLY = re.compile(r"^\s*(?P<bytes>\d+)\s+bytes from\s+(?P<ip>[^:\s]+):\s+icmp_seq=")
_STATS = re.compile(r"^\s*(?P<sent>\d+)\s+packets transmitted,\s+(?P<received>\d+)\s+(?:packets\s+)?received,"
                    r"\s+(?P<loss>\d+(?:\.\d+)?)%\s+packet loss")
_TOO_LONG = re.compile(r"sendto\(\)\s+failed\s+\(Message too long\)", re.I)
_OTHER_ERROR = re.compile(r"sendto\(\)\s+failed\s+\((?P<why>[^)]*)\)|Unknown interface|Invalid argument|"
                          r"No route to host|Network is unreachable", re.I)


@dataclass
class _Run:
    command: str = ""
    vmk: str = ""
    netstack: str = ""
    target: str = ""
    size: int | None = None
    df: bool | None = None
    line: int = 0
    text: str = ""
    sent: int | None = None
    received: int | None = None
    loss: float | None = None
    too_long: int = 0
    too_long_line: tuple[int, str] | None = None
    reply_line: tuple[int, str] | None = None
    stats_line: tuple[int, str] | None = None
    error: str = ""
    error_line: tuple[int, str] | None = None
    seen_output: bool = False


def _from_command(words: list[str], number: int, text: str) -> _Run:
    run = _Run(command=" ".join(words), line=number, text=text, df=False, size=56)
    i = 1
    while i < len(words):
        word = words[i]
        following = words[i + 1] if i + 1 < len(words) else ""
        if word.startswith("++netstack="):
            run.netstack = word.split("=", 1)[1]
        elif word == "-S":
            run.netstack, i = following, i + 1
        elif word == "-I":
            run.vmk, i = following, i + 1
        elif word == "-s":
            run.size, i = (int(following) if following.isdigit() else None), i + 1
        elif word == "-d":
            run.df = True
        elif word in ("-c", "-i", "-t", "-W", "-w"):
            i += 1
        elif not word.startswith("-"):
            run.target = word
        i += 1
    return run


def _outcome(run: _Run) -> str:
    if run.too_long:
        return "message-too-long"
    if run.received:
        return "success" if run.received == run.sent else "partial-loss"
    if run.error:
        return "send-error"
    if run.sent:
        return "no-reply"
    return "incomplete"


def _emit(run: _Run | None) -> Iterator[Fact]:
    if run is None or not (run.seen_output or run.command):
        return
    outcome = _outcome(run)
    decisive = {"message-too-long": run.too_long_line, "success": run.reply_line,
                "partial-loss": run.stats_line, "no-reply": run.stats_line,
                "send-error": run.error_line}.get(outcome)
    line, text = decisive or (run.line, run.text)
    yield Fact("vmkping-result", {
        "vmk": run.vmk, "netstack": run.netstack, "target": run.target, "size": run.size,
        "df": run.df, "sent": run.sent, "received": run.received, "loss_pct": run.loss,
        "too_long": run.too_long, "outcome": outcome, "error": run.error, "command": run.command,
    }, line=line, text=text)


def _vmkping_words(command: str) -> list[str] | None:
    """The words of the vmkping in a command line (``vmkping ...``, ``/bin/vmkping ...``), or None."""
    for words in command_segments(command or ""):
        if words[0].lower() == "vmkping":
            return words
    return None


def recognise(head: Head) -> int:
    if command_matches(head.command, "vmkping"):
        return 100
    lines = head.lines
    if any(_PING.match(line) for line in lines) and any(_STATS.match(line) or _TOO_LONG.search(line)
                                                        for line in lines):
        return 40  # BSD-style ping output; without the command line it may not be vmkping
    return 0


def parse(lines: Iterable[tuple[int, str]], artifact) -> Iterator[Fact]:
    section = artifact.section
    words = _vmkping_words(section.command) if section is not None else None
    run: _Run | None = None
    for index, (number, text) in enumerate(lines):
        if index == 0 and words is not None:  # the section's command line
            run = _from_command(words, number, text)
            continue
        ping = _PING.match(text)
        if ping:
            if run is None or run.seen_output:
                yield from _emit(run)
                run = _Run(line=number, text=text)
            run.seen_output = True
            run.target = run.target or ping.group("ip") or ping.group("target")
            run.size = int(ping.group("size"))
            continue
        if run is None:
            continue
        if _TOO_LONG.search(text):
            run.too_long += 1
            run.too_long_line = run.too_long_line or (number, text)
            run.seen_output = True
        elif _REPLY.match(text):
            run.reply_line = run.reply_line or (number, text)
            run.seen_output = True
        elif (stats := _STATS.match(text)):
            run.sent, run.received = int(stats.group("sent")), int(stats.group("received"))
            run.loss = float(stats.group("loss"))
            run.stats_line = (number, text)
            run.seen_output = True
        elif _OTHER_ERROR.search(text):
            run.error = run.error or text.strip()
            run.error_line = run.error_line or (number, text)
            run.seen_output = True
    yield from _emit(run)


PARSERS = [
    Parser("nsx-vmkping", recognise, parse,
           "vmkping output: VXLAN MTU test results (success, Message too long, silent loss)"),
]
