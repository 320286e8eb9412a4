"""Knowledge packs: the articles (.md) and rule files (.clp) of a pack folder, read safely.

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
    vars: [mac]                     # optional: names templates use that no rule's (vars) gives
    collect: ["vmkfstools -D <disk>", ...]   # optional: what to collect first (hakb triage)
    ---
    # Title
    ## Symptoms / ## Cause / ## Fix

The numbered items under ``## Fix`` are the remediation steps. Summary and steps are Jinja
templates rendered (sandboxed) with the values the rule put in ``vars``; a step that renders
empty is left out, so a step can apply only when a value is known.

Packs come from third parties, so this module runs in the knowledge worker
(:mod:`hakb.isolation`), never in hakb's own process, and still trusts nothing: front matter is
read by a safe YAML loader with limits on size, aliases and nesting, and must have the shape
above. What reading a pack yields is plain data, kept in an on-disk cache keyed by the hash of
the pack's files (:func:`read_pack`), so an unchanged pack is not parsed again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from hakb import __version__
from hakb.model import KnowledgePack

SEVERITIES = ("critical", "error", "warning", "info")
KINDS = ("fault", "expected-behaviour", "design")
#: Limits on what one article may be: its size, its front matter's size, YAML aliases, nesting.
MAX_ARTICLE_BYTES = 1 << 20
MAX_FRONT_MATTER_BYTES = 64 << 10
MAX_ALIASES = 16
MAX_DEPTH = 8
#: Bump when what the cache holds changes shape; older entries are then ignored.
#: 2: articles carry ``collect`` (what to collect first). 3: lists left out of the front matter
#: are empty (format 2 entries may hold a "()" item for them). 4: strict checks
#: (hakb.strictkb) and declared ``vars``.
CACHE_FORMAT = 4

_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n(.*)\Z", re.S)
_FIX_HEADING = re.compile(r"^##\s+(fix|remediation|resolution)\b", re.I)
_STEP = re.compile(r"^\s{0,3}\d+[.)]\s+(.*)$")
_STRING_OR_COMMENT = re.compile(r'"(?:[^"\\]|\\.)*(?:"|\Z)|;[^\n]*', re.S)
_NAME = re.compile(r"(?<![\w?$*-])[A-Za-z][\w-]*")


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
    #: names the article's templates may use beyond those the pack's rules give (``vars:``)
    declared: tuple[str, ...] = ()
    #: What to collect first when a ticket points at this fault (front matter ``collect:``).
    collect: tuple[str, ...] = ()


@dataclass
class KnowledgeBase:
    """What the packs offer once checked: articles by id, rule files to load, and refusals."""

    articles: dict[str, Article] = field(default_factory=dict)
    rule_files: list[tuple[str, Path]] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)
    packs: list[KnowledgePack] = field(default_factory=list)
    #: pack -> the names its rule files use (fact types among them), to enter only those facts
    mentions: dict[str, frozenset[str]] = field(default_factory=dict)
    #: article id -> (summary, Markdown body), written in the worker when asked for
    texts: dict[str, tuple[str, str]] = field(default_factory=dict)


# -- articles ------------------------------------------------------------------------------------

def _front_matter(text: str, name: str) -> dict:
    """Front matter as a mapping, refused when it is too big, too nested or uses many aliases
    (an alias bomb is a few hundred bytes that expand to gigabytes)."""
    import yaml  # only when an article is read, not from the cache

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's when PyYAML has it: faster
    if len(text) > MAX_FRONT_MATTER_BYTES:
        raise KnowledgeError(f"{name}: front matter is larger than {MAX_FRONT_MATTER_BYTES // 1024} KiB")
    aliases = depth = 0
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > MAX_ALIASES:
                    raise KnowledgeError(f"{name}: front matter uses more than {MAX_ALIASES} YAML aliases")
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise KnowledgeError(f"{name}: front matter is nested deeper than {MAX_DEPTH} levels")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
        meta = yaml.load(text, Loader=loader) or {}
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{name}: front matter is not valid YAML: {exc}") from exc
    if not isinstance(meta, dict):
        raise KnowledgeError(f"{name}: front matter must be a mapping")
    return meta


def _text(meta: dict, key: str, name: str, default: str = "") -> str:
    value = meta.get(key, default)
    if value is None:
        return default
    if isinstance(value, (dict, list)):
        raise KnowledgeError(f"{name}: {key} must be text, not a {type(value).__name__}")
    return str(value)


def _texts(meta: dict, key: str, name: str) -> tuple[str, ...]:
    value = meta.get(key)
    if value is None or value == "" or value == []:
        return ()
    items = value if isinstance(value, list) else [value]
    if any(isinstance(item, (dict, list)) for item in items):
        raise KnowledgeError(f"{name}: {key} must be a list of text")
    return tuple(str(item) for item in items)


def parse_article(text: str, pack: str, path: Path) -> Article:
    """An article from its Markdown source; raises KnowledgeError naming what is wrong."""
    match = _FRONT_MATTER.match(text.replace("\r\n", "\n"))
    if not match:
        raise KnowledgeError(f"{path.name}: no front matter (a '---' block at the top)")
    meta = _front_matter(match.group(1), path.name)
    missing = [k for k in ("id", "title", "severity") if not meta.get(k)]
    if missing:
        raise KnowledgeError(f"{path.name}: front matter lacks {', '.join(missing)}")
    severity = _text(meta, "severity", path.name).lower()
    if severity not in SEVERITIES:
        raise KnowledgeError(f"{path.name}: severity {severity!r} is not one of {', '.join(SEVERITIES)}")
    kind = _text(meta, "kind", path.name, "fault").lower()
    if kind not in KINDS:
        raise KnowledgeError(f"{path.name}: kind {kind!r} is not one of {', '.join(KINDS)}")
    try:
        confidence = float(meta.get("confidence", 1.0))
    except (TypeError, ValueError) as exc:
        raise KnowledgeError(f"{path.name}: confidence must be a number") from exc
    if not 0.0 <= confidence <= 1.0:
        raise KnowledgeError(f"{path.name}: confidence must be between 0 and 1")
    body = match.group(2)
    title = _text(meta, "title", path.name)
    return Article(
        id=_text(meta, "id", path.name), title=title, severity=severity, kind=kind,
        confidence=confidence, products=_texts(meta, "products", path.name),
        references=_texts(meta, "references", path.name),
        summary=_text(meta, "summary", path.name) or title, fix=tuple(fix_steps(body)),
        body=body, pack=pack, path=path, declared=_texts(meta, "vars", path.name),
        collect=_texts(meta, "collect", path.name),
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


# -- rule files ------------------------------------------------------------------------------------

def code_of(source: str) -> str:
    """CLIPS source with comments removed and string contents blanked (line breaks kept)."""
    return _STRING_OR_COMMENT.sub(
        lambda m: '""' + "\n" * m.group(0).count("\n") if m.group(0)[0] == '"' else "", source)


def mentioned_names(source: str) -> frozenset[str]:
    """The names a rule file uses outside strings and comments (``MAIN::x`` counts as ``x``).

    A fact type a pack's rules can match is always named in them, so the facts of types not in
    here can be left out of that pack's environment.
    """
    return frozenset(_NAME.findall(code_of(source).replace("::", " ")))


# -- packs -----------------------------------------------------------------------------------------

@dataclass
class PackReading:
    """What one pack folder holds, checked on its own (no other pack is needed to know it)."""

    articles: list[Article] = field(default_factory=list)
    rule_files: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    mentions: frozenset[str] = frozenset()
    #: the names the rule files give findings (``(vars name ...)``), for the template checks
    given: frozenset[str] = frozenset()


def cache_folder() -> Path:
    """HAKB_CACHE, else the user's cache folder (XDG_CACHE_HOME, %LOCALAPPDATA%, ~/Library/Caches)."""
    if os.environ.get("HAKB_CACHE"):
        return Path(os.environ["HAKB_CACHE"])
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "hakb" / "cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "hakb"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "hakb"


