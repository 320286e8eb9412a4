"""Messaging plugin: migration traces, Outlook clients, Kerberos SPNs, certificates, Edge transport.

Parsers for the Transporter Suite, Outlook's About text, RPC Client Access logs, setspn, nslookup,
netsh advfirewall, X.509 files and the Exchange Format-List output these rules need; the
``messaging`` knowledge pack (kb/messaging) holds the rules and articles.
"""

from importlib.resources import files

from hakb import KnowledgePack, hookimpl
from hakb.plugins.messaging import (exchange_lists, firewall, nslookup, outlook_about, rpc_client_access,
                                    schemas, setspn, transporter, x509)

MODULES = (schemas, transporter, x509, setspn, firewall, rpc_client_access, outlook_about, nslookup,
           exchange_lists)


@hookimpl
def hakb_fact_schemas():
    return [s for module in MODULES for s in getattr(module, "SCHEMAS", ())]


@hookimpl
def hakb_parsers():
    return [p for module in MODULES for p in getattr(module, "PARSERS", ())]


@hookimpl
def hakb_knowledge_packs():
    return [KnowledgePack("messaging", files("hakb.kb") / "messaging",
                          "Transporter migrations, Outlook and the archive, Kerberos SPNs, "
                          "certificates, federation and Edge transport")]
