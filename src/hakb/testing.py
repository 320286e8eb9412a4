"""Testing parsers and rules through the real pipe: hakb's own tests use it, and so can plugins.

Everything here runs what ``hakb diagnose`` runs, so a test that passes here passes in a real
run: text is read section by section (:mod:`hakb.sections`), recognised by the parsers' own
``recognise``, checked against the fact schemas (typed slots: :mod:`hakb.facttypes`) and
redacted, and the hosts are settled (:func:`hakb.hosts.assign_hosts`); bundles and facts go
through the knowledge worker like any case::

    from hakb.testing import assert_finding, diagnose_bundle, fact, parse_text, run_facts

    facts = parse_text(my_parser, SAMPLE, name="esx01/hostd.log")   # one parser, real pipe
    case = run_facts([fact("vmfs-lock", mode=1, file="a.vmdk")])    # rules over given facts
    case = diagnose_bundle("examples/locked-vmdk", plugins=["vmware"])
    assert_finding(case, "vmware-locked-vmdk", holder_host="esx02")

The same helpers are pytest fixtures (``hakb_parse``, ``hakb_diagnose``, ``hakb_run_facts``,
``hakb_assert_finding``, ``hakb_golden``: see :mod:`hakb.pytest_plugin`). To call one parser's
``parse`` function alone, without recognition, schema checks or redaction, there is
:func:`run_parser_alone`, named so that nobody mistakes it for the real thing.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import os
import re
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from hakb.diagnosis import Diagnosis, diagnose, diagnose_facts
from hakb.findings import Finding
from hakb.model import Artifact, Fact, ParseError, Parser

__all__ = [
    "Parsed", "parse", "parse_text", "parse_file", "parse_bytes", "run_parser_alone",
    "plugin_manager", "diagnose_bundle", "fact", "run_facts", "findings_of", "only_finding",
    "assert_finding", "normalised_report", "check_golden",
]


class Parsed(list):
    """The facts a reading made (a list), with what became of each artifact in ``results``
    (:class:`hakb.parsing.ArtifactResult`: status, parser, message, sections)."""

    def __init__(self, facts: Iterable[Fact], results: Sequence) -> None:
        super().__init__(facts)
        self.results = list(results)

    def of(self, fact_type: str) -> list[Fact]:
        """The facts of one type, in order."""
        return [f for f in self if f.type == fact_type]

    def __repr__(self) -> str:
        if self:
            return super().__repr__()
        why = "; ".join(f"{r.artifact.name}: {r.status}" + (f" ({r.message})" if r.message else "")
                        for r in self.results)
        return f"[]  # no facts: {why or 'nothing was read'}"


# -- which plugins ---------------------------------------------------------------------------------

def plugin_manager(plugins: Sequence[object | str] | None = None, builtins: bool = False):
    """A plugin manager with only ``plugins``: entry-point names (``"acme-ntp"``) and plugin
    objects not installed (``Plugin(...)``, or a module), plus hakb's own plugins when
    ``builtins``. ``plugins=None`` loads every installed plugin (as ``hakb diagnose`` does).

    A name that is not installed is an error here, not a silently empty run."""
    from hakb.plugin_manager import builtin_plugin_names, get_plugin_manager, installed_plugin_names

    if plugins is None:
        return get_plugin_manager()
    names = {p for p in plugins if isinstance(p, str)}
    objects = tuple(p for p in plugins if not isinstance(p, str))
    missing = sorted(names - installed_plugin_names())
    if missing:
        raise LookupError(f"plugin {', '.join(missing)} is not installed (the names are entry points of "
                          "the group 'hakb'; `pip install -e .` the plugin's package, `hakb plugins` "
                          "lists what is installed)")
    if builtins:
        names |= builtin_plugin_names()
    return get_plugin_manager(extra=objects, names=names)


# -- parsing -----------------------------------------------------------------------------------------

def _parsers_of(pm, parsers) -> tuple[list[Parser], dict]:
    from hakb.plugin_manager import fact_schemas
    from hakb.plugin_manager import parsers as all_parsers

    schemas = fact_schemas(pm)
    if parsers is None:
        chosen = all_parsers(pm, schemas)
    else:
        chosen = [parsers] if isinstance(parsers, Parser) else list(parsers)
    if pm.load_errors:
        raise AssertionError(f"plugins failed to load: {pm.load_errors}")
    return chosen, schemas


def _read(artifacts: list[Artifact], chosen, schemas, host, raises: bool) -> Parsed:
    from hakb.hosts import assign_hosts
    from hakb.parsing import parse_artifact

    results = [parse_artifact(artifact, chosen, schemas) for artifact in artifacts]
    facts = assign_hosts(results, default=host)
    failed = [r for r in results if r.status == "error"]
    if failed and raises:
        raise ParseError("; ".join(f"{r.artifact.name}: {r.message}" if len(results) > 1 else str(r.message)
                                   for r in failed))
    return Parsed(facts, results)


def parse(source: str | bytes | os.PathLike, parsers: Parser | Sequence[Parser] | None = None, *,
          plugins: Sequence[object | str] | None = None, builtins: bool = False,
          name: str = "artifact.txt", host: str | None = None, raises: bool = True) -> Parsed:
    """The facts of ``source`` as a diagnosis reads them: text (``str``) or raw bytes (any
    encoding) as if collected as ``name`` (``"esx03/hostd.log"``: the folder names the host,
    as in a bundle), or a file, folder or archive (a ``Path``).

    Read with ``parsers`` (one or several; default: every parser of the plugins in play) and
    the schemas of ``plugins`` (see :func:`plugin_manager`). An artifact that fails (a
    :class:`ParseError`, a fact that does not fit its schema) raises ParseError with the
    message a user would see, unless ``raises=False``; what became of each artifact is in the
    result's ``results``."""
    chosen, schemas = _parsers_of(plugin_manager(plugins, builtins), parsers)
    with tempfile.TemporaryDirectory(prefix="hakb-test-") as folder:
        if isinstance(source, (str, bytes)):
            from hakb.bundle import host_from_parts

            path = Path(folder) / "input" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(source.encode("utf-8") if isinstance(source, str) else source)
            parts = tuple(part for part in re.split(r"[\\/]", name) if part)
            artifacts = [Artifact(name=name, path=path, host=host_from_parts(parts),
                                  size=path.stat().st_size)]
        else:
            from hakb.bundle import collect

            inventory = collect([os.fspath(source)], Path(folder))
            artifacts = inventory.artifacts
        return _read(artifacts, chosen, schemas, host, raises)


