"""What the NSX parsers share: the Manager and vCenter told apart by name, values as tools print
them, and what a command line says about the objects below it.

The upgrade checks need the snapshots and settings of two particular VMs, the vShield/vCNS (or
NSX) Manager appliance and vCenter. A collection names them only by display name, annotation or
file name, so the role is guessed from those, conservatively: a name that fits neither gets "".
PowerCLI's default tables leave out which VM or host an object belongs to (``Get-VM vcsa01 |
Get-Snapshot`` prints only the snapshots); the command line in front of them names it.
"""

from __future__ import annotations

import re
from itertools import islice

from hakb import Head
from hakb.reading import Record, read_records
from hakb.sections import command_segments

#: vShield Manager, vCNS Manager, vCloud Networking and Security, NSX Manager (nsxmgr, nsx-mgr).
MANAGER = re.compile(
    r"vshield[\s_-]*manager|\bvsm\d*\b|vcns|vcloud\s+networking\s+and\s+security|"
    r"nsx[\s_-]*(?:manager|mgr)|nsxmgr", re.I)
#: vCenter Server (Windows or appliance): vcenter, vcsa, vc01.example.com, vc-01.
VCENTER = re.compile(r"vcenter|vcsa|^vc(?:[\d._-]|$)", re.I)
#: Records of a head read to recognise a section's objects.
HEAD_RECORDS = 200
#: What tools print for "no value": vim-cmd's ``<unset>``, Export-Csv's type name of an array.
_NO_VALUE = {"<unset>", "system.string[]", "system.object[]", "n/a"}


def role_of(*names: str) -> str:
    """``nsx-manager``, ``vcenter`` or "" for a VM known by these names.

    >>> role_of("vShield Manager")
    'nsx-manager'
    >>> role_of("vcsa01.lab.example")
    'vcenter'
    >>> role_of("app01", "Web server")
    ''
    """
    for name in names:
        if name and MANAGER.search(name):
            return "nsx-manager"
    for name in names:
        if name and VCENTER.search(name.strip()):
            return "vcenter"
    return ""


def present(value: str | None) -> str:
    """A printed value, stripped; "" for the ways tools print "nothing here".

    >>> present(" vmnic0 "), present("<unset>"), present("System.String[]"), present(None)
    ('vmnic0', '', '', '')
    """
    text = (value or "").strip()
    return "" if text.lower() in _NO_VALUE else text


def integer(value: str | None) -> int | None:
    """A whole number as printed (``1600``, ``8.192`` in a German table); None otherwise.

    >>> integer("1600"), integer("8.192"), integer("-1"), integer(""), integer("auto")
    (1600, 8192, -1, None, None)
    """
    text = present(value).replace("\u00a0", "").replace("'", "")
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", text):
        return int(re.sub(r"\D", "", text))
    return None


def number(value: str | None) -> float | None:
    """A decimal as PowerShell prints it in any locale (``8``, ``0.5``, ``0,5``); None otherwise.

    >>> number("16"), number("0,5"), number("1.5"), number("x")
    (16.0, 0.5, 1.5, None)
    """
    text = present(value)
    if re.fullmatch(r"\d+(?:[.,]\d+)?", text):
        return float(text.replace(",", "."))
    return None


def items(record: Record, *names: str) -> list[str]:
    """The items of the first of ``names`` the record has, without "no value" items."""
    for name in names:
        if name in record:
            return [i for i in (present(v) for v in record.values(name)) if i]
    return []


def head_records(head: Head) -> list[Record]:
    """The first records of a head (the core's reading layer), for recognisers."""
    lines = enumerate(head.text.splitlines(), 1)
    return list(islice(read_records(lines, head.command), HEAD_RECORDS))




# --- what a PowerCLI command line names ----------------------------------------------------


def _arguments(words: list[str], parameter: str) -> list[str]:
    """Values of ``-parameter`` in a segment's words, or (parameter None) its positional values
    before the first named parameter; comma-separated lists are split."""
    values: list[str] = []
    if parameter:
        wanted = "-" + parameter.lower()
        for index, word in enumerate(words[1:], 1):
            if word.lower() == wanted:
                for value in words[index + 1:]:
                    if value.startswith("-"):
                        break
                    values.append(value)
                    if not value.endswith(","):
                        break
    else:
        for word in words[1:]:
            if word.startswith("-"):
                break
            values.append(word)
    names = [v.strip().strip("'\"") for value in values for v in value.split(",")]
    return [n for n in names if n]


def _names(words: list[str], parameter: str) -> list[str]:
    """Named objects (no wildcards) of ``-parameter`` or, failing that, the positional names."""
    names = _arguments(words, parameter) or _arguments(words, "")
    return [] if any(ch in n for n in names for ch in "*?$(") else names


def command_vms(command: str) -> list[str]:
    """The VMs a PowerCLI command line names: ``Get-VM a, "b c" | ...`` or ``-VM a``.

    >>> command_vms('Get-VM vcsa01, "vShield Manager" | Get-Snapshot')
    ['vcsa01', 'vShield Manager']
    >>> command_vms("Get-Snapshot -VM vcsa01 | fl"), command_vms("Get-VM | Get-Snapshot")
    (['vcsa01'], [])
    """
    for words in command_segments(command or ""):
        program = words[0].lower()
        if program == "get-vm":
            return _names(words, "Name")
        if len(words) > 1 and any(w.lower() == "-vm" for w in words):
            return [n for n in _arguments(words, "VM") if not any(ch in n for ch in "*?$(")]
    return []


def command_host(command: str) -> str:
    """The one ESXi host a PowerCLI command line names (``-VMHost esx01``, ``Get-VMHost esx01 |``),
    else "".

    >>> command_host("Get-VMHost esx-comp-03.lab.example | Get-VirtualSwitch")
    'esx-comp-03.lab.example'
    >>> command_host("Get-VDSwitch -VMHost esx01"), command_host("Get-VMHost | Get-VirtualSwitch")
    ('esx01', '')
    """
    for words in command_segments(command or ""):
        if words[0].lower() == "get-vmhost":
            names = _names(words, "Name")
        elif any(w.lower() == "-vmhost" for w in words):
            names = [n for n in _arguments(words, "VMHost") if not any(ch in n for ch in "*?$(")]
        else:
            continue
        return names[0] if len(names) == 1 else ""
    return ""
