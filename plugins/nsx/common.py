"""What the NSX parsers share: telling the Manager appliance and vCenter apart by name.

The upgrade checks need the snapshots and settings of two particular VMs, the vShield/vCNS (or
NSX) Manager appliance and vCenter. A collection names them only by display name, annotation or
file name, so the role is guessed from those, conservatively: a name that fits neither gets "".
"""

from __future__ import annotations

import re

#: vShield Manager, vCNS Manager, vCloud Networking and Security, NSX Manager (nsxmgr, nsx-mgr).
MANAGER = re.compile(
    r"vshield[\s_-]*manager|\bvsm\d*\b|vcns|vcloud\s+networking\s+and\s+security|"
    r"nsx[\s_-]*(?:manager|mgr)|nsxmgr", re.I)
#: vCenter Server (Windows or appliance): vcenter, vcsa, vc01.example.com, vc-01.
VCENTER = re.compile(r"vcenter|vcsa|^vc(?:[\d._-]|$)", re.I)


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
