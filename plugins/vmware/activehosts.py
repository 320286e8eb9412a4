"""``vmkfstools --activehosts <datastore>``: the hosts heartbeating on a VMFS volume, by MAC.

A line format, not objects::

    [root@esx01:~] vmkfstools --activehosts /vmfs/volumes/ds-prod-01
    Found 3 actively heartbeating hosts on volume '/vmfs/volumes/ds-prod-01'
    (1): MAC address 00:50:56:0a:01:01

The datastore comes from the ``Found ...`` line, else from the command line of the section
(an en or em dash where a web page pasted the option's ``--`` is accepted).
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from hakb import Artifact, Fact, Head, Parser
from hakb.plugins.vmware.common import datastore_of, normalise_mac

_MAC = r"[0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5}"
_FOUND = re.compile(r"actively heartbeating hosts on volume\s+'(?P<volume>[^']*)'")
_HOST = re.compile(rf"^\s*\(\d+\):\s*MAC address\s+(?P<mac>{_MAC})")
_COMMAND = re.compile(
    r"vmkfstools\s+(?:.*?\s)?[-\u2013\u2014]{1,2}activehosts\s+(?P<ds>\"[^\"]+\"|'[^']+'|\S+)")


def _datastore(volume: str) -> str:
    volume = volume.strip("'\"").rstrip("/")
    return datastore_of(volume) or volume


def recognise(head: Head) -> int:
    """95 for a section run by ``vmkfstools --activehosts``, 90 for its output without one."""
    if _COMMAND.search(head.command or ""):
        return 95
    lines = head.lines[:200]
    return 90 if any(_FOUND.search(line) or _HOST.match(line) for line in lines) else 0


def parse(lines: Iterable[tuple[int, str]], artifact: Artifact) -> Iterator[Fact]:
    section = artifact.section
    command = _COMMAND.search(section.command if section is not None else "")
    datastore = _datastore(command.group("ds")) if command else ""
    for number, text in lines:
        found = _FOUND.search(text)
        if found:
            datastore = _datastore(found.group("volume"))
            continue
        host = _HOST.match(text)
        if host:
            yield Fact("vmfs-active-host", {"datastore": datastore, "mac": normalise_mac(host.group("mac"))},
                       line=number, text=text)


PARSERS = [
    Parser("vmware-activehosts", recognise, parse,
           "vmkfstools --activehosts -> vmfs-active-host (hosts heartbeating on a datastore, by MAC)"),
]
