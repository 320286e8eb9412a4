"""VMware ESXi plugin: lock dumps, host logs, NIC and storage listings in; the vmware pack out."""

from importlib.resources import files

from hakb import KnowledgePack, Plugin
from hakb.plugins.vmware import logs, nics, schemas, storage, vmkfstools

plugin = Plugin(
    modules=(schemas, vmkfstools, logs, nics, storage),
    packs=[KnowledgePack("vmware", files("hakb.kb") / "vmware",
                                "ESXi locked disks, datastores filled by snapshots, and related faults")],
)
