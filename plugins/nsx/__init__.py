"""NSX plugin: what a vCNS 5.5 to NSX 6.2 in-place upgrade needs proven, read from a collection.

Parsers: vmkping runs, virtual switch lists, the Manager's .vmx/.vmsd, vim-cmd inventory and
snapshot lists, Manager versions, and the listing of the backup folder. The vmkernel interfaces
(MTU, netstack) come from the vmware plugin's host-nic facts. Rules and articles: kb/nsx.
"""

from importlib.resources import files

from hakb import KnowledgePack, hookimpl
from hakb.plugins.nsx import schemas, upgrade_files, version, vimcmd, vmkping, vmx, vswitch

MODULES = (schemas, vmkping, vswitch, vmx, vimcmd, version, upgrade_files)


@hookimpl
def hakb_fact_schemas():
    return [s for module in MODULES for s in getattr(module, "SCHEMAS", ())]


@hookimpl
def hakb_parsers():
    return [p for module in MODULES for p in getattr(module, "PARSERS", ())]


@hookimpl
def hakb_knowledge_packs():
    return [KnowledgePack("nsx", files("hakb.kb") / "nsx",
                          "vCNS 5.5 to NSX 6.2 upgrade readiness: VXLAN MTU, switches, Manager, backups")]
