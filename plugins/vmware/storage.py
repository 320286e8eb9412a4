"""Datastore capacity and VM folder listings: the facts that show a datastore filled by snapshots.

The parsers live in ``storage_datastores`` (df, esxcli storage filesystem list, Get-Datastore)
and ``storage_listing`` (ls, du, dir of a VM folder); this module gathers them with the fact types they
produce, so the plugin sees one ``storage`` module. Rules in kb/vmware/datastore-full.clp and
kb/vmware/snapshot-chain.clp match these names and slots.
"""

from hakb import FactSchema
from hakb.plugins.vmware import storage_datastores, storage_listing

SCHEMAS = [
    FactSchema("datastore", {
        "name": "str",        # volume label, or the UUID when the volume has none
        "uuid": "str",        # VMFS UUID when the source shows it, else ""
        "mount": "str",       # /vmfs/volumes/<name or uuid>
        "type": "str",        # VMFS-5, VMFS-6, NFS, NFS41, vsan, ...
        "mounted": "bool",
        "size": "int",        # bytes
        "used": "int",        # bytes
        "free": "int",        # bytes
        "free_pct": "float",  # free / size * 100
        "size_text": "str",   # size for people: "499.8 GB"
        "free_text": "str",
        "exact": "bool",      # False when the source rounded (df -h)
        "source": "str",      # df | esxcli-filesystem | Get-Datastore
    }, "Size and free space of one datastore as a host saw it."),
    FactSchema("vm-file", {
        "vm": "str",          # the VM the folder belongs to (.vmx name, else folder name)
        "datastore": "str",   # from /vmfs/volumes/<ds>/..., "" when the listing does not say
        "folder": "str",
        "file": "str",        # base name
        "kind": "str",        # base-data | base-descriptor | delta-data | delta-descriptor |
                              # snapshot-state | snapshot-list | config | memory | swap | log |
                              # change-tracking | raw-mapping | nvram | other
        "disk": "str",        # disk key (app01-000002), "" for non-disk files
        "base": "str",        # base disk key (app01)
        "level": "int",       # delta number N of -00000N, 0 for a base disk
        "size": "int",        # bytes as listed (thin and delta files: what they hold; thick: provisioned)
    }, "One file of a VM folder listing."),
    FactSchema("vm-disk-chain", {
        "vm": "str", "datastore": "str", "folder": "str",
        "disk": "str",        # base disk key
        "depth": "int",       # number of delta disks on top of the base
        "top": "str",         # disk key of the newest delta (the one the VM writes to)
        "deltas": "list",     # delta disk keys, oldest first
        "delta_bytes": "int", # data files of the deltas (-delta / -sesparse)
        "base_bytes": "int",  # the base disk's -flat file, 0 when not listed
        "delta_size": "str", "base_size": "str",
        "format": "str",      # delta, sesparse, or both
    }, "A base disk and the snapshot deltas stacked on it, as one folder listing shows them."),
    FactSchema("vm-folder-usage", {
        "vm": "str", "datastore": "str", "folder": "str",
        "files": "int", "total_bytes": "int",
        "delta_bytes": "int", "delta_files": "int", "base_bytes": "int",
        "snapshots": "int",   # .vmsn files (one per snapshot)
        "delta_size": "str",
    }, "What one VM folder holds in total and in snapshot deltas."),
]

PARSERS = [*storage_datastores.PARSERS, *storage_listing.PARSERS]
