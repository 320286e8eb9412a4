"""Fact types of the messaging plugin. Rules in kb/messaging match on these names and slots.

Host names and FQDNs in slots named ``fqdn``, ``target``, ``server``-like slots are kept as written;
rules compare them lower-cased. Times are Unix seconds (taken as UTC when the source gives no
zone) with an ``_iso`` twin for people.
"""

from hakb import FactSchema
from hakb.plugins.registry.schemas import OFFICE_PRODUCT, OFFICE_UPDATE

SCHEMAS = [
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
        "ports": "list",               # the bound ports as integers
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
    }, "An Edge subscription's state as `Test-EdgeSynchronization | fl` shows it."),
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
    FactSchema("spn-registration", {
        "spn": "str",              # as written
        "service_class": "str",    # lower case: http, exchangemdb, exchangerfr, exchangeab, host, ...
        "target": "str",           # the host part, lower case
        "port": "int",
        "account": "str",          # the account (DN) the SPN is registered on
    }, "A service principal name on an account, from `setspn -L`, `-Q` or `-X` output."),
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
    FactSchema("rpc-client-session", {
        "client_name": "str",     # the mailbox's legacyExchangeDN
        "software": "str",        # OUTLOOK.EXE
        "version": "str", "major": "int", "client_build": "int",
        "mode": "str",            # Classic | Cached
        "client_ip": "str", "server_ip": "str",
        "operation": "str", "rpc_status": "str", "failures": "str",
        "time": "str",
    }, "An Outlook connection in an Exchange 2010 RPC Client Access log (first one per client and version)."),
    FactSchema("dns-lookup", {
        "name": "str",            # the name asked for, lower case
        "addresses": "list",
        "aliases": "list",
        "dns_server": "str", "dns_server_address": "str",
    }, "An answer in `nslookup` output: which addresses a name resolves to, and from which server."),
    OFFICE_PRODUCT,
    OFFICE_UPDATE,
]
