"""``vim-cmd vmsvc/getallvms`` and ``vim-cmd vmsvc/snapshot.get <vmid>`` on ESXi: which VM has which snapshots.

Before the upgrade vCenter and the Manager appliance must each have a snapshot. snapshot.get
knows the VM only by its id, so getallvms (same host) gives the name::

    [root@esx-mgmt-01:~] vim-cmd vmsvc/getallvms
    Vmid        Name                  File                                  Guest OS          Version   Annotation
    12     vShield Manager   [ds-mgmt] vShield Manager/vShield Manager.vmx  other26xLinux64Guest  vmx-07
    [root@esx-mgmt-01:~] vim-cmd vmsvc/snapshot.get 12
    Get Snapshot:
    |-ROOT
    --Snapshot Name        : pre-nsx-upgrade
    --Snapshot Created On  : 11/19/2026 21:5:12

An output with only ``Get Snapshot:`` proves the VM has no snapshot. (vim-cmd really prints
"Desciption"; both spellings are read.)
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from hakb import Fact, Head, Parser
from hakb.plugins.nsx.common import role_of
from hakb.sections import parse_prompt
from hakb.sections import split_command

_INVENTORY_HEADER = re.compile(r"^\s*Vmid\s+Name\s+File\s+Guest OS\s+Version\s+Annotation\s*$")
_INVENTORY_ROW = re.compile(r"^(?P<vmid>\d+)\s+(?P<name>.+?)\s+\[(?P<ds>[^\]]+)\]\s+(?P<file>.+?\.vmx)\s+"
                            r"(?P<guest>\S+)\s+(?P<version>vmx-\d+)\s*(?P<annotation>.*?)\s*$")
_GET = re.compile(r"^\s*Get Snapshot:\s*$")
_FIELD = re.compile(r"^(?P<dashes>-+)Snapshot (?P<key>Name|Id|Desc\w*|Created On|State)\s*:\s?(?P<value>.*?)\s*$")


def recognise(head: Head) -> int:
    lines = head.lines
    commands = [c[1] for c in (split_command(line, ("vim-cmd",)) for line in lines[:200]) if c]
    if any("vmsvc/getallvms" in words or "vmsvc/snapshot.get" in words for words in commands):
        return 100
    if any(_INVENTORY_HEADER.match(line) for line in lines) or any(_GET.match(line) for line in lines):
        return 90
    return 0


class _Snapshots:
    def __init__(self, vmid: str, line: int, text: str, host: str | None) -> None:
        self.vmid, self.line, self.text, self.host = vmid, line, text, host
        self.entries: list[dict] = []

    def facts(self, names: dict[str, tuple[str, str]]) -> Iterator[Fact]:
        vm, role = names.get(self.vmid, ("", ""))
        for entry in self.entries:
            yield Fact("vm-snapshot", {
                "vm": vm, "vmid": self.vmid, "role": role, "name": entry.get("name", ""),
                "description": entry.get("desc", ""), "created": entry.get("created on", ""),
                "level": entry["level"], "source": "vim-cmd",
            }, line=entry["line"], text=entry["text"], host=self.host)
        yield Fact("vm-snapshot-list", {"vm": vm, "vmid": self.vmid, "role": role,
                                        "count": len(self.entries), "source": "vim-cmd"},
                   line=self.line, text=self.text, host=self.host)


def parse(lines: Iterable[tuple[int, str]], artifact) -> Iterator[Fact]:
    own_host = getattr(artifact, "host", None) is None
    host = None  # from the prompt, for pasted output that no host folder attributes
    names: dict[str, tuple[str, str]] = {}  # vmid -> (name, role), from getallvms earlier in the file
    inventory = False
    current: _Snapshots | None = None
    pending_vmid = ""
    for number, text in lines:
        command = split_command(text, ("vim-cmd",))
        if command:
            if current:
                yield from current.facts(names)
                current = None
            prompt = parse_prompt(text)
            if own_host and prompt and prompt.host:
                host = prompt.host
            words = command[1]
            inventory = "vmsvc/getallvms" in words
            pending_vmid = words[2] if "vmsvc/snapshot.get" in words[:2] and len(words) > 2 else ""
            continue
        if _INVENTORY_HEADER.match(text):
            inventory = True
            continue
        if _GET.match(text):
            if current:
                yield from current.facts(names)
            current = _Snapshots(pending_vmid, number, text, host)
            pending_vmid = ""
            inventory = False
            continue
        if inventory:
            row = _INVENTORY_ROW.match(text)
            if row:
                name, annotation = row.group("name").strip(), row.group("annotation")
                role = role_of(name, annotation, row.group("file"))
                names[row.group("vmid")] = (name, role)
                yield Fact("vm-inventory", {
                    "vmid": row.group("vmid"), "vm": name, "file": row.group("file"), "datastore": row.group("ds"),
                    "guest_os": row.group("guest"), "version": row.group("version"),
                    "annotation": annotation, "role": role,
                }, line=number, text=text, host=host)
            continue
        if current:
            field = _FIELD.match(text.strip())
            if field:
                key = field.group("key").lower()
                key = "desc" if key.startswith("desc") else key
                if key == "name":
                    current.entries.append({"line": number, "text": text, "name": field.group("value"),
                                            "level": max(1, len(field.group("dashes")) // 2)})
                elif current.entries:
                    current.entries[-1][key] = field.group("value")
    if current:
        yield from current.facts(names)


PARSERS = [
    Parser("nsx-vim-cmd", recognise, parse,
           "vim-cmd vmsvc/getallvms and vmsvc/snapshot.get: registered VMs and their snapshots"),
]
