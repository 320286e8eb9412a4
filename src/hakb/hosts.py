"""Which host each fact is about: folder names, what artifacts say of themselves, one name per host.

Engineers name folders after hosts (``esx03/``), tools name them in prompts and headers, and the
same machine appears as ``esx01`` in one file and ``esx01.lab.example`` in another. The rules join
facts by host, so the core settles this once, before the rules run:

* a fact keeps the host its parser or its section's prompt named;
* otherwise it gets its artifact's host: what the artifact says of itself (a ``host-name`` fact:
  ``hostname``, systeminfo's Host Name, a transcript's Machine line; one host only), else the host its folders
  name (:func:`folder_host`), else what a sibling artifact in the same folder says of itself,
  else ``--host``;
* a short name and its FQDN are one host everywhere (:func:`canonical_names`).
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from typing import Iterable, Sequence

from hakb.model import Fact

#: Folder names found inside bundles that never name a host.
GENERIC_FOLDERS = frozenset({
    "commands", "var", "log", "logs", "run", "etc", "vmfs", "volumes", "tmp", "temp", "scratch", "usr",
    "proc", "json", "reconstruct", "action-logs", "output", "outputs", "collected", "collection",
    "examples", "example", "samples", "sample", "bundle", "bundles", "case", "cases", "ticket",
    "tickets", "support", "data", "export", "exports", "files", "home", "users", "desktop",
    "downloads", "documents", "evidence", "attachments", "inbox", "facts", "hakb", "report",
    "reports", "config", "configs", "backup", "backups", "dumps", "traces", "screenshots",
})
_LABEL = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")
_TICKET = re.compile(r"^(?:inc|req|chg|sr|cs|case|ticket|prb|ritm|task|wo|im|rfc|sd|tt)[-_ ]?\d", re.I)
_FILE_SUFFIXES = frozenset({"log", "txt", "tgz", "gz", "zip", "tar", "json", "csv", "xml", "html", "md",
                            "d", "old", "bak", "conf", "cfg", "ini", "reg", "evtx", "etl", "dmp"})


def _labels(name: str) -> list[str] | None:
    name = name.strip().rstrip(".")
    labels = name.split(".")
    if not name or len(name) > 253 or not all(_LABEL.match(label) for label in labels):
        return None
    return labels


def is_host_name(name: str) -> bool:
    """True for a folder name that can name a host found inside a bundle: a valid host name that
    is not a generic folder word, a ticket number, a date or a file name.

    >>> [is_host_name(n) for n in ("esx03", "vcns-manager", "commands", "INC0042-acmebank", "2026-11-20")]
    [True, True, False, False, False]
    """
    labels = _labels(name)
    if labels is None:
        return False
    first = labels[0]
    if first.lower() in GENERIC_FOLDERS or _TICKET.match(first) or not any(c.isalpha() for c in first):
        return False
    if len(labels) > 1 and (labels[-1].lower() in _FILE_SUFFIXES or not labels[-1].isalpha()):
        return False
    return True


def looks_like_host(name: str) -> bool:
    """True for a folder given on the command line (or wrapping an archive) that names a host.
    Such folders are often named after a case or an example, so the test is stricter: a host
    name ending in a digit (``esx03``, ``EX-MBX-01``) or a fully qualified name.

    >>> [looks_like_host(n) for n in ("esx03", "esx01.lab.example", "locked-vmdk", "case-2026-11-20")]
    [True, True, False, False]
    """
    if not is_host_name(name):
        return False
    labels = _labels(name) or []
    if len(labels) >= 2:
        return len(labels[-1]) >= 2
    first = labels[0]
    return first[-1].isdigit() and first.count("-") <= 2 and not re.search(r"\d{4}", first)


def short_name(name: str) -> str:
    """The first label, lower case: ``EX01.example.com`` -> ``ex01`` (an IP address stays whole)."""
    text = (name or "").strip().rstrip(".")
    if re.fullmatch(r"[\d.]+|[0-9a-fA-F:]+", text):
        return text.lower()
    return text.split(".")[0].lower()


def canonical_names(names: Iterable[str]) -> dict[str, str]:
    """Each spelling of a host -> the one name shown and joined on.

    Names with the same short name are one host when at most one fully qualified name is among
    them; it becomes the name (as first written), else the short name as first written. Two
    different FQDNs sharing a short name stay apart.

    >>> canonical_names(["esx01", "ESX01.lab.example", "esx02"])
    {'esx01': 'ESX01.lab.example', 'ESX01.lab.example': 'ESX01.lab.example', 'esx02': 'esx02'}
    """
    groups: dict[str, list[str]] = defaultdict(list)
    for name in names:
        if name and name not in groups[short_name(name)]:
            groups[short_name(name)].append(name)
    mapping: dict[str, str] = {}
    for spellings in groups.values():
        fqdns = list(dict.fromkeys(n for n in spellings if "." in n.strip(".") and not n[0].isdigit()))
        distinct = {n.lower().rstrip(".") for n in fqdns}
        if len(distinct) > 1:
            for name in spellings:  # keep FQDNs apart; a short name alone is ambiguous
                mapping[name] = name
            continue
        chosen = fqdns[0] if fqdns else spellings[0]
        for name in spellings:
            mapping[name] = chosen
    return mapping


def _folder(artifact_name: str) -> str:
    return artifact_name.rsplit("/", 1)[0] if "/" in artifact_name else ""


def assign_hosts(results: Sequence, default: str | None = None) -> list[Fact]:
    """Every fact of ``results`` (parsing results in order) with its host settled, and each
    result's artifact host set to the canonical name too. See the module docstring."""
    said: dict[str, str] = {}
    for result in results:
        named = [str(f.slots["name"]) for f in result.facts if f.type == "host-name" and f.slots.get("name")]
        # An artifact naming several hosts (a Get-VMHost listing of a cluster) names none of itself.
        if named and len({short_name(n) for n in named}) == 1:
            said[result.artifact.name] = named[0]
    by_folder: dict[str, set[str]] = defaultdict(set)
    for name, host in said.items():
        by_folder[_folder(name)].add(short_name(host))
    sibling: dict[str, str] = {}
    for name, host in said.items():
        if len(by_folder[_folder(name)]) == 1:
            sibling.setdefault(_folder(name), host)

    def artifact_host(result) -> str | None:
        name = result.artifact.name
        return said.get(name) or result.artifact.host or sibling.get(_folder(name)) or default

    def shown_host(result, host: str | None) -> str | None:
        """The host shown for the artifact: its own, else the one host all its facts name."""
        if host:
            return host
        named = {f.host for f in result.facts}
        return named.pop() if len(named) == 1 else None

    hosts = {id(r): artifact_host(r) for r in results}
    # Spellings in order of trust: what the content says (parsers, prompts, artifacts naming
    # themselves), then folder names; the first spelling of a host is the one shown.
    spellings = [f.host for r in results for f in r.facts if f.host]
    spellings += list(said.values()) + [h for h in hosts.values() if h]
    canonical = canonical_names(spellings)
    facts: list[Fact] = []
    for result in results:
        host = hosts[id(result)]
        for fact in result.facts:
            chosen = fact.host or host
            chosen = canonical.get(chosen, chosen) if chosen else None
            facts.append(fact if chosen == fact.host else dataclasses.replace(fact, host=chosen))
        result.facts = facts[len(facts) - len(result.facts):]
        shown = shown_host(result, canonical.get(host, host) if host else None)
        if shown != result.artifact.host:
            result.artifact = dataclasses.replace(result.artifact, host=shown)
    return facts