def _files(root: Path) -> tuple[list[Path], list[Path]]:
    markdown = sorted(p for p in root.rglob("*.md") if p.name.lower() != "readme.md")
    return markdown, sorted(root.rglob("*.clp"))


def _read(pack: KnowledgePack, root: Path, contents: dict[Path, bytes]) -> PackReading:
    reading = PackReading()
    markdown, rules = _files(root)
    ids: set[str] = set()
    for md in markdown:
        try:
            data = contents[md]
            if len(data) > MAX_ARTICLE_BYTES:
                raise KnowledgeError(f"{md.name}: larger than {MAX_ARTICLE_BYTES >> 20} MiB")
            article = parse_article(data.decode("utf-8"), pack.name, md)
        except (KnowledgeError, UnicodeDecodeError) as exc:
            reading.problems.append(str(exc) if isinstance(exc, KnowledgeError) else f"{md.name}: not UTF-8")
            continue
        if article.id in ids:
            reading.problems.append(f"{md.name}: article id {article.id!r} is already used")
            continue
        ids.add(article.id)
        reading.articles.append(article)
    names: set[str] = set()
    for clp in rules:
        try:
            source = contents[clp].decode("utf-8")
        except UnicodeDecodeError:
            reading.problems.append(f"{clp.name}: not UTF-8")
            continue
        if clp.with_suffix(".md") not in contents:
            reading.problems.append(f"{clp.name}: has no article beside it ({clp.with_suffix('.md').name})")
        names |= mentioned_names(source)
        reading.rule_files.append(clp)
    reading.mentions = frozenset(names)
    reading.problems += _strict_problems(reading, contents)
    if not markdown and not rules:
        reading.problems.append(f"the pack folder {root.name} holds no rules (.clp) or articles (.md): "
                                "were they left out of the package data?")
    return reading


