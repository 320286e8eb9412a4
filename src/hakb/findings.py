"""From raw ``hakb-finding`` facts to findings a person reads: merged, rendered, grouped.

Several firings of one rule (or of rules of one fault) that share an id and key are one finding:
their evidence and values are merged. The article supplies title, severity, kind and the
templates that turn the values into a summary and fix steps. Findings a rule relates
(``hakb-relate``, by id and key) form a story, which the report presents together.

Template values: ``{{ name }}`` is the value a rule gave, or all its distinct values joined by
", " when it gave several; ``each.name`` is always the list (``{% for h in each.host %}``).

Templates come with third-party packs, so :func:`render_findings` runs in the knowledge worker
(:mod:`hakb.isolation`), in Jinja's sandbox with limits on time, text and numbers
(:func:`render`); :func:`assemble` works on the written findings, as plain data, in hakb's process.
"""

from __future__ import annotations

import re
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Sequence

from functools import lru_cache
from typing import TYPE_CHECKING

from hakb.knowledge import SEVERITIES, Article
from hakb.model import Fact

if TYPE_CHECKING:
    from hakb.engine import Inference, RawFinding

SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}  # critical = 0


class Values(list):
    """The values a rule gave one name; prints as them joined by ", "."""

    def __str__(self) -> str:
        return ", ".join(str(v) for v in self)


@dataclass
class Evidence:
    artifact: str
    line: int
    text: str
    fact: str = ""
    host: str = ""

    def as_dict(self) -> dict:
        return {"artifact": self.artifact, "line": self.line, "text": self.text}


@dataclass
class Finding:
    id: str
    key: str
    title: str
    severity: str
    kind: str
    confidence: float
    summary: str
    evidence: list[Evidence]
    remediation: list[str]
    references: list[str]
    pack: str = ""  # the knowledge pack whose rules asserted it (and whose article it is)
    values: dict[str, list[Any]] = field(default_factory=dict)
    related: list[tuple[str, str]] = field(default_factory=list)
    story: int = 0

    def as_dict(self) -> dict:
        return {
            "id": self.id, "key": self.key, "title": self.title, "severity": self.severity,
            "kind": self.kind, "confidence": round(self.confidence, 3), "summary": self.summary,
            "evidence": [e.as_dict() for e in self.evidence], "remediation": list(self.remediation),
            "references": list(self.references), "story": self.story,
            "related": [{"id": i, "key": k} for i, k in self.related], "values": self.values,
            "pack": self.pack,
        }


@dataclass
class Unverified:
    rule: str
    check: str
    collect: str
    host: str
    evidence: list[Evidence]
    #: Optional question for a person (ask, choices, topic, answer_fact, answer_slot), when set.
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"rule": self.rule, "check": self.check, "collect": self.collect,
                "host": self.host or None, "evidence": [e.as_dict() for e in self.evidence],
                **self.extra}


#: Limits on one template: seconds to render, characters of text it may produce (and so of any
#: string it builds with ``*``), bits of a number it may build with ``*`` or ``**``.
TEMPLATE_SECONDS = 1.0
MAX_TEXT = 16 << 10
MAX_BITS = 4096
_WIDE_FORMAT = re.compile(r"%[-+ #0]*(\*|\d{5,})")


class _TemplateTimeout(BaseException):
    """Raised by the timer inside a template that runs too long (a BaseException, so no
    ``except Exception`` on the way can swallow it)."""


