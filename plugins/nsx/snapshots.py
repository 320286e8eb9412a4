"""Which snapshots vCenter and the Manager appliance have: vim-cmd's snapshot tree and PowerCLI's
``Get-Snapshot``.

Before the upgrade both VMs must have a snapshot, so each list yields the snapshots it shows and a
``vm-snapshot-list`` fact with how many (0 proves there are none). Two sources:

* ``vim-cmd vmsvc/snapshot.get <vmid>`` prints a tree, not objects::

      Get Snapshot:
      |-ROOT
      --Snapshot Name        : pre-nsx-upgrade
      --Snapshot Created On  : 11/19/2026 21:5:12

  The depth is the number of dashes. It knows the VM only by the vmid of its command line; the
  rules join it to ``vim-cmd vmsvc/getallvms`` of the same host. An output with only
  ``Get Snapshot:`` proves the VM has no snapshot. (vim-cmd really prints "Desciption"; both
  spellings are read.)
* ``Get-Snapshot`` objects in any shape (the core's reading layer): the VM is the object's ``VM``
  property, or the VM the command line names (``Get-VM vcsa01 | Get-Snapshot`` prints a table
  without it). Nothing after ``Get-VM vcsa01 | Get-Snapshot`` proves vcsa01 has none.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from hakb import Fact, Head, ParseError, Parser
from hakb.reading import Record, parse_records
from hakb.sections import command_matches, command_segments
from hakb.plugins.nsx.common import command_vms, head_records, present, role_of

_GET = re.compile(r"^\s*Get Snapshot:\s*$")
_FIELD = re.compile(r"^(?P<dashes>-+)Snapshot (?P<key>Name|Id|Desc\w*|Created On|State)\s*:\s?(?P<value>.*?)\s*$")
_SNAPSHOT_TYPE = re.compile(r"SnapshotImpl$", re.I)
_SNAPSHOT_PROPERTIES = ("VM", "VMId", "SizeMB", "SizeGB", "IsCurrent", "Quiesced", "ParentSnapshotId")


# --- vim-cmd vmsvc/snapshot.get ------------------------------------------------------------


def _vmid(command: str) -> str:
    """The vmid of a ``vim-cmd vmsvc/snapshot.get <vmid>`` command line, "" for any other.

    >>> _vmid("vim-cmd vmsvc/snapshot.get 12"), _vmid("vim-cmd vmsvc/getallvms")
    ('12', '')
    """
    for words in command_segments(command or ""):
        if words[0].lower() != "vim-cmd":
            continue
        for index, word in enumerate(words[1:-1], 1):
            if word.lower().lstrip("/") == "vmsvc/snapshot.get" and words[index + 1].isdigit():
                return words[index + 1]
    return ""


def recognise_tree(head: Head) -> int:
    if command_matches(head.command, "vim-cmd vmsvc/snapshot.get"):
        return 100
    return 90 if any(_GET.match(line) for line in head.lines[:200]) else 0


def parse_tree(lines: Iterable[tuple[int, str]], artifact) -> Iterator[Fact]:
    section = artifact.section
    command = section.command if section is not None else ""
    vmid = _vmid(command)
    listed: tuple[int, str] | None = None
    entries: list[dict] = []
    other: tuple[int, str] | None = None

    def facts() -> Iterator[Fact]:
        for entry in entries:
            yield Fact("vm-snapshot", {
                "vm": "", "vmid": vmid, "role": "", "name": entry.get("name", ""),
                "description": entry.get("desc", ""), "created": entry.get("created on", ""),
                "level": entry["level"], "source": "vim-cmd"}, line=entry["line"], text=entry["text"])
        yield Fact("vm-snapshot-list", {"vm": "", "vmid": vmid, "role": "", "count": len(entries),
                                        "source": "vim-cmd"}, line=listed[0], text=listed[1])

    for index, (number, text) in enumerate(lines):
        if index == 0 and command:
            continue  # the command line
        if _GET.match(text):
            if listed is not None:
                yield from facts()
            listed, entries = (number, text), []
            continue
        field = _FIELD.match(text.strip())
        if field and listed is not None:
            key = field.group("key").lower()
            key = "desc" if key.startswith("desc") else key
            if key == "name":
                entries.append({"line": number, "text": text, "name": field.group("value"),
                                "level": max(1, len(field.group("dashes")) // 2)})
            elif entries:
                entries[-1][key] = field.group("value")
        elif text.strip() and listed is None and other is None:
            other = (number, text)
    if listed is not None:
        yield from facts()
    elif other is not None:
        raise ParseError(f"line {other[0]}: vim-cmd printed no snapshot list: {other[1].strip()[:80]}")


# --- PowerCLI Get-Snapshot -----------------------------------------------------------------


def is_snapshot(record: Record) -> bool:
    """A PowerCLI snapshot object: its type, its properties, or a row of ``Get-Snapshot``'s table."""
    if not present(record.get("Name")):
        return False
    if _SNAPSHOT_TYPE.search(record.type_name):
        return True
    if "Created" in record and any(name in record for name in _SNAPSHOT_PROPERTIES):
        return True
    return command_matches(record.command, "Get-Snapshot") and \
        any(name in record for name in ("Description", "PowerState", "Created"))


