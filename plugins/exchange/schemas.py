"""Fact types of the exchange plugin: servers, clustering and DAGs, client access, certificates,
transport, migrations and the Outlook clients Exchange serves. Rules in kb/exchange match on
these names and slots.

Host names and FQDNs in slots named ``fqdn``, ``target``, ``server``-like slots are kept as written;
rules compare them lower-cased. Times are Unix seconds (taken as UTC when the source gives no
zone) with an ``_iso`` twin for people.
"""

from hakb import FactSchema

OFFICE_PRODUCT = FactSchema("office-product", {
    "product": "str",          # "Microsoft Office Enterprise 2007", "Microsoft Office Outlook 2007"
    "edition": "str",          # Enterprise | Professional Plus | Ultimate | Outlook | Standard | ...
    "licence": "str",          # volume | retail | trial | "" when not known
    "major": "int",            # 12 = 2007, 14 = 2010, 15 = 2013
    "version": "str",          # the product's version (Office's, or Outlook's own when known)
    "version_build": "int",    # third component of version (a slot named "build" would trip the pack vetter)
    "outlook_version": "str",  # Outlook's own build when the source shows it (Help > About)
    "outlook_build": "int",
    "includes_outlook": "bool",
    "product_code": "str",     # {90120000-0030-0000-0000-0000000FF1CE}
    "source": "str",           # uninstall-key | help-about | file-version (OUTLOOK.EXE) | msi-product (wmic)
}, "An installed Office product or Outlook: its uninstall entry, Outlook's About text, OUTLOOK.EXE's version, wmic.")

