"""Knowledge packs: rule files (.clp) checked before loading, and the articles (.md) beside them.

An article is Markdown with YAML front matter::

    ---
    id: vmware-locked-vmdk          # what rules put in (hakb-finding (id ...))
    title: Virtual disk locked by another host
    severity: error                 # critical | error | warning | info
    kind: fault                     # fault | expected-behaviour | design
    confidence: 0.9                 # default for its findings, 0..1
    products: [VMware ESXi]
    summary: "{{ file }} is locked by {{ host or mac }}"
    references: ["https://..."]
    collect: ["vmkfstools -D <disk>", ...]   # optional: what to collect first (hakb triage)
    ---
    # Title
    ## Symptoms / ## Cause / ## Fix

The numbered items under ``## Fix`` are the remediation steps. Summary and steps are Jinja
templates rendered (sandboxed) with the values the rule put in ``vars``; a step that renders
empty is left out, so a step can apply only when a value is known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from typing import Mapping

from hakb.engine import FORBIDDEN_FUNCTIONS, Session
from hakb.model import FactSchema, KnowledgePack

#: libyaml's safe loader when PyYAML was built with it (twice as fast), else the pure one.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

SEVERITIES = ("critical", "error", "warning", "info")
KINDS = ("fault", "expected-behaviour", "design")
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n(.*)\Z", re.S)
_FIX_HEADING = re.compile(r"^##\s+(fix|remediation|resolution)\b", re.I)
_STEP = re.compile(r"^\s{0,3}\d+[.)]\s+(.*)$")


class KnowledgeError(Exception):
    """A pack or article is malformed or unsafe."""


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    severity: str
    kind: str
    confidence: float
    products: tuple[str, ...]
    references: tuple[str, ...]
    summary: str
    fix: tuple[str, ...]
    body: str
    pack: str
    path: Path
    #: What to collect first when a ticket points at this fault (front matter ``collect:``).
    collect: tuple[str, ...] = ()


@dataclass
class KnowledgeBase:
    """What the packs offer once checked: articles by id, rule files to load, and refusals."""

    articles: dict[str, Article] = field(default_factory=dict)
    rule_files: list[tuple[str, Path]] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)
    packs: list[KnowledgePack] = field(default_factory=list)


def parse_article(text: str, pack: str, path: Path) -> Article:
    """An article from its Markdown source; raises KnowledgeError naming what is wrong."""
    match = _FRONT_MATTER.match(text.replace("\r\n", "\n"))
    if not match:
        raise KnowledgeError(f"{path.name}: no front matter (a '---' block at the top)")
    try:
        meta = yaml.load(match.group(1), Loader=_YAML_LOADER) or {}
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path.name}: front matter is not valid YAML: {exc}") from exc
    if not isinstance(meta, dict):
        raise KnowledgeError(f"{path.name}: front matter must be a mapping")
    missing = [k for k in ("id", "title", "severity") if not meta.get(k)]
    if missing:
        raise KnowledgeError(f"{path.name}: front matter lacks {', '.join(missing)}")
    severity = str(meta["severity"]).lower()
    if severity not in SEVERITIES:
        raise KnowledgeError(f"{path.name}: severity {severity!r} is not one of {', '.join(SEVERITIES)}")
    kind = str(meta.get("kind", "fault")).lower()
    if kind not in KINDS:
        raise KnowledgeError(f"{path.name}: kind {kind!r} is not one of {', '.join(KINDS)}")
    try:
        confidence = float(meta.get("confidence", 1.0))
    except (TypeError, ValueError) as exc:
        raise KnowledgeError(f"{path.name}: confidence must be a number") from exc
    if not 0.0 <= confidence <= 1.0:
        raise KnowledgeError(f"{path.name}: confidence must be between 0 and 1")
    body = match.group(2)
    collect = meta.get("collect") or []
    collect = collect if isinstance(collect, list) else [collect]
    return Article(
        id=str(meta["id"]), title=str(meta["title"]), severity=severity, kind=kind,
        confidence=confidence, products=tuple(str(p) for p in meta.get("products") or ()),
        references=tuple(str(r) for r in meta.get("references") or ()),
        summary=str(meta.get("summary") or meta["title"]), fix=tuple(fix_steps(body)),
        body=body, pack=pack, path=path,
        collect=tuple(str(c) for c in collect),
    )


def fix_steps(body: str) -> list[str]:
    """The numbered items of the article's Fix section, continuation lines joined."""
    steps: list[str] = []
    inside = False
    for line in body.splitlines():
        if line.startswith("#"):
            inside = bool(_FIX_HEADING.match(line))
            continue
        if not inside:
            continue
        step = _STEP.match(line)
        if step:
            steps.append(step.group(1).strip())
        elif steps and line.strip():
            steps[-1] += " " + line.strip()
    return steps


