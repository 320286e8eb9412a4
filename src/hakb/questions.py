"""The questions of a triage: what a case's undecided checks ask a person for.

Every ``hakb-unverified`` fact of a diagnosis is one question, and so is each thing a candidate
fault's article says to collect first (front matter ``collect:``) while no rule has spoken about
that fault yet. A question has one of three kinds:

* ``paste``: run a command (on a host) and paste its output; the output is read like any artifact;
* ``ask``: a short answer a person knows (the rule set ``ask``);
* ``choice``: a short answer out of ``choices``.

Ids are stable: they derive from (rule, check, host) only, so the same undecided check gets the
same id in every diagnosis, on every machine, which is what ``--answers`` files and ``--resume``
rely on.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from typing import Sequence

KINDS = ("paste", "ask", "choice")
#: The question triage asks when it starts from nothing: the ticket's words.
SYMPTOM_ID = "symptom"
SYMPTOM_QUESTION = "What does the ticket say? Give the error or the symptom in its words."
#: Candidate faults whose collect-first lists become questions, best first, and the score a
#: candidate needs for that (a word or two in common is not enough).
CANDIDATE_QUESTIONS = 3
CANDIDATE_SCORE = 0.3


def question_id(rule: str, check: str, host: str) -> str:
    """``<rule>.<8 hex digits>``: readable in an answers file, and the same wherever it is made.

    >>> question_id("vmware-locked-vmdk", "which host holds the lock on /vmfs/a.vmdk", "esx01")
    'vmware-locked-vmdk.e24a8f72'
    """
    digest = hashlib.sha256("\x1f".join((rule, check, host)).encode("utf-8")).hexdigest()[:8]
    prefix = re.sub(r"[^A-Za-z0-9_-]+", "-", rule).strip("-") or "q"
    return f"{prefix}.{digest}"


@dataclass(frozen=True)
class Question:
    """One thing triage asks for. ``collect`` is the command or listing; ``host`` where to run it."""

    id: str
    kind: str
    rule: str
    check: str
    collect: str = ""
    host: str = ""
    ask: str = ""
    choices: tuple[str, ...] = ()
    topic: str = ""
    answer_fact: str = ""
    answer_slot: str = ""
    #: "rule" (a rule could not decide), "candidate" (the ticket points at the fault) or "ticket"
    source: str = "rule"
    title: str = ""
    evidence: tuple[dict, ...] = field(default=(), compare=False)

    @property
    def command(self) -> str:
        """The collect text when it is one bare command (``vmkfstools -D /vmfs/...``), else ""."""
        return bare_command(self.collect)

    def prompt(self) -> str:
        """The question in one sentence."""
        if self.kind != "paste":
            return self.ask or self.check
        where = f" on {self.host}" if self.host else ""
        return f"Collect{where}: {strip_collect(self.collect) or self.check}"

    def as_dict(self) -> dict:
        data = asdict(self)
        data["choices"] = list(self.choices)
        data["evidence"] = list(self.evidence)
        data["prompt"] = self.prompt()
        return data


def strip_collect(text: str) -> str:
    """A collect text without a leading "collect" (rules word it either way).

    >>> strip_collect("collect `ls -lh /vmfs/volumes/ds/vm/` from esx01")
    '`ls -lh /vmfs/volumes/ds/vm/` from esx01'
    """
    text = text.strip()
    return re.sub(r"^collect\s*:?\s+", "", text, flags=re.I) if text.lower().startswith("collect") else text


_PROSE = re.compile(r"\b(?:from|on|or|and|of|the|every|each|run|as|with|if|then|in)\b|[(),;]", re.I)


def bare_command(collect: str) -> str:
    """The command when ``collect`` is one command line, or starts with one in backticks, else "".

    >>> bare_command("vmkfstools -D /vmfs/volumes/ds-prod-01/app01/app01-000001-delta.vmdk")
    'vmkfstools -D /vmfs/volumes/ds-prod-01/app01/app01-000001-delta.vmdk'
    >>> bare_command("esxcfg-nics -l (or esxcli network nic list) from every host")
    ''
    >>> bare_command("collect `ls -lh /vmfs/volumes/ds/vm/` from esx01")
    'ls -lh /vmfs/volumes/ds/vm/'
    """
    text = strip_collect(collect)
    quoted = re.match(r"`([^`]+)`", text)
    if quoted:
        return quoted.group(1).strip()
    if not text or "`" in text or _PROSE.search(text):
        return ""
    return text


def _kind(extra: dict) -> str:
    if extra.get("ask") and extra.get("choices"):
        return "choice"
    return "ask" if extra.get("ask") else "paste"


def from_unverified(item: dict, titles: dict[str, str]) -> Question:
    """The question for one ``unverified`` entry of a report."""
    rule, check, host = item.get("rule") or "", item.get("check") or "", item.get("host") or ""
    return Question(
        id=question_id(rule, check, host), kind=_kind(item), rule=rule, check=check,
        collect=item.get("collect") or "", host=host, ask=item.get("ask") or "",
        choices=tuple(str(c) for c in item.get("choices") or ()), topic=item.get("topic") or "",
        answer_fact=item.get("answer_fact") or "", answer_slot=item.get("answer_slot") or "",
        source="rule", title=titles.get(rule, ""), evidence=tuple(item.get("evidence") or ()))


def from_candidate(article_id: str, title: str, collect: str) -> Question:
    """The question for one thing a candidate fault's article says to collect first."""
    check = f"whether this is: {title}"
    return Question(id=question_id(article_id, collect, ""), kind="paste", rule=article_id,
                    check=check, collect=collect, source="candidate", title=title)


