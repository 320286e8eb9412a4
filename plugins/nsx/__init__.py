"""NSX plugin: what a vCNS 5.5 to NSX 6.2 in-place upgrade needs proven, read from a collection.

Parsers: vmkping runs, virtual switch lists (esxcli, esxcfg-vswitch, PowerCLI), the Manager's
.vmx/.vmsd, the VMs vim-cmd and PowerCLI show (inventory, memory, adapters), snapshot lists
(vim-cmd's tree, PowerCLI Get-Snapshot), Manager versions, and the listing of the backup folder.
The vmkernel interfaces (MTU, netstack) come from the vmware plugin's host-nic facts. Rules and
articles: kb/nsx.
"""

from importlib.resources import files

from hakb import KnowledgePack, Plugin
from hakb.plugins.nsx import schemas, snapshots, upgrade_files, version, vmkping, vms, vmx, vswitch

plugin = Plugin(
    modules=(schemas, vmkping, vswitch, vmx, vms, snapshots, version, upgrade_files),
    packs=[KnowledgePack("nsx", files("hakb.kb") / "nsx",
                                "vCNS 5.5 to NSX 6.2 upgrade readiness: VXLAN MTU, switches, Manager, backups")],
)