def parse_text(parser: Parser | Sequence[Parser], text: str, name: str = "artifact.txt",
               host: str | None = None, **options) -> Parsed:
    """The facts ``parser`` makes of ``text`` in a real run (see :func:`parse`): a parser that
    does not recognise it makes none."""
    return parse(text, parser, name=name, host=host, **options)


def parse_file(parser: Parser | Sequence[Parser], path: os.PathLike, host: str | None = None,
               **options) -> Parsed:
    """Like :func:`parse_text` for a file (or folder, or archive) on disk."""
    return parse(Path(path), parser, host=host, **options)


def parse_bytes(parser: Parser | Sequence[Parser], data: bytes, name: str = "artifact.txt",
                host: str | None = None, **options) -> Parsed:
    """Like :func:`parse_text` for raw bytes (any encoding, or binary) collected as ``name``."""
    return parse(bytes(data), parser, name=name, host=host, **options)


def run_parser_alone(parser: Parser, source: str | bytes | os.PathLike, name: str = "artifact.txt",
                     host: str | None = None) -> list[Fact]:
    """``parser.parse`` called directly on all of ``source`` (text, raw bytes, or a file read by
    the real decoder): **not** the real pipe. No sections, no recognition, no schema check, no
    redaction, no host settling; for testing a parse function's corner cases. Prefer
    :func:`parse_text`, which reads as a diagnosis does: a parser tested only this way may
    behave differently in a real run (it may be given one section of a file, not all of it)."""
    from hakb.textio import iter_chunks, iter_lines, lines_of

    if isinstance(source, str):
        artifact = Artifact(name=name, path=Path(name), host=host, size=len(source))
        return [dataclasses.replace(f, artifact=name, host=f.host or host)
                for f in parser.parse(lines_of(source), artifact)]
    with tempfile.TemporaryDirectory(prefix="hakb-test-") as folder:
        if isinstance(source, bytes):
            path = Path(folder) / Path(name).name
            path.write_bytes(source)
        else:
            path = Path(source)
            name = path.name
        artifact = Artifact(name=name, path=path, host=host, size=path.stat().st_size)
        stream = iter_chunks(path) if parser.binary else iter_lines(path)
        return [dataclasses.replace(f, artifact=name, host=f.host or host)
                for f in parser.parse(stream, artifact)]