OFFICE_UPDATE = FactSchema("office-update", {
    "kb": "str",               # "2458611"
    "name": "str",             # the update's display name
    "product_code": "str",     # the product it patches
}, "An Office update (hotfix, cumulative update, service pack) listed under Uninstall.")


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
        "source": "str",                 # the shape it was read from: fl | table | csv | json | clixml
        "listing": "str",                # the command whose output listed it ("" without a prompt): one
                                         # transcript holds several listings, which may name a copy each
    }, "A mailbox database copy (`Get-MailboxDatabaseCopyStatus`)."),
    FactSchema("exchange-replication-check", {
        "server": "str", "check": "str", "result": "str", "error": "str", "passed": "bool",
    }, "One check of `Test-ReplicationHealth`."),
    FactSchema("exchange-cms-status", {
        "name": "str",                   # the clustered mailbox server (Identity), e.g. CMS01
        "fqdn": "str",                   # ClusteredMailboxServerName
        "state": "str",                  # Online | Offline | PartialOnline | Failed | Pending ...
        "operational_machines": "list",  # the nodes that are up for it, without their <roles>
        "active_node": "str",            # the one marked <Active>
        "quorum_owner": "str",           # the one marked <Quorum Owner>
        "failed_resources": "list",
        "failed_replication_hosts": "list",
    }, "An Exchange 2007 clustered mailbox server's state (`Get-ClusteredMailboxServerStatus`)."),
    FactSchema("exchange-sg-copy", {
        "server": "str",                 # the clustered mailbox server (CMS01 of CMS01\\SG1), "" when not shown
        "storage_group": "str",
        "status": "str",                 # SummaryCopyStatus: Healthy | Failed | Suspended | Seeding ...
        "copy_queue": "int", "replay_queue": "int",
        "last_inspected": "str", "last_inspected_epoch": "int",
        "failed_message": "str", "suspend_comment": "str",
        "failed": "bool", "suspended": "bool",   # the Failed and Suspend flags, when shown
    }, "An Exchange 2007 storage group copy (CCR or SCR) as `Get-StorageGroupCopyStatus` shows it."),

    FactSchema("transporter-error", {
        "kind": "str",       # fetch-parse-error | readline-null
        "level": "str",      # Error | Warning | Information (the trace level word)
        "process": "str",    # mmc.exe
        "folder": "str",     # the IMAP folder the message names (INBOX), "" if none
        "exception": "str",  # TransporterException | TransporterTransientException | ""
        "message": "str",
    }, "A Microsoft Transporter Suite trace line reporting an IMAP migration failure."),
    FactSchema("certificate", {
        "thumbprint": "str",       # SHA-1 of the DER certificate, upper-case hex
        "subject": "str", "issuer": "str",
        "domains": "list",         # CertificateDomains, or the file's SAN DNS names and subject CN
                                   # ([] when the shape hides them: Export-Csv writes a type name)
        "services": "list",        # IIS, SMTP, IMAP, POP, UM, Federation ("None" dropped)
        "not_before": "int", "not_before_iso": "str",
        "not_after": "int", "not_after_iso": "str",
        "self_signed": "bool",
        "has_private_key": "bool", # nil when the source cannot tell (a certificate file)
        "root_ca_type": "str",     # ThirdParty | Enterprise | GroupPolicy | Registry | None | Unknown
        "status": "str",           # Valid | DateInvalid | Untrusted | RevocationCheckFailure | ...
        "server": "str",           # from Identity (SERVER\THUMBPRINT) when shown
        "source": "str",           # get-exchangecertificate | x509-pem | x509-der
    }, "An X.509 certificate, from Get-ExchangeCertificate or a PEM/DER file."),
    FactSchema("federation-trust", {
        "name": "str", "org_certificate": "str", "org_prev_certificate": "str",
        "token_issuer_uri": "str", "application_uri": "str",
    }, "A federation trust as `Get-FederationTrust | fl` shows it (certificates by thumbprint)."),
    FactSchema("client-access-server", {
        "name": "str", "site": "str",
        "autodiscover_internal_uri": "str",
        "autodiscover_fqdn": "str",   # the host part of that URI, lower case
    }, "A Client Access server as `Get-ClientAccessServer | fl` shows it."),
    FactSchema("cas-array", {
        "name": "str", "fqdn": "str", "site": "str", "members": "list",
    }, "A Client Access array (`Get-ClientAccessArray`)."),
    FactSchema("exchange-url", {
        "server": "str",
        "service": "str",   # owa | ews | ecp | oab | activesync | autodiscover | outlook-anywhere | powershell
        "scope": "str",     # internal | external
        "url": "str",
        "fqdn": "str",      # host part, lower case
    }, "A URL or host name Exchange hands to clients (virtual directories, Outlook Anywhere)."),
    FactSchema("receive-connector", {
        "identity": "str", "name": "str", "server": "str",
        "bindings": "list",            # 0.0.0.0:25, [::]:25, ...
        "ports": "list",               # the bound ports as integers ([] when the shape hides the bindings)
        "permission_groups": "list",   # AnonymousUsers, ExchangeUsers, ExchangeServers, Partners, ...
        "auth_mechanism": "list",
        "anonymous": "bool",           # AnonymousUsers is among the permission groups
        "fqdn": "str",
        "enabled": "bool",
        "default_kind": "str",         # edge-default | hub-default | hub-client | "" (by the default names)
        "transport_role": "str",
    }, "A receive connector as `Get-ReceiveConnector | fl` shows it."),
    FactSchema("send-connector", {
        "name": "str", "fqdn": "str",
        "address_spaces": "list", "smart_hosts": "list", "source_servers": "list",
        "enabled": "bool",
        "when_changed": "int", "when_changed_iso": "str",
    }, "A send connector as `Get-SendConnector | fl` shows it."),
    FactSchema("accepted-domain", {
        "name": "str", "domain_name": "str", "domain_type": "str", "default": "bool",
        "when_changed": "int", "when_changed_iso": "str",
    }, "An accepted domain as `Get-AcceptedDomain | fl` shows it."),
    FactSchema("edgesync-status", {
        "name": "str",                # the Edge server
        "sync_status": "str",         # Normal | Skipped | Failed | ...
        "connection_result": "str",   # Succeeded | InvalidCredentials | ...
        "failure_detail": "str",
        "last_sync": "int", "last_sync_iso": "str",
    }, "An Edge subscription's state (`Test-EdgeSynchronization`), or only its Edge's name (`Get-EdgeSubscription`)."),
    FactSchema("mailbox-database", {
        "name": "str", "server": "str",
        "rpc_client_access_server": "str",   # as written (a CAS or CAS array FQDN)
    }, "A mailbox database as `Get-MailboxDatabase | fl Name,Server,RpcClientAccessServer` shows it."),
    FactSchema("mailbox-move", {
        "mailbox": "str",            # DisplayName, else Identity/Alias
        "alias": "str",
        "status": "str",             # Completed | CompletedWithWarning | InProgress | Failed | ...
        "source_database": "str", "target_database": "str",
        "source_server": "str", "target_server": "str",
        "completed": "int", "completed_iso": "str",
    }, "A mailbox move as `Get-MoveRequestStatistics | fl` shows it."),
    FactSchema("rpc-client-session", {
        "client_name": "str",     # the mailbox's legacyExchangeDN
        "software": "str",        # OUTLOOK.EXE
        "version": "str", "major": "int", "client_build": "int",
        "mode": "str",            # Classic | Cached
        "client_ip": "str", "server_ip": "str",
        "operation": "str", "rpc_status": "str", "failures": "str",
        "time": "str",
    }, "An Outlook connection in an Exchange 2010 RPC Client Access log (first one per client and version)."),
    OFFICE_PRODUCT,
    OFFICE_UPDATE,
]
