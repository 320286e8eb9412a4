"""From raw ``hakb-finding`` facts to findings a person reads: merged, rendered, grouped.

Several firings of one rule (or of rules of one fault) that share an id and key are one finding:
their evidence and values are merged. The article supplies title, severity, kind and the
templates that turn the values into a summary and fix steps. Findings a rule relates
(``hakb-relate``, by id and key) form a story, which the report presents together.

Template values: ``{{ name }}`` is the value a rule gave, or all its distinct values joined by
", " when it gave several; ``each.name`` is always the list (``{% for h in each.host %}``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Sequence

from jinja2 import TemplateError, Undefined
from jinja2.sandbox import SandboxedEnvironment

from hakb.engine import Inference, RawFinding
from hakb.knowledge import SEVERITIES, Article
from hakb.model import Fact

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
    pack: str = ""
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
        }


@dataclass
class Unverified:
    rule: str
    check: str
    collect: str
    host: str
    evidence: list[Evidence]

    def as_dict(self) -> dict:
        return {"rule": self.rule, "check": self.check, "collect": self.collect,
                "host": self.host or None, "evidence": [e.as_dict() for e in self.evidence]}


_templates = SandboxedEnvironment(autoescape=False, keep_trailing_newline=False)


def render(template: str, context: dict) -> tuple[str, str | None]:
    """(rendered text, error or None). A broken template yields its source and the error."""
    try:
        return " ".join(_templates.from_string(template).render(context).split()), None
    except TemplateError as exc:
        return template, f"template error: {exc}"
    except Exception as exc:  # sandbox violations and type errors in a third-party template
        return template, f"template error: {type(exc).__name__}: {exc}"


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


def build_findings(inference: Inference, facts: Sequence[Fact],
                   articles: dict[str, Article]) -> tuple[list[Finding], list[Unverified], list[str]]:
    """Merge, render and order the findings of a run. Returns (findings, unverified, problems)."""
    problems: list[str] = []
    groups: dict[tuple[str, str], list[RawFinding]] = {}
    for raw in inference.findings:
        groups.setdefault((raw.id, raw.key), []).append(raw)
    keys = list(groups)

    findings: list[Finding] = []
    for (rule_id, key), raws in groups.items():
        article = articles.get(rule_id)
        if article is None:
            problems.append(f"finding {rule_id!r} has no article; shown with its id as title")
        values = _merge_values(raws)
        context: dict[str, Any] = {
            name: (vals[0] if len(vals) == 1 else Values(vals)) for name, vals in values.items()}
        context["each"] = {name: Values(vals) for name, vals in values.items()}
        context["key"] = key
        fids = [fid for raw in raws for fid in raw.evidence]
        evidence = evidence_of(fids, facts)
        context["evidence"] = [e.as_dict() for e in evidence]
        summary, error = render(article.summary if article else rule_id, context)
        if error:
            problems.append(f"{rule_id}: summary {error}")
        steps = []
        for template in article.fix if article else ():
            text, error = render(template, context)
            if error:
                problems.append(f"{rule_id}: fix step {error}")
            if text:
                steps.append(text)
        explicit = [raw.severity.lower() for raw in raws if raw.severity.lower() in SEVERITY_RANK]
        severity = (min(explicit, key=SEVERITY_RANK.__getitem__) if explicit
                    else article.severity if article else "warning")
        confidences = [raw.confidence for raw in raws if raw.confidence is not None]
        confidence = max(confidences) if confidences else (article.confidence if article else 0.5)
        findings.append(Finding(
            id=rule_id, key=key, title=article.title if article else rule_id, severity=severity,
            kind=article.kind if article else "fault", confidence=min(max(confidence, 0.0), 1.0),
            summary=summary, evidence=evidence, remediation=steps,
            references=list(article.references) if article else [],
            pack=article.pack if article else "",
            values={name: list(vals) for name, vals in values.items()},
        ))

    slot = {key: number for number, key in enumerate(keys)}
    edges = [(slot[(a, b)], slot[(c, d)]) for a, b, c, d in inference.relations
             if (a, b) in slot and (c, d) in slot]  # a relation to a finding that is not there: none
    roots = _stories(len(findings), edges)
    for a, b in edges:
        if a != b:
            for x, y in ((a, b), (b, a)):
                ref = (findings[y].id, findings[y].key)
                if ref not in findings[x].related:
                    findings[x].related.append(ref)

    # Order: most severe story first; within a story, most severe finding first.
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

    unverified = []
    seen = set()
    for raw in inference.unverified:
        marker = (raw.rule, raw.check, raw.collect, raw.host)
        if marker in seen:
            continue
        seen.add(marker)
        unverified.append(Unverified(rule=raw.rule, check=raw.check, collect=raw.collect,
                                     host=raw.host, evidence=evidence_of(raw.evidence, facts)))
    return ordered, unverified, problems


# -- articles for a reader (hakb kb show, SARIF rule help) --------------------------------------

class _Placeholder(Undefined):
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
        return _Placeholder(name=name)


_placeholders = SandboxedEnvironment(autoescape=False, undefined=_Placeholder)
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
    Never shows template syntax: a template that fails leaves placeholders instead."""
    if values is None:
        env, context = _placeholders, {}
    else:
        env, context = _templates, case_context(values, key)

    def fill(source: str) -> str:
        try:
            return env.from_string(source).render(context)
        except Exception:  # a third party's broken template: placeholders, not its source
            return _TAGS.sub(lambda m: f"‹{m.group(1).split('|')[0].strip()}›" if m.group(1) else "",
                             source)

    return " ".join(fill(article.summary).split()), fill(article.body)
