"""VMware ESXi plugin: lock dumps, host logs, NIC and storage listings in; the vmware pack out."""

from importlib.resources import files

from hakb import KnowledgePack, hookimpl
from hakb.plugins.vmware import logs, nics, schemas, storage, vmkfstools

MODULES = (schemas, vmkfstools, logs, nics, storage)


@hookimpl
def hakb_fact_schemas():
    return [s for module in MODULES for s in getattr(module, "SCHEMAS", ())]


@hookimpl
def hakb_parsers():
    return [p for module in MODULES for p in getattr(module, "PARSERS", ())]


@hookimpl
def hakb_knowledge_packs():
    return [KnowledgePack("vmware", files("hakb.kb") / "vmware",
                          "ESXi locked disks, datastores filled by snapshots, and related faults")]
