"""Articles and fix steps as HTML on the triage page: Markdown through markdown-it-py.

Raw HTML in Markdown is not passed through (``html: False``) and only http(s) links are made, so
neither an article nor a value taken from a bundle can put markup or script into the page.
Articles arrive already written out by the knowledge worker (placeholders such as
``‹holder_host›`` where a case's values would go), as ``hakb kb show`` gets them.
"""

from __future__ import annotations

from markupsafe import Markup

from hakb.html_report import markdown_renderer
from hakb.safetext import terminal


def markdown(text: str) -> Markup:
    return Markup(markdown_renderer().render(terminal(text or "")))


def inline(text: str) -> Markup:
    """One line of Markdown (a fix step, a summary) as inline HTML: `code` becomes code."""
    return Markup(markdown_renderer().renderInline(terminal(text or "")))
