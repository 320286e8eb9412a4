"""Installed Windows roles and features: ``Get-WindowsFeature`` in any shape (its table with
``[X]`` marks, ``fl``, ``Export-Csv``, ``ConvertTo-Json``), and Windows 2008's
``ServerManagerCmd -query`` (read as lines)::

    ----- Features -----
    [X] Failover Clustering                                 [Failover-Clustering]
    [X] Network Load Balancing                              [NLB]

The bracketed names (``NLB``, ``Failover-Clustering``) are the same in every language.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from hakb import Fact, Head
from hakb.formats import parse_bool
from hakb.model import Parser
from hakb.reading import Record
from hakb.shapes import evidence, shape

from hakb.plugins.windows.objects import enum, first
from hakb.shapes import object_parser

_MARK = re.compile(r"^\s*\[(?P<mark>[Xx ])\]\s*(?P<name>.+)$")
#: InstallState as ConvertTo-Json writes it.
INSTALL_STATES = {0: "Available", 1: "Installed", 2: "InstallPending", 3: "Removed", 4: "RemovePending"}


def feature(item: Record) -> Iterator[Fact]:
    name = first(item, "Name")
    if not name:
        return
    display = first(item, "Display Name", "DisplayName")
    mark = _MARK.match(display)
    installed = parse_bool(item.get("Installed"))
    if installed is None:
        state = enum(first(item, "Install State", "InstallState"), INSTALL_STATES).lower()
        installed = state == "installed" if state else bool(mark and mark.group("mark").lower() == "x")
    line, text = evidence(item, "Name")
    yield Fact("windows-feature", {"name": name, "display_name": mark.group("name").strip() if mark else display,
                                   "installed": installed}, line=line, text=text)


SHAPES = [
    shape("Get-WindowsFeature", {"display name", "name"}, feature),
    shape("Get-WindowsFeature", {"name", "installstate", "featuretype"}, feature),
    shape("Get-WindowsFeature", {"name", "installed", "featuretype"}, feature),
    shape("Get-WindowsFeature", {"displayname", "name", "installed"}, feature),
]


# --- ServerManagerCmd -query ---------------------------------------------------------------

_ITEM = re.compile(r"^(?P<indent>\s*)\[(?P<mark>[Xx ])\]\s+(?P<display>.+?)\s+\[(?P<name>[\w.-]+)\]\s*$")
_HEADING = re.compile(r"^\s*-{3,}\s*\w+\s*-{3,}\s*$")


def recognise_servermanager(head: Head) -> int:
    lines = head.text.splitlines()
    items = sum(1 for line in lines if _ITEM.match(line))
    if items and any(_HEADING.match(line) for line in lines):
        return 100
    return 50 if items >= 3 else 0


def parse_servermanager(lines: Iterable[tuple[int, str]], artifact) -> Iterator[Fact]:
    for number, text in lines:
        match = _ITEM.match(text)
        if match:
            yield Fact("windows-feature", {"name": match.group("name"), "display_name": match.group("display"),
                                           "installed": match.group("mark").lower() == "x"},
                       line=number, text=text)


PARSERS = [Parser("windows-servermanagercmd", recognise_servermanager, parse_servermanager,
                  "ServerManagerCmd -query (Windows 2008): installed roles and features"),
           object_parser("windows-features", SHAPES, "Get-WindowsFeature in any shape: installed roles and features")]
