"""Pieces the datastore and VM-folder parsers share: sizes in bytes or human units, shell prompts.

ESXi prints sizes two ways: exact bytes (``esxcli``, ``ls -l``, ``df``) and busybox human units
(``df -h``, ``ls -lh``: ``499.8G``, ``4.0K``; powers of 1024). A pasted session starts with a
prompt (``[root@esx01:/vmfs/volumes/ds01/app01] ls -la``, ``~ # df -h``) whose folder matters
when the command itself names none.
"""

from __future__ import annotations

import re

_UNITS = {"": 1, "B": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40, "P": 1 << 50}
_SIZE = re.compile(r"^(?P<number>\d+(?:[.,]\d+)?)(?P<unit>[BKMGTP]?)(?:i?B)?$", re.I)

#: A shell prompt in front of a pasted command: ESXi 6+ ``[user@host:cwd]``, ESXi 5 ``cwd #``,
#: a Linux ``user@host:cwd$`` or a bare ``#``/``$``.
_PROMPT = re.compile(r"""^\s*(?:
      \[[^@\]\s]+@[^:\]\s]+:(?P<cwd1>[^\]]*)\]\s*[#$]?\s*
    | (?P<cwd2>~|/[^\s#$]*)\s+[#$]\s+
    | [\w.-]+@[\w.-]+:(?P<cwd3>[^\s#$]*)\s*[#$]\s*
    | [#$>]\s+
    )?""", re.X)

#: UUID-style VMFS volume names: ``5a1b2c3d-1a2b3c4d-5e6f-001122334455`` (and NFS ``1a2b3c4d-5e6f7a8b``).
VOLUME_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{8}(?:-[0-9a-f]{4}-[0-9a-f]{12})?$", re.I)


def size_bytes(text: str) -> int | None:
    """Bytes in ``text``: plain digits, or a number with a K/M/G/T unit (powers of 1024).

    >>> size_bytes("3.7G")
    3972844749
    >>> size_bytes("42949672960")
    42949672960
    >>> size_bytes("n/a") is None
    True
    """
    match = _SIZE.match((text or "").strip())
    if not match:
        return None
    number = float(match.group("number").replace(",", "."))
    return int(round(number * _UNITS[match.group("unit").upper()]))


def human_size(size: int) -> str:
    """Bytes as a person reads them (powers of 1024, one decimal).

    >>> human_size(3972005888)
    '3.7 GB'
    """
    for unit, factor in (("TB", 1 << 40), ("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}"
    return f"{size} bytes"


def split_command(line: str, commands: tuple[str, ...]) -> tuple[str, list[str]] | None:
    """(prompt folder, words) when ``line`` is a pasted command starting with one of ``commands``.

    >>> split_command("[root@esx01:/vmfs/volumes/ds01/app01] ls -lh", ("ls",))
    ('/vmfs/volumes/ds01/app01', ['ls', '-lh'])
    >>> split_command("~ # df -h", ("df",))
    ('~', ['df', '-h'])
    >>> split_command("total 12", ("ls",)) is None
    True
    """
    match = _PROMPT.match(line)
    rest = line[match.end():] if match else line
    words = rest.split()
    if not words or words[0].rsplit("/", 1)[-1] not in commands:
        return None
    cwd = ""
    if match:
        cwd = match.group("cwd1") or match.group("cwd2") or match.group("cwd3") or ""
    return cwd.strip(), words
