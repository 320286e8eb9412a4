"""SQL Server plugin: availability group listeners and the Azure load balancer in front of them;
the sql pack out."""

from importlib.resources import files

from hakb import KnowledgePack, Plugin
from hakb.plugins.sql import azure_sql, schemas

plugin = Plugin(
    modules=(schemas, azure_sql),
    packs=[KnowledgePack("sql", files("hakb.kb") / "sql",
                                "SQL Server availability group listeners behind load balancers")],
)
