"""Exchange plugin: Exchange Management Shell output, Transporter Suite traces, RPC Client Access
logs, Outlook's About text and file version, Office's uninstall entries and certificate files in;
the exchange pack (2007 clustering, 2010 DAGs, client access, certificates and federation, Edge
transport, migrations and Outlook) out."""

from importlib.resources import files

from hakb import KnowledgePack, Plugin
from hakb.plugins.exchange import (exchange_lists, federation_list, office, office_reg_query,
                                   outlook_about, outlook_files,
                                   powershell, rpc_client_access, schemas, transporter, x509)

plugin = Plugin(
    modules=(schemas, powershell, exchange_lists, federation_list, office, office_reg_query, outlook_files, transporter, x509,
             rpc_client_access, outlook_about),
    packs=[KnowledgePack("exchange", files("hakb.kb") / "exchange",
                                "Exchange 2007/2010 high availability, client access, certificates, federation, Edge transport, migrations and Outlook")],
)
