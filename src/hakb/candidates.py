"""Candidate faults for a ticket's words, best first, each with what to collect first.

A ticket says "snapshot consolidation fails" or quotes an error; the articles say under
``## Symptoms`` how each fault shows itself. A candidate's score weighs how many of the ticket's
words its symptoms (and title) contain, and how well the whole article ranks for those words in
the case store's full-text index (SQLite FTS5, bm25). What to collect first comes from the
article's front matter (``collect:``).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Iterable

from hakb.knowledge import Article

#: Words that tell no fault from another.
STOPWORDS = frozenset("""
a an and are as at be been but by can cannot could does for from has have in into is it its no
not of on or our so than that the their then there these this those to was we were when which
while with without after before again all any also get gets got keeps keep my me us you your
""".split())
#: Share of the score that comes from the symptoms section (the rest: full-text rank).
SYMPTOM_WEIGHT = 0.7
MAX_CANDIDATES = 10
_SYMPTOMS = re.compile(r"^##\s+symptoms?\b", re.I)
_SUFFIXES = ("ations", "ation", "ating", "ated", "ates", "ate", "ions", "ion", "ings", "ing", "ed",
             "es", "e", "s")


@dataclass(frozen=True)
class Candidate:
    id: str
    title: str
    severity: str
    kind: str
    score: float                  # 0..1
    matched: tuple[str, ...]      # the ticket's words its symptoms or title contain
    collect: tuple[str, ...]      # what to collect first

    def as_dict(self) -> dict:
        data = asdict(self)
        data["matched"], data["collect"] = list(self.matched), list(self.collect)
        data["score"] = round(self.score, 3)
        return data


def words(text: str) -> list[str]:
    """The ticket's telling words, lower case, once each, in order.

    >>> words("Transporter FETCH parse error: the FETCH fails")
    ['transporter', 'fetch', 'parse', 'error', 'fails']
    """
    seen: dict[str, None] = {}
    for word in re.findall(r"[a-z0-9]+", text.lower()):
        if len(word) > 1 and word not in STOPWORDS:
            seen.setdefault(word, None)
    return list(seen)


def stem(word: str) -> str:
    """A crude stem, so that "evicted" finds "eviction" and "fails" finds "failed".

    >>> [stem(w) for w in ("evicted", "eviction", "consolidate", "consolidation", "locks")]
    ['evict', 'evict', 'consolid', 'consolid', 'lock']
    """
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[:-len(suffix)]
    return word


def symptoms_of(body: str) -> str:
    """The text under an article's ``## Symptoms`` heading."""
    out, inside = [], False
    for line in body.splitlines():
        if line.startswith("#"):
            inside = bool(_SYMPTOMS.match(line))
            continue
        if inside:
            out.append(line)
    return "\n".join(out)


def _full_text_rank(store, articles: Iterable[Article], terms: list[str]) -> dict[str, float]:
    """Article id -> relevance (0..1, best 1) from the store's FTS index, any term matching."""
    store.index_articles(articles)
    query = " OR ".join(f'"{term}"' for term in terms)
    rows = list(store.db["kb_articles"].search(query, columns=["id"], include_rank=True, limit=100))
    if not rows:
        return {}
    best = max(-row["rank"] for row in rows) or 1.0
    return {row["id"]: max(0.0, -row["rank"]) / best for row in rows}


def rank(symptom: str, articles: dict[str, Article], store=None) -> list[Candidate]:
    """Candidate faults for ``symptom``, best first (at most :data:`MAX_CANDIDATES`).

    Without a ``store`` the full-text part is left out and only the symptoms count.
    """
    terms = words(symptom)
    if not terms:
        return []
    relevance = _full_text_rank(store, articles.values(), terms) if store is not None else {}
    found = []
    for article in articles.values():
        described = {stem(w) for w in words(f"{article.title}\n{symptoms_of(article.body)}")}
        matched = tuple(t for t in terms if stem(t) in described)
        if not matched and article.id not in relevance:
            continue
        score = (SYMPTOM_WEIGHT * len(matched) / len(terms)
                 + (1 - SYMPTOM_WEIGHT) * relevance.get(article.id, 0.0))
        found.append(Candidate(article.id, article.title, article.severity, article.kind, score,
                               matched, article.collect))
    found.sort(key=lambda c: (-c.score, c.id))
    return found[:MAX_CANDIDATES]
