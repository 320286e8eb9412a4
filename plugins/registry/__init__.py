"""Windows registry plugin: regedit exports in, registry keys, values and Office products out."""

from hakb import hookimpl
from hakb.plugins.registry import regedit, schemas

MODULES = (schemas, regedit)


@hookimpl
def hakb_fact_schemas():
    return [s for module in MODULES for s in getattr(module, "SCHEMAS", ())]


@hookimpl
def hakb_parsers():
    return [p for module in MODULES for p in getattr(module, "PARSERS", ())]