# -- diagnosing ----------------------------------------------------------------------------------------

def _strict(case: Diagnosis) -> Diagnosis:
    """Fail on what a clean case never has: refused or failed packs, plugins that did not load,
    artifacts that failed."""
    bad = [(a.artifact.name, a.message) for a in case.artifacts if a.status == "error"]
    if case.errors or bad:
        raise AssertionError(f"the diagnosis had problems: errors {case.errors}; failed artifacts {bad}")
    return case


def diagnose_bundle(*paths: str | os.PathLike, plugins: Sequence[object | str] | None = None,
                    builtins: bool = False, packs: Sequence[os.PathLike] = (), host: str | None = None,
                    as_of: datetime | None = None, strict: bool = True) -> Diagnosis:
    """Diagnose folders, files or archives as ``hakb diagnose`` does, with only ``plugins`` (and
    hakb's own when ``builtins``; see :func:`plugin_manager`) and pack folders ``packs`` (as
    ``--pack``). With ``strict`` (the default) a case with errors (a refused pack, a failed
    artifact, a plugin that did not load) fails the test, saying what they were."""
    from hakb.plugin_manager import add_pack_folders

    pm = plugin_manager(plugins, builtins)
    add_pack_folders(pm, [Path(p) for p in packs])
    case = diagnose([os.fspath(p) for p in paths], host=host, pm=pm, as_of=as_of)
    return _strict(case) if strict else case


def fact(fact_type: str, /, line: int = 1, text: str = "", host: str | None = None,
         artifact: str = "test-input.txt", **slots) -> Fact:
    """A hand-made fact for rule tests: ``fact("vmfs-lock", mode=1, file="a.vmdk")``.

    The fact type is positional-only, so a slot may be called ``type``. :func:`run_facts`
    checks it against its schema as a parser's facts are checked.
    """
    return Fact(type=fact_type, slots=slots, line=line, text=text or f"{fact_type} {slots}",
                host=host, artifact=artifact)


def run_facts(facts: Iterable[Fact], plugins: Sequence[object | str] | tuple = (),
              as_of: datetime | None = None, *, only: bool = False, builtins: bool = False) -> Diagnosis:
    """Run the knowledge over ``facts``: every installed pack plus the plugin objects in
    ``plugins``; with ``only``, or when ``plugins`` names entry points (``["acme-ntp"]``), just
    ``plugins`` (and hakb's own when ``builtins``).

    Each fact is first checked against its schema, as the pipe checks a parser's facts: a fact
    of an unknown type or with a slot value of the wrong type fails here, naming it."""
    from hakb.engine import slot_values
    from hakb.plugin_manager import fact_schemas, get_plugin_manager

    plugins = tuple(plugins)
    only = only or any(isinstance(p, str) for p in plugins)
    pm = plugin_manager(plugins, builtins) if only else get_plugin_manager(extra=plugins)
    schemas = fact_schemas(pm)
    facts = list(facts)
    for number, item in enumerate(facts):
        schema = schemas.get(item.type)
        if schema is None:
            raise ValueError(f"fact {number} ({item.type!r}): no plugin in play declares this fact type")
        try:
            slot_values(schema, item, number)
        except (ValueError, TypeError, OverflowError) as exc:
            raise ValueError(f"fact {number}: {exc}") from None
    return diagnose_facts(facts, pm=pm, as_of=as_of)


# -- asserting -------------------------------------------------------------------------------------

def findings_of(case: Diagnosis, finding_id: str) -> list[Finding]:
    """Every finding of ``case`` with ``finding_id`` (one per key)."""
    return [f for f in case.findings if f.id == finding_id]


def only_finding(case: Diagnosis, finding_id: str) -> Finding:
    """The single finding with ``finding_id``; fails with what was found instead."""
    found = findings_of(case, finding_id)
    if len(found) != 1:
        summary = [(f.id, f.key) for f in case.findings]
        raise AssertionError(f"expected one {finding_id!r} finding, got {len(found)}; all: {summary}; "
                             f"errors: {case.errors}")
    return found[0]


