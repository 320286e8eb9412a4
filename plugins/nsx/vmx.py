"""A VM's ``.vmx`` (configuration) and ``.vmsd`` (snapshot list) files: ``key = "value"`` lines.

The Manager appliance must have 16 GB of memory and a VMXNET3 adapter before the upgrade; its
``.vmx`` says both::

    displayName = "vShield Manager"
    memSize = "8192"
    ethernet0.present = "TRUE"
    ethernet0.virtualDev = "e1000"

The ``.vmsd`` beside it lists the VM's snapshots (``snapshot0.displayName = "pre-upgrade"``,
``snapshot.numSnapshots = "1"``); one with no ``snapshotN`` entries proves there are none.
Values use the vmx escape ``|22`` (a hex byte), undone here. The file is known by its name, or,
pasted from the host's shell, by the command that printed it (``cat "/vmfs/volumes/ds/vm/vm.vmx"``,
what the Manager's "not verified" check asks for). A version in the display name or
annotation of a vShield/vCNS/NSX Manager (``vCloud Networking and Security Manager 5.5.4``) is
reported as an ``nsx-version`` fact too.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from hakb import Fact, Head, ParseError, Parser
from hakb.sections import command_segments
from hakb.plugins.nsx.common import role_of
from hakb.plugins.nsx.version import version_in

_ENTRY = re.compile(r'^\s*(?P<key>[A-Za-z0-9_.:\-\[\]]+)\s*=\s*"(?P<value>.*)"\s*$')
_ESCAPE = re.compile(r"\|([0-9A-Fa-f]{2})")
_NIC = re.compile(r"^(ethernet\d+)\.(present|virtualDev|networkName)$", re.I)
_SNAPSHOT = re.compile(r"^snapshot(\d+)\.(uid|filename|displayName|description|createTimeHigh|createTimeLow|"
                       r"numDisks|parent|type)$", re.I)
_VMX_KEYS = ("virtualhw.version", "displayname", "memsize", "guestos", "config.version", "numvcpus")


def unescape(value: str) -> str:
    """A vmx value with ``|XX`` escapes undone.

    >>> unescape("vCNS |22prod|22")
    'vCNS "prod"'
    """
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)


_READERS = ("cat", "more", "less", "type", "get-content", "gc")  # whole files, not head or tail


def printed_file(command: str, suffix: str) -> str:
    """The base name of the ``suffix`` file a command printed (``cat ".../vShield Manager.vmx"``).

    >>> printed_file('cat "/vmfs/volumes/ds-mgmt/vShield Manager/vShield Manager.vmx"', ".vmx")
    'vShield Manager.vmx'
    >>> printed_file("cat /etc/hosts", ".vmx")
    ''
    """
    for words in command_segments(command or ""):
        if words[0].lower() in _READERS:
            for word in words[1:]:
                if word.lower().endswith(suffix):
                    return word.replace("\\", "/").rsplit("/", 1)[-1]
    return ""


def _file_name(artifact, suffix: str) -> str:
    section = getattr(artifact, "section", None)
    printed = printed_file(section.command, suffix) if section is not None else ""
    return printed or (getattr(artifact, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]


def _entries(lines: Iterable[tuple[int, str]]) -> Iterator[tuple[int, str, str, str]]:
    for number, text in lines:
        match = _ENTRY.match(text)
        if match:
            yield number, text, match.group("key"), unescape(match.group("value"))


# -- .vmx ------------------------------------------------------------------------------------------

def recognise_vmx(head: Head) -> int:
    keys = {m.group("key").lower() for m in map(_ENTRY.match, head.lines) if m}
    if any(k.startswith("snapshot") for k in keys) and "virtualhw.version" not in keys:
        return 0
    found = sum(1 for k in _VMX_KEYS if k in keys)
    if "virtualhw.version" in keys and found >= 2:
        return 100
    if found >= 3:
        return 70
    named = head.name.lower().endswith(".vmx") or bool(printed_file(head.command, ".vmx"))
    return 10 if named and found else 0


def parse_vmx(lines: Iterable[tuple[int, str]], artifact) -> Iterator[Fact]:
    values: dict[str, tuple[int, str, str]] = {}  # lower-case key -> (line, text, value)
    for number, text, key, value in _entries(lines):
        values[key.lower()] = (number, text, value)
    if not values:
        raise ParseError("no key = \"value\" lines")
    stem = re.sub(r"\.vmx$", "", _file_name(artifact, ".vmx"), flags=re.I)

    def get(key: str) -> str:
        return values.get(key.lower(), (0, "", ""))[2]

    vm = get("displayName") or stem
    annotation = get("annotation")
    role = role_of(vm, annotation, stem)
    memsize = get("memSize")
    anchor = values.get("memsize") or values.get("displayname") or next(iter(values.values()))
    yield Fact("vm-config", {
        "vm": vm, "file": stem, "memsize": int(memsize) if memsize.isdigit() else None,
        "numvcpus": int(get("numvcpus")) if get("numvcpus").isdigit() else None,
        "guest_os": get("guestOS"), "annotation": annotation, "hw_version": get("virtualHW.version"),
        "role": role, "source": "vmx",
    }, line=anchor[0], text=anchor[1])
    adapters = sorted({m.group(1).lower() for key in values if (m := _NIC.match(key))})
    for adapter in adapters:
        present = get(f"{adapter}.present")
        if present.upper() not in ("TRUE", "") or (not present and not get(f"{adapter}.virtualDev")):
            continue
        where = values.get(f"{adapter}.virtualdev") or values.get(f"{adapter}.present")
        yield Fact("vm-nic-config", {
            "vm": vm, "role": role, "adapter": adapter, "device": get(f"{adapter}.virtualDev").lower(),
            "network": get(f"{adapter}.networkName"), "source": "vmx",
        }, line=where[0], text=where[1])
    for key in ("displayname", "annotation"):
        if key in values and role == "nsx-manager":
            found = version_in(values[key][2])
            if found:
                yield Fact("nsx-version", {**found, "source": "vmx"}, line=values[key][0], text=values[key][1])
                break


# -- .vmsd -----------------------------------------------------------------------------------------

def recognise_vmsd(head: Head) -> int:
    keys = {m.group("key").lower() for m in map(_ENTRY.match, head.lines) if m}
    if "virtualhw.version" in keys:
        return 0
    if any(k.startswith("snapshot.") or _SNAPSHOT.match(k) for k in keys):
        return 100
    if printed_file(head.command, ".vmsd"):
        return 100  # an empty .vmsd is only ``.encoding = "UTF-8"``: the command says what it is
    return 10 if head.name.lower().endswith(".vmsd") else 0


def parse_vmsd(lines: Iterable[tuple[int, str]], artifact) -> Iterator[Fact]:
    snapshots: dict[int, dict[str, tuple[int, str, str]]] = {}
    general: dict[str, tuple[int, str, str]] = {}
    first: tuple[int, str] | None = None
    for number, text, key, value in _entries(lines):
        first = first or (number, text)
        match = _SNAPSHOT.match(key)
        if match:
            snapshots.setdefault(int(match.group(1)), {})[match.group(2).lower()] = (number, text, value)
        elif key.lower().startswith("snapshot."):
            general[key.lower()] = (number, text, value)
    name = _file_name(artifact, ".vmsd")
    vm = re.sub(r"\.vmsd$", "", name, flags=re.I) if name.lower().endswith(".vmsd") else ""
    for entry in snapshots.values():
        state = entry.get("filename", (0, "", ""))[2]
        if state:
            vm = re.sub(r"-Snapshot\d+\.vmsn$", "", state, flags=re.I)
            break
    role = role_of(vm)
    uids = {int(e["uid"][2]): index for index, e in snapshots.items() if "uid" in e and e["uid"][2].isdigit()}

    def level(index: int) -> int:
        depth, seen = 1, set()
        parent = snapshots[index].get("parent", (0, "", ""))[2]
        while parent.isdigit() and int(parent) in uids and parent not in seen:
            seen.add(parent)
            depth += 1
            parent = snapshots[uids[int(parent)]].get("parent", (0, "", ""))[2]
        return depth

    for index in sorted(snapshots):
        entry = snapshots[index]
        where = entry.get("displayname") or next(iter(entry.values()))
        yield Fact("vm-snapshot", {
            "vm": vm, "vmid": "", "role": role, "name": entry.get("displayname", (0, "", ""))[2],
            "description": entry.get("description", (0, "", ""))[2], "created": "",
            "level": level(index), "source": "vmsd",
        }, line=where[0], text=where[1])
    anchor = general.get("snapshot.numsnapshots") or general.get("snapshot.lastuid")
    anchor = (anchor[0], anchor[1]) if anchor else first
    if anchor is None:
        raise ParseError("no key = \"value\" lines")
    yield Fact("vm-snapshot-list", {"vm": vm, "vmid": "", "role": role, "count": len(snapshots),
                                    "source": "vmsd"}, line=anchor[0], text=anchor[1])


PARSERS = [
    Parser("nsx-vmx", recognise_vmx, parse_vmx,
           ".vmx: a VM's memory, network adapter types and role (Manager appliance, vCenter)"),
    Parser("nsx-vmsd", recognise_vmsd, parse_vmsd,
           ".vmsd: the snapshots a VM has (none is proven by an empty list)"),
]
