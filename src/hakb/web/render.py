"""Articles and fix steps as HTML on the triage page: Markdown through markdown-it-py.

Raw HTML in Markdown is not passed through (``html: False``) and only http(s) links are made, so
neither an article nor a value taken from a bundle can put markup or script into the page.
Articles arrive already written out by the knowledge worker (placeholders such as
``‹holder_host›`` where a case's values would go), as ``hakb kb show`` gets them.
"""

from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup

from hakb.safetext import is_web_link, terminal


@lru_cache(maxsize=1)
def _markdown():
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.validateLink = is_web_link  # no javascript:, data:, file: or relative links
    return md


def markdown(text: str) -> Markup:
    return Markup(_markdown().render(terminal(text or "")))


def inline(text: str) -> Markup:
    """One line of Markdown (a fix step, a summary) as inline HTML: `code` becomes code."""
    return Markup(_markdown().renderInline(terminal(text or "")))
