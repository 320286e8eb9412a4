"""Helpers shared by the VMware parsers: MAC and disk-name normalisation, path pieces."""

from __future__ import annotations

import re
from typing import NamedTuple

_MAC_DIGITS = re.compile(r"[^0-9a-fA-F]")
_DISK_SUFFIX = re.compile(r"-(flat|delta|sesparse|ctk|rdm|rdmp)$", re.I)
_VOLUME_PATH = re.compile(r"/vmfs/volumes/(?P<ds>[^/]+)/(?:(?P<dir>[^/]+)/)?(?P<file>[^/]+)$")


def normalise_mac(text: str) -> str:
    """A MAC in any notation as lower-case colon form; "" when it is not 12 hex digits or all zero.

    >>> normalise_mac("00-50-56-AA-BB-CC")
    '00:50:56:aa:bb:cc'
    >>> normalise_mac("0050.56aa.bbcc")
    '00:50:56:aa:bb:cc'
    >>> normalise_mac("000000000000")
    ''
    """
    digits = _MAC_DIGITS.sub("", text or "").lower()
    if len(digits) != 12 or set(digits) == {"0"}:
        return ""
    return ":".join(digits[i:i + 2] for i in range(0, 12, 2))


def mac_from_uuid(uuid: str) -> str:
    """The MAC in a VMFS owner UUID (its last group), or "" for the all-zero owner.

    >>> mac_from_uuid("5a1b2c3d-1a2b3c4d-5e6f-001122334455")
    '00:11:22:33:44:55'
    """
    return normalise_mac(uuid.rsplit("-", 1)[-1]) if uuid else ""


def disk_key(path: str) -> str:
    """The name shared by a disk's descriptor and its data files.

    >>> disk_key("/vmfs/volumes/ds01/app01/app01-000002-delta.vmdk")
    'app01-000002'
    >>> disk_key("app01-flat.vmdk")
    'app01'
    """
    name = (path or "").strip().strip("'\"").replace("\\", "/").rsplit("/", 1)[-1]
    if name.lower().endswith(".vmdk"):
        name = name[:-5]
    return _DISK_SUFFIX.sub("", name).lower()


def volume_parts(path: str) -> tuple[str, str, str]:
    """(datastore, folder, file name) of a /vmfs/volumes path; empty strings when absent.

    >>> volume_parts("/vmfs/volumes/ds01/app01/app01.vmx")
    ('ds01', 'app01', 'app01.vmx')
    """
    match = _VOLUME_PATH.search(path or "")
    if not match:
        return "", "", ""
    return match.group("ds"), match.group("dir") or "", match.group("file")


# --- pasted shell sessions -------------------------------------------------------------------

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]")
_MORE = re.compile(r"-+\s*More\s*-+(?:\s*\(\d+%\))?")
_BACKSPACED = re.compile(r"[^\x08]\x08")
_PROMPTS = (
    # ESXi 6.0 and later: [root@esx01:~] vmkfstools -D ...
    re.compile(r"^\[(?P<user>[\w.-]+)@(?P<host>[\w.-]+):(?P<cwd>[^\]]*)\]\s?(?P<cmd>.*)$"),
    # ESX classic service console: [root@esx01 ~]# ...
    re.compile(r"^\[(?P<user>[\w.-]+)@(?P<host>[\w.-]+)\s+(?P<cwd>[^\]]*)\][#$]\s?(?P<cmd>.*)$"),
    # ESXi 4.x / 5.x busybox shell: ~ # ...   /vmfs/volumes/ds01 # ...
    re.compile(r"^(?P<cwd>~|/[^\s#]*)\s+#\s?(?P<cmd>.*)$"),
    # A bare "# cmd" or "esx01 # cmd".
    re.compile(r"^(?:(?P<host>[A-Za-z][\w.-]*)\s*)?#\s+(?P<cmd>.*)$"),
)


def clean_line(text: str) -> str:
    """A pasted line without terminal noise: ANSI escapes, ``--More--`` pager marks, backspaces.

    >>> clean_line("\\x1b[7m--More--\\x1b[m vmnic1  0000:02:00.1")
    'vmnic1  0000:02:00.1'
    """
    if "\x1b" in text:
        text = _ANSI.sub("", text)
    if "More" in text:
        text = _MORE.sub("", text).strip() if _MORE.search(text) else text
    if "\x08" in text:
        while "\x08" in text:
            new = _BACKSPACED.sub("", text, count=1)
            if new == text:
                text = text.replace("\x08", "")
                break
            text = new
    return text.rstrip()


class Prompt(NamedTuple):
    """A shell prompt line split up; host and cwd are "" when the prompt does not show them."""

    host: str
    cwd: str
    command: str


def parse_prompt(text: str) -> Prompt | None:
    """The ESXi / ESX shell prompt at the start of ``text``, or None.

    >>> parse_prompt("[root@esx01:~] vmkfstools -D /vmfs/volumes/ds01/a/a.vmdk")
    Prompt(host='esx01', cwd='~', command='vmkfstools -D /vmfs/volumes/ds01/a/a.vmdk')
    >>> parse_prompt("~ # esxcfg-nics -l").command
    'esxcfg-nics -l'
    >>> parse_prompt("gen 7, mode 1, owner x") is None
    True
    """
    for pattern in _PROMPTS:
        match = pattern.match(text)
        if match:
            groups = match.groupdict()
            return Prompt(groups.get("host") or "", (groups.get("cwd") or "").strip(),
                          match.group("cmd").strip())
    return None


_DATASTORE = re.compile(r"/vmfs/volumes/(?P<ds>[^/\s'\"]+)")


def datastore_of(path: str) -> str:
    """The datastore (volume name or UUID) of a /vmfs/volumes path, "" when there is none.

    >>> datastore_of("/vmfs/volumes/ds-prod-01")
    'ds-prod-01'
    """
    match = _DATASTORE.search(path or "")
    return match.group("ds") if match else ""


def vm_of_vmx(path: str) -> str:
    """The VM name a .vmx path stands for (its base name without the extension).

    >>> vm_of_vmx("/vmfs/volumes/ds01/app01/app01.vmx")
    'app01'
    """
    name = (path or "").strip().strip("'\"").replace("\\", "/").rsplit("/", 1)[-1]
    return name[:-4] if name.lower().endswith(".vmx") else ""