def _strict_problems(reading: PackReading, contents: dict[Path, bytes]) -> list[str]:
    """Literal severities and confidences no finding can have (:mod:`hakb.strictkb`); also
    notes the names the rules give templates (``reading.given``), which :func:`load_knowledge`
    checks the templates against."""
    from hakb.strictkb import conclusion_problems, vars_names

    problems: list[str] = []
    given: set[str] = set()
    for clp in reading.rule_files:
        source = contents[clp].decode("utf-8")
        given |= vars_names(source)
        problems += conclusion_problems(source, clp.name, SEVERITIES)
    reading.given = frozenset(given)
    return problems


def _cache_entry(reading: PackReading, root: Path) -> dict:
    return {"format": CACHE_FORMAT, "problems": reading.problems, "mentions": sorted(reading.mentions),
            "given": sorted(reading.given),
            "rules": [str(p.relative_to(root)) for p in reading.rule_files],
            "articles": [{**asdict(a), "path": str(a.path.relative_to(root))} for a in reading.articles]}


def _from_cache(entry: dict, pack: KnowledgePack, root: Path) -> PackReading:
    """A reading from a cache entry; any deviation from the expected shape raises, and the
    caller then reads the pack afresh. The entry is data only: nothing in it is executed."""
    if entry.get("format") != CACHE_FORMAT:
        raise ValueError("other cache format")
    articles = []
    for item in entry["articles"]:
        values = {k: item[k] for k in ("id", "title", "severity", "kind", "summary", "body")}
        if not all(isinstance(v, str) for v in values.values()) or values["severity"] not in SEVERITIES:
            raise ValueError("bad article in cache")
        articles.append(Article(
            **values, confidence=float(item["confidence"]),
            products=tuple(map(str, item["products"])), references=tuple(map(str, item["references"])),
            fix=tuple(map(str, item["fix"])), pack=pack.name, path=root / str(item["path"]),
            declared=tuple(map(str, item["declared"])),
            collect=tuple(map(str, item["collect"]))))
    return PackReading(articles=articles, rule_files=[root / str(p) for p in entry["rules"]],
                       problems=[str(p) for p in entry["problems"]],
                       mentions=frozenset(map(str, entry["mentions"])),
                       given=frozenset(map(str, entry["given"])))


def read_pack(pack: KnowledgePack, cache: Path | None = None) -> PackReading:
    """Read and check one pack folder, using the cache when its files are unchanged.

    The cache key is the hash of every article and rule file (names and bytes) and hakb's
    version; an entry that cannot be read or does not have the expected shape is ignored.
    """
    root = Path(pack.path)
    if not root.is_dir():
        return PackReading(problems=[f"pack folder {root} does not exist"])
    markdown, rules = _files(root)
    contents: dict[Path, bytes] = {}
    digest = hashlib.sha256(f"hakb {__version__} cache {CACHE_FORMAT}".encode())
    for path in markdown + rules:
        try:
            contents[path] = path.read_bytes()
        except OSError as exc:
            return PackReading(problems=[f"{path.name}: cannot read: {exc.strerror or exc}"])
        digest.update(b"\0" + str(path.relative_to(root)).encode() + b"\0" + contents[path])
    entry_path = (cache if cache is not None else cache_folder()) / "packs" / f"{digest.hexdigest()}.json"
    try:
        return _from_cache(json.loads(entry_path.read_bytes()), pack, root)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass  # no entry, or one we do not trust: read the pack
    reading = _read(pack, root, contents)
    try:
        entry_path.parent.mkdir(parents=True, exist_ok=True)
        partial = entry_path.with_name(f"{entry_path.name}.{os.getpid()}.partial")
        partial.write_text(json.dumps(_cache_entry(reading, root)), encoding="utf-8")
        partial.replace(entry_path)
    except OSError:
        pass  # a cache that cannot be written only costs time
    return reading


def load_knowledge(packs: list[KnowledgePack]) -> KnowledgeBase:
    """Read and check every pack (articles, rule files); a refused pack is listed in ``errors``,
    the others still load. An article id already used by an earlier pack refuses the later pack.

    This reads files and runs no rule: whether CLIPS accepts the rules is checked where they
    load, in the worker (:func:`hakb.isolation.read_knowledge` does both, and is what hakb
    itself calls: third-party front matter is not parsed in hakb's process).
    """
    from hakb.strictkb import TemplateNames, template_problems

    kb = KnowledgeBase(packs=list(packs))
    names = TemplateNames(cache_folder())
    readings = [(pack, read_pack(pack)) for pack in packs]
    # Packs loaded together share findings (one distribution), so any of their rules may give
    # a value one of their articles uses.
    given = frozenset().union(*(reading.given for _, reading in readings))
    for pack, reading in readings:
        problems = list(reading.problems)
        for article in reading.articles:
            problems += template_problems(article, given, article.declared, names)
        problems += [f"{a.path.name}: article id {a.id!r} is already used by pack {kb.articles[a.id].pack}"
                     for a in reading.articles if a.id in kb.articles]
        if problems:
            kb.errors[pack.name] = problems
            continue
        kb.articles.update((a.id, a) for a in reading.articles)
        kb.rule_files.extend((pack.name, path) for path in reading.rule_files)
        kb.mentions[pack.name] = reading.mentions
    names.save()
    return kb
