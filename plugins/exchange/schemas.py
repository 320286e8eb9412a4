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

SCHEMAS += [
    FactSchema("exchange-dag", {
        "name": "str",
        "servers": "list",
        "member_count": "int",
        "witness_server": "str",
        "witness_directory": "str",
        "alternate_witness_server": "str",
        "alternate_witness_directory": "str",
        "operational_servers": "list",
        "primary_active_manager": "str",
        "witness_share_in_use": "str",   # Primary | Alternate | None | InvalidConfiguration ("" without -Status)
        "witness_failed": "bool",        # a WARNING line said the witness is in a failed state
        "warning": "str",                # that WARNING line
    }, "A database availability group (`Get-DatabaseAvailabilityGroup [-Status] | fl`)."),
    FactSchema("exchange-dag-network", {
        "dag": "str", "name": "str", "subnets": "list", "interfaces": "list",
        "mapi_access": "bool", "replication": "bool",
    }, "A DAG network (`Get-DatabaseAvailabilityGroupNetwork | fl`)."),
    FactSchema("exchange-db-copy", {
        "database": "str", "server": "str",
        "status": "str",                 # Mounted | Healthy | Failed | FailedAndSuspended | Suspended ...
        "copy_queue": "int", "replay_queue": "int",
        "content_index": "str",          # Healthy | Failed | Crawling ...
        "last_inspected": "str",
        "last_inspected_epoch": "int",
        "source": "str",                 # fl | table
    }, "A mailbox database copy (`Get-MailboxDatabaseCopyStatus`)."),
    FactSchema("exchange-replication-check", {
        "server": "str", "check": "str", "result": "str", "error": "str", "passed": "bool",
    }, "One check of `Test-ReplicationHealth`."),
]