def symptom_question() -> Question:
    return Question(id=SYMPTOM_ID, kind="ask", rule="", check="what the ticket reports",
                    ask=SYMPTOM_QUESTION, topic="symptom", source="ticket")


def questions_for(report: dict, candidates: Sequence[dict] = (),
                  articles: dict | None = None) -> list[Question]:
    """The open questions of a case, most important first.

    Rules' questions come first, in the order of the findings they belong to (the most severe
    story first), then those of rules without a finding; within one rule, by host and check.
    Then, for candidate faults (dicts with ``id``, ``title``, ``collect``) no rule has spoken
    about, what their articles say to collect first.
    """
    titles = {f["id"]: f["title"] for f in report.get("findings", [])}
    titles.update({c["id"]: c["title"] for c in candidates if c["id"] not in titles})
    rank = {}
    for position, finding in enumerate(report.get("findings", [])):
        rank.setdefault(finding["id"], position)
    seen: set[str] = set()
    asked: list[tuple[tuple, Question]] = []
    for order, item in enumerate(report.get("unverified") or []):
        question = from_unverified(item, titles)
        if question.id in seen:
            continue
        seen.add(question.id)
        first = rank.get(question.rule, len(rank))
        asked.append(((first, question.rule, order), question))
    questions = [q for _, q in sorted(asked, key=lambda pair: pair[0])]
    spoken = {q.rule for q in questions} | set(rank)
    for candidate in list(candidates)[:CANDIDATE_QUESTIONS]:
        if candidate["id"] in spoken or candidate.get("score", 1.0) < CANDIDATE_SCORE:
            continue
        for collect in candidate.get("collect") or ():
            question = from_candidate(candidate["id"], candidate["title"], collect)
            if question.id not in seen:
                seen.add(question.id)
                questions.append(question)
    return questions


def open_checks(report: dict) -> dict[str, int]:
    """How many undecided checks each rule left (by rule name, which is the fault id)."""
    counts: dict[str, int] = {}
    for item in report.get("unverified") or []:
        counts[item.get("rule") or ""] = counts.get(item.get("rule") or "", 0) + 1
    return counts


def evidence_present(finding: dict, open_count: int) -> tuple[int, int]:
    """(sources of evidence present, sources present + checks still open) for one finding.

    A source is one artifact, paste or answer the finding's evidence comes from; every check
    its rule could not decide counts as one missing. A rough measure, shown as "2 of 3".
    """
    sources = {e.get("artifact") for e in finding.get("evidence") or ()}
    return len(sources), len(sources) + open_count


def split_items(text: str) -> list[str]:
    """An answer's words, for rules matching one item of a list ("esx01, esx02 esx03").

    >>> split_items("esx01, esx02;esx03  esx04")
    ['esx01', 'esx02', 'esx03', 'esx04']
    """
    return [item for item in re.split(r"[\s,;]+", text.strip()) if item]