@lru_cache(maxsize=2)
def _sandbox(placeholders: bool = False):
    """Jinja's sandbox, plus limits on the operators that make much from little:
    ``'x' * 3000000000``, ``9 ** 9 ** 9``, ``'%999999999s' % x``. Intercepting them also stops
    Jinja from computing such constants while it compiles the template. (Built on first use:
    only the worker renders, and only when there is a finding.)"""
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import SandboxedEnvironment

    class LimitedSandbox(SandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**", "%"})

        def call_binop(self, context, operator, left, right):
            if operator == "**" and isinstance(left, int) and isinstance(right, int) and \
                    right > 0 and abs(left) > 1 and right * max(abs(left).bit_length(), 1) > MAX_BITS:
                raise SecurityError("the number would be too large")
            if operator == "*":
                for sequence, count in ((left, right), (right, left)):
                    if isinstance(sequence, (str, list, tuple)) and isinstance(count, int) and \
                            len(sequence) * count > MAX_TEXT:
                        raise SecurityError("the text would be too long")
                if isinstance(left, int) and isinstance(right, int) and \
                        left.bit_length() + right.bit_length() > MAX_BITS:
                    raise SecurityError("the number would be too large")
            if operator == "%" and isinstance(left, str) and _WIDE_FORMAT.search(left):
                raise SecurityError("the text would be too long")
            return super().call_binop(context, operator, left, right)

    if placeholders:
        return LimitedSandbox(autoescape=False, undefined=_placeholder_class())
    return LimitedSandbox(autoescape=False, keep_trailing_newline=False)


_compiled: dict[tuple[str, bool], Any] = {}  # (source, placeholders) -> template, or why not


def _on_alarm(signum, frame) -> None:
    raise _TemplateTimeout()


@contextmanager
def _time_limit(seconds: float):
    """Raise _TemplateTimeout in the block after ``seconds`` (main thread on POSIX; elsewhere
    the worker's deadline is the only limit)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _compile(source: str, placeholders: bool = False):
    """A compiled template, once per process (compiling costs a hundred times rendering), or
    why it does not compile."""
    from jinja2 import TemplateError

    compiled = _compiled.get((source, placeholders))
    if compiled is None:
        try:
            compiled = _sandbox(placeholders).from_string(source)
        except TemplateError as exc:
            compiled = f"template error: {str(exc)[:200]}"
        except Exception as exc:  # a third-party template may break the compiler in other ways
            compiled = f"template error: {type(exc).__name__}"
        _compiled[(source, placeholders)] = compiled
    return compiled


def render(template: str, context: dict, placeholders: bool = False,
           limit: int = MAX_TEXT) -> tuple[str, str | None]:
    """(rendered text, None), or ("", why) when the template is broken or exceeds a limit
    (:data:`TEMPLATE_SECONDS`, ``limit`` characters, memory). Never the template's source.
    With ``placeholders``, names no value was given for show as ‹name›."""
    try:
        with _time_limit(TEMPLATE_SECONDS):
            compiled = _compile(template, placeholders)
            if isinstance(compiled, str):
                return "", compiled
            text = compiled.render(context)
    except _TemplateTimeout:
        return "", f"template error: it took longer than {TEMPLATE_SECONDS:g} s"
    except MemoryError:
        return "", "template error: it needed more memory than allowed"
    except Exception as exc:  # sandbox violations and type errors in a third-party template
        from jinja2 import TemplateError
        detail = str(exc)[:200] if isinstance(exc, TemplateError) else f"{type(exc).__name__}: {str(exc)[:200]}"
        return "", f"template error: {detail}"
    if len(text) > limit:
        return "", f"template error: it produced more than {limit // 1024} KiB of text"
    return text, None


def evidence_of(fids: Sequence[int], facts: Sequence[Fact]) -> list[Evidence]:
    seen: dict[tuple[str, int], Evidence] = {}
    for fid in fids:
        if not 0 <= fid < len(facts):
            continue
        fact = facts[fid]
        item = Evidence(artifact=fact.artifact or "", line=fact.line, text=fact.text,
                        fact=fact.type, host=fact.host or "")
        seen.setdefault((item.artifact, item.line), item)  # one line proves what it proves once
    return sorted(seen.values(), key=lambda e: (e.artifact, e.line))


def _merge_values(groups: list[RawFinding]) -> dict[str, list[Any]]:
    merged: dict[str, list[Any]] = {}
    for raw in groups:
        for name, value in raw.vars:
            bucket = merged.setdefault(name, [])
            if value not in bucket and value != "":
                bucket.append(value)
    # "" means "not known here"; a name only ever unknown is left out, so templates see it as unset.
    return {name: values for name, values in merged.items() if values}


def _stories(count: int, edges: list[tuple[int, int]]) -> list[int]:
    parent = list(range(count))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in edges:
        parent[root(a)] = root(b)
    return [root(i) for i in range(count)]


def _plain_summary(title: str, why: str) -> str:
    return f"{title}. (This finding's summary could not be filled in: {why.removeprefix('template error: ')}.)"


def render_findings(inference: Inference, facts: Sequence[Fact], articles: dict[str, Article]
                    ) -> tuple[list[Finding], list[Unverified], list[tuple[str, str]]]:
    """Merge the raw findings of one run by (id, key) and write each with its article.

    Returns (findings, unverified, problems); a problem is (pack, message). A template that
    fails leaves a plain sentence in its place, never its source. Stories and order are
    :func:`assemble`'s, which works on findings of several runs.
    """
    problems: list[tuple[str, str]] = []
    groups: dict[tuple[str, str], list[RawFinding]] = {}
    for raw in inference.findings:
        groups.setdefault((raw.id, raw.key), []).append(raw)
    findings: list[Finding] = []
    for (rule_id, key), raws in groups.items():
        article = articles.get(rule_id)
        pack = raws[0].pack or (article.pack if article else "")
        if article is None:
            problems.append((pack, f"finding {rule_id!r} has no article; shown with its id as title"))
        title = article.title if article else rule_id
        values = _merge_values(raws)
        context = case_context(values, key)
        evidence = evidence_of([fid for raw in raws for fid in raw.evidence], facts)
        context["evidence"] = [e.as_dict() for e in evidence]
        summary, error = render(article.summary, context) if article else (rule_id, None)
        summary = " ".join(summary.split())
        if error:
            problems.append((pack, f"{rule_id}: summary {error}"))
            summary = _plain_summary(title, error)
        steps = []
        for number, template in enumerate(article.fix if article else (), start=1):
            text, error = render(template, context)
            text = " ".join(text.split())
            if error:
                problems.append((pack, f"{rule_id}: fix step {number} {error}"))
                text = (f"(Step {number} of this fix could not be filled in; read it with "
                        f"`hakb kb show {rule_id}`.)")
            if text:
                steps.append(text)
        for raw in raws:  # what a literal cannot show at load (hakb.strictkb) is said here
            if raw.severity and raw.severity.lower() not in SEVERITY_RANK:
                problems.append((pack, f"{rule_id}: severity {raw.severity!r} is not one of "
                                       f"{', '.join(SEVERITY_RANK)}; the article's is used"))
            if raw.confidence is not None and not 0.0 <= raw.confidence <= 1.0:
                problems.append((pack, f"{rule_id}: confidence {raw.confidence:g} is not from 0 to 1"))
        explicit = [raw.severity.lower() for raw in raws if raw.severity.lower() in SEVERITY_RANK]
        severity = (min(explicit, key=SEVERITY_RANK.__getitem__) if explicit
                    else article.severity if article else "warning")
        confidences = [raw.confidence for raw in raws if raw.confidence is not None]
        confidence = max(confidences) if confidences else (article.confidence if article else 0.5)
        findings.append(Finding(
            id=rule_id, key=key, title=title, severity=severity,
            kind=article.kind if article else "fault", confidence=min(max(confidence, 0.0), 1.0),
            summary=summary, evidence=evidence, remediation=steps,
            references=list(article.references) if article else [], pack=pack,
            values={name: list(vals) for name, vals in values.items()},
        ))
    unverified = []
    seen = set()
    for raw in inference.unverified:
        marker = (raw.rule, raw.check, raw.collect, raw.host)
        if marker in seen:
            continue
        seen.add(marker)
        unverified.append(Unverified(rule=raw.rule, check=raw.check, collect=raw.collect,
                                     host=raw.host, evidence=evidence_of(raw.evidence, facts),
                                     extra=dict(raw.extra)))
    return findings, unverified, problems


def assemble(findings: list[Finding], relations: Sequence[tuple[str, str, str, str]]) -> list[Finding]:
    """Group related findings into stories and order them: most severe story first; within a
    story, most severe finding first. Plain data in and out (runs in hakb's process)."""
    slot = {(f.id, f.key): number for number, f in enumerate(findings)}
    edges = [(slot[(a, b)], slot[(c, d)]) for a, b, c, d in relations
             if (a, b) in slot and (c, d) in slot]  # a relation to a finding that is not there: none
    roots = _stories(len(findings), edges)
    for a, b in edges:
        if a != b:
            for x, y in ((a, b), (b, a)):
                ref = (findings[y].id, findings[y].key)
                if ref not in findings[x].related:
                    findings[x].related.append(ref)
    story_rank: dict[int, tuple] = {}
    for i, finding in enumerate(findings):
        rank = (SEVERITY_RANK[finding.severity], -finding.confidence, finding.id, finding.key)
        story_rank[roots[i]] = min(story_rank.get(roots[i], rank), rank)
    order = sorted(range(len(findings)), key=lambda i: (
        story_rank[roots[i]], roots[i], SEVERITY_RANK[findings[i].severity], findings[i].id, findings[i].key))
    numbering: dict[int, int] = {}
    ordered = []
    for i in order:
        findings[i].story = numbering.setdefault(roots[i], len(numbering) + 1)
        ordered.append(findings[i])
    return ordered


def build_findings(inference: Inference, facts: Sequence[Fact],
                   articles: dict[str, Article]) -> tuple[list[Finding], list[Unverified], list[str]]:
    """Merge, render and order the findings of one run. Returns (findings, unverified, problems)."""
    findings, unverified, problems = render_findings(inference, facts, articles)
    return assemble(findings, inference.relations), unverified, [message for _, message in problems]


# -- articles for a reader (hakb kb show, SARIF rule help); in the worker, like all rendering ------

@lru_cache(maxsize=1)
def _placeholder_class():
    from jinja2 import Undefined

    class Placeholder(Undefined):
        """A value no case gave: shows as ‹name› and counts as given, so every step reads."""

        __slots__ = ()

        def __str__(self) -> str:
            return f"‹{self._undefined_name or 'value'}›"

        def __bool__(self) -> bool:
            return True

        def __iter__(self):
            yield self

        def __len__(self) -> int:
            return 1

        def __getattr__(self, name: str):
            if name.startswith("__"):
                raise AttributeError(name)
            return Placeholder(name=name)

    return Placeholder


_TAGS = re.compile(r"\{\{\s*([^}]*?)\s*\}\}|\{%.*?%\}|\{#.*?#\}", re.S)


def case_context(values: dict[str, list], key: str = "") -> dict[str, Any]:
    """What article templates see for a finding with ``values`` (see the module docstring)."""
    context: dict[str, Any] = {name: (vals[0] if len(vals) == 1 else Values(vals))
                               for name, vals in values.items()}
    context["each"] = {name: Values(vals) for name, vals in values.items()}
    context["key"] = key
    return context


def render_article(article: Article, values: dict[str, list] | None = None,
                   key: str = "") -> tuple[str, str]:
    """(summary, Markdown body) of ``article`` with its templates filled: with a case's
    ``values``, or, without, with readable placeholders (‹holder›) where values would go.
    Never shows template syntax: a template that fails leaves placeholders instead.
    Runs in the knowledge worker (:func:`hakb.isolation.read_knowledge`), with :func:`render`'s
    limits."""
    context = {} if values is None else case_context(values, key)

    def fill(source: str, limit: int) -> str:
        text, error = render(source, context, placeholders=values is None, limit=limit)
        if error:  # a third party's broken template: placeholders, not its source
            return _TAGS.sub(lambda m: f"‹{m.group(1).split('|')[0].strip()}›" if m.group(1) else "",
                             source)
        return text

    return " ".join(fill(article.summary, MAX_TEXT).split()), fill(article.body, 64 * MAX_TEXT)
