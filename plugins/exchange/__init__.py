"""Exchange plugin (being written)."""

from hakb import hookimpl
from hakb.plugins.exchange import schemas

MODULES = (schemas,)


@hookimpl
def hakb_fact_schemas():
    return [s for module in MODULES for s in getattr(module, "SCHEMAS", ())]


@hookimpl
def hakb_parsers():
    return [p for module in MODULES for p in getattr(module, "PARSERS", ())]
