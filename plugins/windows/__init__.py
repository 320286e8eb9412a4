"""Windows plugin: systeminfo, failover cluster, NLB, event log and network output in; the
windows (clustering, NLB) and sql (availability group listeners) packs out."""

from importlib.resources import files

from hakb import KnowledgePack, hookimpl
from hakb.plugins.windows import clusterlog, events, network, nlb, powershell, schemas, systeminfo

MODULES = (schemas, systeminfo, powershell, network, nlb, clusterlog, events)


@hookimpl
def hakb_fact_schemas():
    return [s for module in MODULES for s in getattr(module, "SCHEMAS", ())]


@hookimpl
def hakb_parsers():
    return [p for module in MODULES for p in getattr(module, "PARSERS", ())]


@hookimpl
def hakb_knowledge_packs():
    return [KnowledgePack("windows", files("hakb.kb") / "windows",
                          "Windows failover clustering and Network Load Balancing faults"),
            KnowledgePack("sql", files("hakb.kb") / "sql",
                          "SQL Server availability group listeners behind load balancers")]