def _strip_comments_and_strings(source: str) -> str:
    """CLIPS source with comments and string contents blanked, line structure kept."""
    out = []
    i, n = 0, len(source)
    in_string = False
    while i < n:
        ch = source[i]
        if in_string:
            if ch == "\\" and i + 1 < n:
                out.append("  " if source[i + 1] != "\n" else " \n")
                i += 2
                continue
            if ch == '"':
                in_string = False
            out.append(ch if ch in '"\n' else " ")
        elif ch == '"':
            in_string = True
            out.append(ch)
        elif ch == ";":
            while i < n and source[i] != "\n":
                out.append(" ")
                i += 1
            continue
        else:
            out.append(ch)
        i += 1
    return "".join(out)


_CALL = re.compile(r"\(\s*([^\s()\"&|~;<>]+)")
_DEFRULE = re.compile(r"\(\s*defrule\s+([^\s()\";]+)", re.I)


def forbidden_mentions(source: str) -> dict[str, list[int]]:
    """Forbidden function names standing after a parenthesis, with their lines.

    Text alone cannot tell a call from a slot of the same name (``(build ?b)`` in a pattern),
    so these are candidates; :func:`vet_rules` asks CLIPS which of them are calls.
    """
    found: dict[str, list[int]] = {}
    code = _strip_comments_and_strings(source)
    forbidden = set(FORBIDDEN_FUNCTIONS)
    for number, line in enumerate(code.splitlines(), start=1):
        for match in _CALL.finditer(line):
            name = match.group(1).lower()
            if name in forbidden:
                found.setdefault(name, []).append(number)
    return found


def _confirmed_calls(path: Path, names: set[str], schemas: Mapping[str, FactSchema]) -> set[str]:
    """Which of ``names`` CLIPS parses as function calls in the rule file at ``path``.

    The file is loaded into a scratch environment that lacks the forbidden functions, so a call
    to one fails to parse with "Missing function declaration for '<name>'"; a slot of that
    name parses fine.
    """
    session = Session(schemas)
    session.load_rules("vetting", path)
    messages = " ".join(session.errors.get("vetting", []))
    return {name for name in names if f"Missing function declaration for '{name}'" in messages}


def vet_rules(source: str, filename: str, path: Path | None = None,
              schemas: Mapping[str, FactSchema] | None = None) -> list[str]:
    """Reasons to refuse a rule file: calls to forbidden functions, each with its line(s).

    Without ``schemas`` every mention counts (strict); with them, CLIPS confirms which
    mentions are calls, so a slot that happens to share a forbidden name is accepted.
    """
    mentions = forbidden_mentions(source)
    if mentions and schemas is not None and path is not None:
        confirmed = _confirmed_calls(path, set(mentions), schemas)
        mentions = {name: lines for name, lines in mentions.items() if name in confirmed}
    return [f"{filename}:{line}: calls forbidden function '{name}'"
            for name, lines in sorted(mentions.items(), key=lambda item: item[1][0]) for line in lines]


def rule_names(source: str) -> list[str]:
    return _DEFRULE.findall(_strip_comments_and_strings(source))


def load_knowledge(packs: list[KnowledgePack],
                   schemas: Mapping[str, FactSchema] | None = None) -> KnowledgeBase:
    """Read and check every pack. A refused pack is listed in ``errors``; the others still load.

    ``schemas`` (all fact schemas in play) lets the check tell calls from same-named slots.
    """
    kb = KnowledgeBase(packs=list(packs))
    owners: dict[str, str] = {}  # rule name -> pack, to refuse silent redefinition across packs
    for pack in packs:
        problems: list[str] = []
        articles: dict[str, Article] = {}
        rules: list[Path] = []
        names: dict[str, str] = {}
        root = Path(pack.path)
        if not root.is_dir():
            kb.errors[pack.name] = [f"pack folder {root} does not exist"]
            continue
        for md in sorted(root.rglob("*.md")):
            if md.name.lower() == "readme.md":
                continue
            try:
                article = parse_article(md.read_text(encoding="utf-8"), pack.name, md)
            except (KnowledgeError, UnicodeDecodeError, OSError) as exc:
                problems.append(str(exc))
                continue
            if article.id in kb.articles or article.id in articles:
                problems.append(f"{md.name}: article id {article.id!r} is already used")
                continue
            articles[article.id] = article
        for clp in sorted(root.rglob("*.clp")):
            try:
                source = clp.read_text(encoding="utf-8")
            except (UnicodeDecodeError, OSError) as exc:
                problems.append(f"{clp.name}: cannot read: {exc}")
                continue
            if not clp.with_suffix(".md").exists():
                problems.append(f"{clp.name}: has no article beside it ({clp.with_suffix('.md').name})")
            problems.extend(vet_rules(source, clp.name, clp, schemas))
            for name in rule_names(source):
                owner = owners.get(name) or names.get(name)
                if owner:
                    problems.append(f"{clp.name}: rule {name!r} is already defined in {owner}")
                names[name] = f"{pack.name}/{clp.name}"
            rules.append(clp)
        if problems:
            kb.errors[pack.name] = problems
            continue
        owners.update(names)
        kb.articles.update(articles)
        kb.rule_files.extend((pack.name, path) for path in rules)
    return kb