def recognise_powercli(head: Head) -> int:
    if command_matches(head.command, "Get-Snapshot"):
        return 100
    if "created" not in head.text.lower():  # every snapshot object but the default table has it
        return 0
    return 90 if any(is_snapshot(r) for r in head_records(head)) else 0


def parse_powercli(lines: Iterable[tuple[int, str]], artifact) -> Iterator[Fact]:
    section = artifact.section
    command = section.command if section is not None else ""
    runs = command_matches(command, "Get-Snapshot")
    named = command_vms(command) if runs else []
    seen: dict[str, object] = {"first": None, "output": False}

    def watched(source: Iterable[tuple[int, str]]) -> Iterator[tuple[int, str]]:
        for number, text in source:
            if seen["first"] is None:
                seen["first"] = (number, text)
            elif text.strip():
                seen["output"] = True
            yield number, text

    counts: dict[str, int] = {}
    first: dict[str, tuple[int, str]] = {}
    anonymous = 0  # snapshots whose VM neither the object nor the command line names
    for record in parse_records(watched(lines), command):
        if not is_snapshot(record):
            continue
        vm = present(record.first("VM.Name", "VM")) or (named[0] if len(named) == 1 else "")
        parent = record.first("ParentSnapshot", "ParentSnapshotId")
        line, text = record.line("Name"), record.text("Name")
        yield Fact("vm-snapshot", {
            "vm": vm, "vmid": "", "role": role_of(vm), "name": present(record.get("Name")),
            "description": present(record.get("Description")), "created": present(record.get("Created")),
            "level": 1 if parent is not None and not present(parent) else None, "source": "powercli"},
            line=line, text=text)
        if vm:
            counts[vm] = counts.get(vm, 0) + 1
            first.setdefault(vm, (line, text))
        else:
            anonymous += 1
    if runs and not counts and not anonymous and seen["output"]:
        raise ParseError(f"line {seen['first'][0]}: the output of {command!r} shows no snapshot "
                         "(an error message, or a shape the reader does not know)")
    for vm in named if runs and seen["first"] and not anonymous else ():
        if vm not in counts:  # the command named it and printed nothing for it
            counts[vm] = 0
            first[vm] = seen["first"]
    for vm, count in counts.items():
        yield Fact("vm-snapshot-list", {"vm": vm, "vmid": "", "role": role_of(vm), "count": count,
                                        "source": "powercli"}, line=first[vm][0], text=first[vm][1])


PARSERS = [
    Parser("nsx-vim-cmd-snapshots", recognise_tree, parse_tree,
           "vim-cmd vmsvc/snapshot.get: a VM's snapshot tree (none is proven by an empty list)"),
    Parser("nsx-powercli-snapshots", recognise_powercli, parse_powercli,
           "PowerCLI Get-Snapshot in any shape: a VM's snapshots (nothing after Get-VM x | Get-Snapshot "
           "proves there are none)"),
]
