"""Helpers shared by the VMware parsers: MAC and disk-name normalisation, path pieces, values as printed."""

from __future__ import annotations

import re

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


_NOT_SET = {"n/a", "na", "-", "none", "null", "<unset>", "<none>"}


def present(value: str | None) -> str:
    """A value as printed, "" for the ways tools say "none" (``N/A``, ``-``, ``<unset>``, empty).

    >>> present(" N/A "), present("vSwitch0")
    ('', 'vSwitch0')
    """
    text = (value or "").strip().strip('"')
    return "" if text.lower() in _NOT_SET else text


def integer(value: str | None) -> int | None:
    """An integer as printed (``1500``, ``1,500``), None when there is none.

    >>> integer("9000"), integer("1,500"), integer("N/A")
    (9000, 1500, None)
    """
    from hakb.formats import parse_int

    return parse_int(present(value))


#: UUID-style VMFS volume names: ``5a1b2c3d-1a2b3c4d-5e6f-001122334455`` (and NFS ``1a2b3c4d-5e6f7a8b``).
VOLUME_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{8}(?:-[0-9a-f]{4}-[0-9a-f]{12})?$", re.I)
