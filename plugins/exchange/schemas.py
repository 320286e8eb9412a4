"""Fact types of the exchange plugin. ``exchange-server`` is shared with other plugins' rules."""

from hakb import FactSchema

SCHEMAS = [
    FactSchema("exchange-server", {
        "name": "str",
        "version": "str",            # dotted build, e.g. "14.1.218.15" (from AdminDisplayVersion)
        "major": "int",              # 8 = 2007, 14 = 2010, 15 = 2013
        "minor": "int",              # service pack level: 14.0 RTM, 14.1 SP1, ...
        "build": "int",              # 218 in 14.1.218.15
        "edition": "str",
        "roles": "list",             # ["Mailbox", "ClientAccess", "HubTransport", "Edge", "UnifiedMessaging"]
        "site": "str",
        "fqdn": "str",               # EX01.example.com when the output has Fqdn
        "clustered": "bool",         # IsMemberOfCluster (Exchange 2007), nil when not shown
    }, "An Exchange server as `Get-ExchangeServer | fl` shows it."),
    FactSchema("exchange-mailbox-server", {
        "name": "str",               # the (clustered) mailbox server, e.g. CMS01
        "storage_type": "str",       # ClusteredStorageType as written: NonShared | Shared | Disabled
        "kind": "str",               # CCR (NonShared) | SCC (Shared) | standalone (Disabled)
        "redundant_machines": "list",  # the cluster nodes that can run it
        "node_count": "int",
        "dag": "str",                # DatabaseAvailabilityGroup (Exchange 2010) when shown
    }, "A Mailbox server as `Get-MailboxServer | fl Name,ClusteredStorageType,RedundantMachines` shows it."),
]
