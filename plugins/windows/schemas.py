"""Fact types of the windows plugin. ``windows-system`` and the SPN, firewall and DNS facts
(``spn-registration``, ``firewall-rule``, ``firewall-policy``, ``dns-lookup``) are shared with
other plugins' rules (exchange's Kerberos, Edge transport and CAS array checks)."""

from hakb import FactSchema

REGISTRY_KEY = FactSchema("registry-key", {
    "key": "str",       # the key as written in the export, e.g. HKEY_CURRENT_USER\Software\...
    "hive": "str",      # HKLM | HKCU | HKU | HKCR | HKCC
    "user": "str",      # for HKU: the first component (a SID or .DEFAULT); "" otherwise
    "subkey": "str",    # the path below the hive (below the SID for HKU), e.g. Software\Microsoft\...
    "deleted": "bool",  # [-HKEY_...] lines: the export deletes the key
}, "A key heading ([HKEY_...]) in a regedit export.")

REGISTRY_VALUE = FactSchema("registry-value", {
    "key": "str", "hive": "str", "user": "str", "subkey": "str",
    "name": "str",      # the value name; "" for the default value (@)
    "reg_type": "str",  # REG_SZ, REG_DWORD, REG_QWORD, REG_MULTI_SZ, REG_EXPAND_SZ, REG_BINARY,
                        # REG_NONE, REG_DWORD_BIG_ENDIAN, REG_LINK, ... or hex(N) for unknown N
    "value": "str",     # readable form: the text, a number in decimal, multi-string items joined by "; ",
                        # bytes as lower-case hex
    "number": "int",    # DWORD / QWORD / big-endian DWORD as an integer; nil otherwise
    "items": "list",    # REG_MULTI_SZ items
    "data": "str",      # the raw bytes of hex forms as lower-case hex without separators
    "decoded": "str",   # REG_BINARY/REG_NONE holding a NUL-terminated text (MAPI profiles do): the text
    "literal": "str",   # the .reg literal after '=', continuation lines joined, hex without blanks
    "form": "str",      # how the export wrote it: string | dword | hex | hex(N) (N as written, lower case)
    "deleted": "bool",  # "Name"=- : the export deletes the value
}, "One value of a regedit export, decoded by type.")


SCHEMAS = [
    FactSchema("windows-system", {
        "hostname": "str",
        "os_name": "str",            # "Microsoft Windows Server 2008 R2 Enterprise"
        "os_version": "str",         # "6.1.7601 Service Pack 1 Build 7601"
        "total_memory_mb": "int",    # Total Physical Memory, in MB whatever the locale's separators
        "available_memory_mb": "int",
        "domain": "str",
        "system_type": "str",        # "x64-based PC"
        "hotfixes": "list",          # ["KB2533552", ...]
    }, "A Windows machine as `systeminfo` describes it."),
]

