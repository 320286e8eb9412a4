"""Fact types the NSX parsers produce. Rules in kb/nsx match on these names and slots.

The vmkernel interfaces themselves (``host-nic`` with ``netstack``/``mtu``/``vds``) come from the
vmware plugin's ``esxcli network ip interface list`` parser; the NSX rules read those too.
"""

from hakb import FactSchema

SCHEMAS = [
    FactSchema("vmkping-result", {
        "vmk": "str",         # -I vmkN, "" when the command did not name one
        "netstack": "str",    # ++netstack=<name> or -S <name>, "" for the default stack
        "target": "str",      # the address pinged
        "size": "int",        # ICMP payload (-s); the IP packet is size + 28 bytes
        "df": "bool",         # -d: don't fragment
        "sent": "int", "received": "int",
        "loss_pct": "float",
        "too_long": "int",    # "sendto() failed (Message too long)" lines
        "outcome": "str",     # success | partial-loss | message-too-long | no-reply | send-error | incomplete
        "error": "str",       # the first other sendto()/interface error, if any
        "command": "str",     # the vmkping command line as pasted, "" when absent
    }, "One vmkping run and how it ended."),
    FactSchema("vswitch", {
        "name": "str",
        "kind": "str",        # standard | dvs
        "mtu": "int",
        "uplinks": "list",
        "portgroups": "list",
        "source": "str",      # esxcli | esxcfg-vswitch | powercli
    }, "A virtual switch a host has (esxcli in any format, esxcfg-vswitch -l, PowerCLI Get-VirtualSwitch / "
       "Get-VDSwitch)."),
    FactSchema("vswitch-listing", {
        "kind": "str",        # standard | dvs: which list was taken
        "count": "int",       # switches it showed (0 is a finding: no DVS on the host)
        "source": "str",      # esxcli | esxcfg-vswitch | powercli
    }, "That a host's switch list was collected, and how many switches of one kind it showed."),
    FactSchema("vm-config", {
        "vm": "str",          # displayName (else the .vmx name)
        "file": "str",        # the artifact's base name
        "memsize": "int",     # MB (memSize)
        "numvcpus": "int",
        "guest_os": "str",
        "annotation": "str",
        "hw_version": "str",  # virtualHW.version
        "role": "str",        # nsx-manager | vcenter | "" (guessed from the name and annotation)
        "source": "str",      # vmx | vim-cmd | powercli
    }, "A VM's configuration: its .vmx file, vim-cmd vmsvc/get.summary or get.config, PowerCLI Get-VM."),
    FactSchema("vm-nic-config", {
        "vm": "str", "role": "str",
        "adapter": "str",     # ethernet0, ethernet1, ...
        "device": "str",      # e1000 | e1000e | vmxnet3 | vmxnet2 | vlance | "" (not set: guest default)
        "network": "str",     # networkName
        "source": "str",      # vmx | vim-cmd | powercli
    }, "A present network adapter of a VM (.vmx ethernetN.* keys, vim-cmd vmsvc/get.config devices, "
       "PowerCLI Get-NetworkAdapter; adapter is then the device label, 'Network adapter 1')."),
    FactSchema("vm-inventory", {
        "vmid": "str", "vm": "str", "file": "str", "datastore": "str",
        "guest_os": "str", "version": "str", "annotation": "str", "role": "str",
    }, "A VM registered on a host (vim-cmd vmsvc/getallvms or get.summary)."),
    FactSchema("vm-snapshot", {
        "vm": "str", "vmid": "str", "role": "str",
        "name": "str", "description": "str", "created": "str",
        "level": "int",       # depth in the snapshot tree, 1 = a root snapshot
        "source": "str",      # vmsd | vim-cmd | powercli
    }, "One snapshot of a VM."),
    FactSchema("vm-snapshot-list", {
        "vm": "str", "vmid": "str", "role": "str",
        "count": "int",       # snapshots listed; 0 proves there are none
        "source": "str",      # vmsd | vim-cmd | powercli
    }, "That a VM's snapshot list was collected, and how many snapshots it has."),
    FactSchema("nsx-version", {
        "product": "str",     # vcns | nsx
        "name": "str",        # the product name as written
        "version": "str",     # 5.5.4
        "build_number": "str",
        "source": "str",      # show-version | vmx | vim-cmd | powercli | text
    }, "A vShield/vCNS or NSX Manager version seen in the collection."),
    FactSchema("upgrade-file", {
        "kind": "str",        # backup | tech-support
        "file": "str", "size": "int", "date": "str",
    }, "A backup or tech support bundle file seen in a folder listing."),
    FactSchema("upgrade-file-listing", {
        "folder": "str", "files": "int", "backups": "int", "tech_support": "int",
    }, "That the folder meant to hold the pre-upgrade backup and bundle was listed."),
]
