"""Exchange plugin: Exchange Management Shell output in, the exchange pack (2007 clustering,
2010 DAGs) out."""

from importlib.resources import files

from hakb import KnowledgePack, hookimpl
from hakb.plugins.exchange import powershell, schemas

MODULES = (schemas, powershell)


@hookimpl
def hakb_fact_schemas():
    return [s for module in MODULES for s in getattr(module, "SCHEMAS", ())]


@hookimpl
def hakb_parsers():
    return [p for module in MODULES for p in getattr(module, "PARSERS", ())]


@hookimpl
def hakb_knowledge_packs():
    return [KnowledgePack("exchange", files("hakb.kb") / "exchange",
                          "Exchange 2007 clustered mailbox servers and Exchange 2010 DAG faults")]
