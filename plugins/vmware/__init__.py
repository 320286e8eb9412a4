"""VMware ESXi plugin: lock dumps, host logs, NIC and storage listings in; the vmware pack out."""

from importlib.resources import files

from hakb import KnowledgePack, Plugin
from hakb.plugins.vmware import activehosts, identity, logs, nics, schemas, storage, vmkfstools

plugin = Plugin(
    modules=(schemas, vmkfstools, activehosts, logs, nics, identity, storage),
    packs=[KnowledgePack("vmware", files("hakb.kb") / "vmware",
                                "ESXi locked disks, datastores filled by snapshots, and related faults")],
)
