"""Fact types the VMware parsers produce. Rules in kb/vmware match on these names and slots."""

from hakb import FactSchema

SCHEMAS = [
    FactSchema("vmfs-lock", {
        "file": "str",        # the file as the artifact names it (full path when known)
        "disk": "str",        # disk key: base name without -flat/-delta/-sesparse/.vmdk, lower case
        "mode": "int",        # 0 free, 1 exclusive, 2 read-only, 3 multi-writer
        "owner_uuid": "str",  # "" when the owner is all zeros
        "owner_mac": "str",   # last group of the owner UUID as aa:bb:cc:dd:ee:ff, "" when none
        "datastore": "str",   # datastore of the file when its path names one, else ""
        "variant": "str",     # which shape the lock dump had: "5.x", "4.x", "3.x", "vmkernel", "esx3.5"
    }, "A VMFS lock as `vmkfstools -D` (or the kernel's FS3 dump) shows it."),
    FactSchema("vmfs-lock-holder", {
        "file": "str", "disk": "str",
        "mac": "str",         # normalised MAC of the holding host
        "uuid": "str",
        "role": "str",        # "owner" (mode 1/3 owner) or "read-only" (an RO Owner[i] line)
    }, "One host holding a VMFS lock; one fact per holder so rules can join it to a NIC."),
    FactSchema("vm-log-event", {
        "kind": "str",        # lock-failed | lock-busy | disk-open-failed | consolidation-failed |
                              # consolidation-needed | out-of-space | vm-question
        "file": "str",        # the file the line names (path as written), "" if none
        "disk": "str",        # disk key of that file, "" if none
        "vm": "str",          # VM name (from the .vmx path, the vmx world name, or the log's folder)
        "datastore": "str",   # datastore name from /vmfs/volumes/<ds>/..., "" if none
        "log": "str",         # hostd | vmware | vmkernel
        "time": "str",        # timestamp as written
        "message": "str",     # the event text, continuation lines joined
    }, "A symptom line in hostd.log, vmware.log or vmkernel.log."),
    FactSchema("host-nic", {
        "name": "str",        # vmnic0, vmk0, or the adapter name an inventory gives
        "mac": "str",         # normalised aa:bb:cc:dd:ee:ff
        "mtu": "int",
        "netstack": "str",    # for vmk interfaces: defaultTcpipStack, vxlan, ...
        "portgroup": "str",
        "vds": "str",         # VDS name for vmk interfaces on a distributed switch
        "ip": "str",
        "source": "str",      # the command that listed it: esxcfg-nics | esxcli-nic-list |
                              # esxcli-ip-interface | esxcfg-vmknic | Get-VMHostNetworkAdapter
    }, "A network interface of a host (the fact's host slot says which)."),
    FactSchema("host-ip", {
        "name": "str",        # vmk0
        "ip": "str",
        "netmask": "str",
        "family": "str",      # IPv4
        "source": "str",      # esxcli-ipv4 (esxcli network ip interface ipv4 get)
    }, "An address of a host's vmkernel interface, listed apart from the interface itself."),
    FactSchema("vmfs-active-host", {
        "datastore": "str", "mac": "str",
    }, "A host (by MAC) that `vmkfstools --activehosts` reports as using a datastore."),
]