def _matches(given: list, expected: Any) -> bool:
    if isinstance(expected, (list, tuple)):
        return list(given) == list(expected)
    return len(given) == 1 and given[0] == expected


def assert_finding(case: Diagnosis, finding_id: str, key: str | None = None, *,
                   severity: str | None = None, **values) -> Finding:
    """The one finding ``finding_id`` (with ``key``, when given) whose values are ``values``:
    ``assert_finding(case, "ntp-drift", server="pool1", offset_ms=1523.0)``. A value given as a
    list must be all the finding's values of that name, in order; otherwise the finding must
    have that one value. Fails saying what the findings were."""
    found = [f for f in findings_of(case, finding_id) if key is None or f.key == key]
    if len(found) != 1:
        every = [(f.id, f.key) for f in case.findings]
        raise AssertionError(f"expected one {finding_id!r} finding{f' with key {key!r}' if key is not None else ''}, "
                             f"got {len(found)}; findings: {every}; errors: {case.errors}")
    finding = found[0]
    wrong = {name: finding.values.get(name, "(not given)") for name, expected in values.items()
             if not _matches(finding.values.get(name, []), expected)}
    if wrong:
        raise AssertionError(f"finding {finding_id!r} ({finding.key}): expected {values}, but it has "
                             f"{ {name: finding.values.get(name) for name in values} } "
                             f"(all values: {finding.values})")
    if severity is not None and finding.severity != severity:
        raise AssertionError(f"finding {finding_id!r}: severity {finding.severity!r}, expected {severity!r}")
    return finding


# -- golden files ------------------------------------------------------------------------------------

_VOLATILE = {"case_id": "<case id>", "created": "<created>", "hakb_version": "<hakb version>"}


def normalised_report(case: Diagnosis | Mapping, roots: Iterable[os.PathLike] = ()) -> dict:
    """A case's JSON report without what changes from run to run: case id, creation time,
    hakb's version, the as-of time when it was only "now", and absolute paths (``roots``, the
    case's inputs, the temporary folder and the home folder become ``<input>``, ``<tmp>``, ``~``)."""
    report = case.as_dict() if isinstance(case, Diagnosis) else json.loads(json.dumps(case, default=str))
    if report.get("as_of") and report.get("as_of") == report.get("created"):
        report["as_of"] = "<created>"
    for name, placeholder in _VOLATILE.items():
        if report.get(name):
            report[name] = placeholder
    inputs = [str(i) for i in report.get("inputs", [])]
    replacements = [(str(Path(r)), "<input>") for r in roots]
    replacements += [(i.rstrip("/\\"), "<input>") for i in inputs if os.path.isabs(i)]
    replacements += [(tempfile.gettempdir(), "<tmp>"), (str(Path.home()), "~")]
    replacements = sorted({a: b for a, b in replacements if len(a) > 1}.items(), key=lambda r: -len(r[0]))

    def scrub(value):
        if isinstance(value, str):
            for old, new in replacements:
                value = value.replace(old, new)
            return value
        if isinstance(value, list):
            return [scrub(v) for v in value]
        if isinstance(value, dict):
            return {k: scrub(v) for k, v in value.items()}
        return value

    return scrub(report)


def check_golden(case: Diagnosis | Mapping, path: os.PathLike, update: bool = False,
                 roots: Iterable[os.PathLike] = ()) -> None:
    """Compare the case's normalised JSON report (:func:`normalised_report`) with the golden
    file ``path``; fails with a diff. With ``update`` (pytest ``--hakb-update-golden``) the file
    is written instead; a missing file is written and the test fails once, asking for a look."""
    path = Path(path)
    text = json.dumps(normalised_report(case, roots), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if update or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if not update:
            raise AssertionError(f"golden file {path} did not exist and was written; check it and keep it")
        return
    stored = path.read_text(encoding="utf-8")
    if stored != text:
        diff = "".join(difflib.unified_diff(stored.splitlines(True), text.splitlines(True),
                                            f"{path.name} (golden)", f"{path.name} (this run)", n=2))
        raise AssertionError(f"the case differs from {path} (refresh with --hakb-update-golden):\n{diff}")
