"""``hakb plugins``, ``hakb schemas`` and ``hakb parse``: what plugins offer, for their authors."""

from __future__ import annotations

import click

from hakb.cli.common import dumps, echo


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def plugins(as_json: bool) -> None:
    """List loaded plugins, their versions and the hooks each implements.

    HAKB_LOAD_PLUGINS=name,name (or `plugins` in the config file) limits which plugins load
    (empty: none).
    """
    from hakb.plugin_manager import describe, get_plugin_manager

    from hakb.hookspecs import API_VERSION

    pm = get_plugin_manager()
    infos = describe(pm)
    if not as_json:
        echo(f"plugin API version {API_VERSION} (hakb.hookspecs)")
    if as_json:
        rows = [{"name": i.name, "version": i.version, "hooks": list(i.hooks)} for i in infos]
        rows += [{"name": name, "version": pm.versions.get(name), "hooks": [], "error": message}
                 for name, message in sorted(pm.load_errors.items())]
        echo(dumps(rows), raw=True)
        return
    if not infos and not pm.load_errors:
        echo("No plugins loaded.")
    for info in infos:
        echo(f"{info.name} {info.version or ''}".rstrip())
        echo(f"  hooks: {', '.join(info.hooks) or '(none)'}")
    for name, message in sorted(pm.load_errors.items()):
        echo(f"{name}: NOT LOADED: {message}")


@click.command()
@click.argument("names", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def schemas(names, as_json: bool) -> None:
    """List fact types and their slots (what rules can match), e.g. `hakb schemas host-nic`.

    The templates hakb itself defines (hakb-finding, hakb-relate, hakb-unverified, hakb-case:
    what rules assert and read) are listed too; every plugin fact type also has the
    provenance slots fid, host, artifact and line.
    """
    from hakb.plugin_manager import fact_schemas, get_plugin_manager

    found = {**core_templates(), **fact_schemas(get_plugin_manager())}
    chosen = [found[n] for n in sorted(found) if not names or n in names]
    unknown = sorted(set(names) - set(found))
    if unknown:
        raise click.BadParameter(f"no fact type {', '.join(unknown)}; `hakb schemas` lists them",
                                 param_hint="NAMES")
    if as_json:
        echo(dumps([{"name": s.name, "slots": dict(s.slots), "doc": s.doc} for s in chosen]), raw=True)
        return
    for schema in chosen:
        echo(f"{schema.name}: {schema.doc}".rstrip(": "))
        for slot, kind in schema.slots.items():
            echo(f"  {slot:24} {kind}")


def core_templates() -> dict:
    """hakb's own templates (:data:`hakb.engine.CORE_CONSTRUCTS`) as schemas, for listing:
    slot types are CLIPS's (STRING, INTEGER, ...), a multislot is a list."""
    import re

    from types import SimpleNamespace

    from hakb.engine import CORE_CONSTRUCTS

    found = {}
    for source in CORE_CONSTRUCTS:
        name = re.search(r"deftemplate\s+(\S+)", source).group(1)
        doc = " ".join(re.search(r'"(.*?)"', source, re.S).group(1).split())
        slots = {}
        for kind, slot, rest in re.findall(r"\((slot|multislot)\s+([\w-]+)([^()]*(?:\([^()]*\)[^()]*)*)\)", source):
            types = re.search(r"\(type ([^)]*)\)", rest)
            slots[slot] = "list" if kind == "multislot" else (types.group(1).lower() if types else "any")
        # not a FactSchema: hakb- names are reserved to the core, and the types are CLIPS's
        found[name] = SimpleNamespace(name=name, slots=slots, doc=f"(hakb) {doc}")
    return found


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("--host", metavar="NAME", help="Host for files whose path names none.")
def parse(paths, host) -> None:
    """Print the facts parsers make of PATHS (JSON lines); for plugin authors.

    Each fact is shown as the rules get it: sections, recognition, schema checks and redaction
    as in `hakb diagnose`, every slot typed by its schema. A parser whose facts do not fit
    their schema fails its artifact (shown on stderr with the parser, file and line).
    """
    from hakb.bundle import collect, work_folder
    from hakb.hosts import assign_hosts
    from hakb.parsing import parse_artifact
    from hakb.plugin_manager import fact_schemas, get_plugin_manager, parsers

    pm = get_plugin_manager()
    known = fact_schemas(pm)
    available = parsers(pm, known)
    with work_folder() as workdir:
        inventory = collect(list(paths), workdir)
        results = [parse_artifact(artifact, available, known) for artifact in inventory.artifacts]
        assign_hosts(results, default=host)
        for result in results:
            artifact = result.artifact
            echo(f"# {artifact.name}: {result.status} {result.parser or ''} {result.message or ''}",
                 err=True)
            for fact in result.facts:
                echo(dumps({"type": fact.type, "host": fact.host, "artifact": fact.artifact,
                            "line": fact.line, "slots": engine_view(known[fact.type], fact.slots),
                            "text": fact.text}, indent=None), raw=True)


def engine_view(schema, slots) -> dict:
    """A fact's slots as the engine gets them: typed by the schema (an int in a float slot is a
    float), every slot present ("" for text not given, null for the nil of other types)."""
    from hakb.facttypes import typed_slots

    typed = typed_slots(schema, slots)
    shown = {}
    for name, kind in schema.slots.items():
        value = typed.get(name, "" if kind == "str" else ([] if kind == "list" else None))
        if kind == "float" and isinstance(value, int):
            value = float(value)  # the engine holds it as a float
        elif kind == "list":
            value = list(value)
        shown[name] = value
    return shown