SCHEMAS += [
    FactSchema("cluster-node", {
        "cluster": "str",
        "node": "str",               # as written (EX01)
        "node_id": "int",
        "state": "str",              # Up | Down | Paused | Joining ...
        "source": "str",             # cluster.exe | Get-ClusterNode
    }, "A failover cluster node and its state (`cluster node`, `Get-ClusterNode`)."),
    FactSchema("cluster-quorum", {
        "cluster": "str",
        "type": "str",               # MajorityNodeSet | NodeAndFileShareMajority | NodeMajority |
                                     # NodeAndDiskMajority | DiskOnly | SharedDisk | LocalQuorum | "" unknown
        "resource": "str",           # the quorum resource's name
        "path": "str",               # path / witness share when printed
        "source": "str",
    }, "The cluster's quorum model (`cluster /quorum`, `Get-ClusterQuorum`)."),
    FactSchema("cluster-parameter", {
        "object": "str",             # the resource ("Virtual Machine EX01", "SQL Listener IP", "Majority Node Set")
        "vm": "str",                 # for a "Virtual Machine <name>" resource: <name>, else ""
        "name": "str",               # OfflineAction, ProbePort, MNSFileShare, ...
        "value": "str",              # as written ("240 (0xf0)" -> "240 (0xf0)")
        "number": "int",             # the value as a number when it is one (240), else nil
        "type": "str",               # UInt32 | String | ... (Get-ClusterParameter), T column (cluster.exe)
        "source": "str",             # Get-ClusterParameter | cluster.exe
    }, "A private property of a cluster resource (`Get-ClusterParameter`, `cluster res <r> /priv`)."),
    FactSchema("cluster-setting", {
        "cluster": "str",
        "name": "str",               # SameSubnetDelay | SameSubnetThreshold | CrossSubnetDelay | CrossSubnetThreshold ...
        "value": "int",
        "source": "str",             # Get-Cluster | cluster.exe
    }, "A common property of the cluster itself (`Get-Cluster | fl *Subnet*`, `cluster /prop`)."),
    FactSchema("cluster-log-event", {
        "kind": "str",               # missed-heartbeat | unreachable | route-down | node-disconnected |
                                     # node-removed | quorum-lost
        "node": "str",               # the node the line is about, when named ("EX02" or "node 2")
        "time": "str",               # as written
        "epoch": "int",              # UTC assumed
        "component": "str",          # CHM, IM, RGP, NM, QUORUM ...
        "message": "str",
    }, "A membership or heartbeat symptom line in cluster.log."),
    FactSchema("windows-event", {
        "log": "str", "source": "str", "event_id": "int", "level": "str", "computer": "str",
        "time": "str", "epoch": "int",
        "kind": "str",               # cluster-node-removed | cluster-quorum-lost | cluster-network-down |
                                     # cluster-resource-failed | cluster-witness-failed | hyperv-migration |
                                     # hyperv-migration-failed | nlb | nlb-cluster-conflict | ""
        "node": "str",               # node named by a clustering event (the VM, for a Hyper-V event)
        "message": "str",            # "" when the shape has none (event XML that is not rendered)
    }, "One event (`wevtutil qe /f:text` or `/f:xml`, Get-WinEvent, Get-EventLog, an XML export)."),
    FactSchema("ip-interface", {
        "adapter": "str",            # connection name: "Replication", "Local Area Connection 2"
        "description": "str",
        "role": "str",               # replication (name says so) | heartbeat | "" (not known)
        "ips": "list",
        "subnets": "list",           # "192.0.2.0/24" for each address with a known mask
        "gateways": "list",
        "dns_servers": "list",
        "dhcp": "bool",
        "source": "str",             # ipconfig | netsh | Get-NetIPConfiguration
    }, "A network adapter's IP configuration (`ipconfig /all`, `netsh interface ipv4 show config`, "
       "`Get-NetIPConfiguration`)."),
    FactSchema("network-adapter", {
        "name": "str",               # connection name: "Replication"
        "description": "str",        # "Microsoft Hyper-V Network Adapter #2"
        "index": "str",              # ifIndex
        "status": "str",             # Up | Disconnected | Disabled ...
        "mac": "str",                # 00:15:5d:01:02:03
        "speed": "str",              # as printed: "10 Gbps"
        "source": "str",             # Get-NetAdapter
    }, "A network adapter as `Get-NetAdapter` lists it (no addresses: those are ip-interface facts)."),
    FactSchema("ip-dns-registration", {
        "adapter": "str",
        "register": "bool",          # registers its address in DNS
        "source": "str",             # Get-DnsClient | netsh
    }, "Whether an adapter registers its address in DNS (`Get-DnsClient`, `netsh ... show config`)."),
    FactSchema("nlb-node", {
        "cluster_ip": "str",
        "node": "str",
        "state": "str",              # Converged | Stopped | ...
        "source": "str",             # wlbs display | nlb display | Get-NlbClusterNode | Get-NlbCluster
    }, "Evidence that Windows Network Load Balancing is bound on the machine."),
    FactSchema("windows-feature", {
        "name": "str",               # NLB, Failover-Clustering, Hyper-V ...
        "display_name": "str",
        "installed": "bool",
    }, "An installed Windows feature (`Get-WindowsFeature`, `ServerManagerCmd -query`)."),
    REGISTRY_KEY,
    REGISTRY_VALUE,
    FactSchema("spn-registration", {
        "spn": "str",              # as written
        "service_class": "str",    # lower case: http, exchangemdb, exchangerfr, exchangeab, host, ...
        "target": "str",           # the host part, lower case
        "port": "int",
        "account": "str",          # the account (DN) the SPN is registered on
    }, "A service principal name on an account, from `setspn -L`, `-Q` or `-X` output."),
    FactSchema("spn-query", {
        "spn": "str",                # the name asked for (from the command line), "" when not known
        "option": "str",             # -Q | -X | -S | -L ...
        "found": "bool",             # Existing SPN found! / duplicates found / add refused as duplicate
        "count": "int",              # accounts listed (-Q), duplicate groups (-X)
    }, "What a `setspn -Q` / `-X` / `-S` run answered (Existing SPN found!, No such SPN found., "
       "found N group(s) of duplicate SPNs.)."),
    FactSchema("dns-lookup", {
        "name": "str",            # the name asked for, lower case
        "addresses": "list",
        "aliases": "list",
        "dns_server": "str", "dns_server_address": "str",
    }, "An answer in `nslookup` output: which addresses a name resolves to, and from which server."),
    FactSchema("port-probe", {
        "target": "str",             # the machine probed, as given or as printed
        "address": "str",            # the address it resolved to
        "protocol": "str",           # TCP | UDP
        "port": "int",
        "service": "str",            # portqry's service name ("unknown", "smtp", "ldap")
        "state": "str",              # listening | not-listening | filtered | listening-or-filtered | failed
        "source": "str",             # portqry | Test-NetConnection
    }, "A port probed from the fact's host (`portqry`, `Test-NetConnection -Port`)."),
    FactSchema("firewall-rule", {
        "name": "str", "enabled": "bool",
        "direction": "str",       # in | out
        "profiles": "list",       # Domain, Private, Public (or Any)
        "action": "str",          # allow | block | bypass
        "protocol": "str",        # TCP | UDP | Any | ICMPv4 ...
        "local_ports": "list",    # as strings: "25", "50000-50100", "Any"
        "remote_ports": "list",
        "local_ip": "str", "remote_ip": "str", "program": "str", "group": "str",
    }, "A Windows Firewall rule from `netsh advfirewall firewall show rule name=all`."),
    FactSchema("firewall-policy", {
        "profile": "str",         # Domain | Private | Public
        "state": "str",           # on | off
        "inbound": "str",         # block | allow | blockinboundalways
        "outbound": "str",        # allow | block
    }, "A firewall profile's default policy from `netsh advfirewall show allprofiles`."),
    FactSchema("netfirewall-rule", {
        "name": "str", "display_name": "str", "enabled": "bool",
        "direction": "str",          # in | out
        "action": "str",             # allow | block | bypass | notconfigured
        "profiles": "list", "group": "str",
    }, "A Windows Firewall rule as `Get-NetFirewallRule` shows it, without its ports (those are "
       "netfirewall-port-filter facts; a rule listed with its ports is a firewall-rule fact)."),
    FactSchema("netfirewall-port-filter", {
        "rule": "str",               # the rule's Name (InstanceID), "" when the shape does not show it
        "protocol": "str", "local_ports": "list", "remote_ports": "list",
    }, "The ports of a Windows Firewall rule (`Get-NetFirewallRule | Get-NetFirewallPortFilter`)."),
]
