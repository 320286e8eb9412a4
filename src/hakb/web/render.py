"""Articles and fix steps as HTML: Markdown through markdown-it-py, templates shown without syntax.

Raw HTML in Markdown is not passed through (``html: False``), and markdown-it refuses
``javascript:`` and similar links, so neither an article nor a value taken from a bundle can put
markup or script into the page. An article read in the knowledge browser has no case: its
template values show as placeholders (``‹holder_host›``) and conditions on them take the branch
for "not known", so a reader sees sentences, never ``{% if %}``.
"""

from __future__ import annotations

import re

from jinja2 import ChainableUndefined
from jinja2.sandbox import SandboxedEnvironment
from markdown_it import MarkdownIt
from markupsafe import Markup

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False})
_TAG = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.S)
_NUMBERED = re.compile(r"(\s{0,3})(\d+)[.)]\s")
_LIST_ITEM = re.compile(r"\s*(?:\d+[.)]|[-*])\s*")
_VALUE = re.compile(r"\{\{\s*([A-Za-z_][\w.]*)?[^}]*\}\}", re.S)


class Placeholder(ChainableUndefined):
    """A value an article names but no case supplies: prints as ``‹name›``, is false."""

    def __str__(self) -> str:
        return f"‹{self._undefined_name or 'value'}›"

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return Placeholder(name=name)

    def __getitem__(self, key):
        return Placeholder(name=str(key))


_templates = SandboxedEnvironment(undefined=Placeholder, autoescape=False)
#: Filters that already treat an unknown value as they should ("the host" for default).
_KEEP = {"default", "d", "length", "count"}


def _placeholder_aware(function):
    """A filter that gives back the placeholder when its value or an argument is one."""
    def wrapper(value, *args, **kwargs):
        for item in (value, *args, *kwargs.values()):
            if isinstance(item, Placeholder):
                return item
        return function(value, *args, **kwargs)
    return wrapper


for _name, _filter in list(_templates.filters.items()):
    if _name not in _KEEP and not getattr(_filter, "jinja_pass_arg", None):
        _templates.filters[_name] = _placeholder_aware(_filter)


def _strip(line: str) -> str:
    return _VALUE.sub(lambda m: f"‹{(m.group(1) or 'value').split('.')[-1]}›", _TAG.sub("", line))


def without_templates(text: str) -> str:
    """An article's text with its template parts resolved for no case at all, line by line
    (a line whose template cannot render has its tags removed instead)."""
    out = []
    number = None  # the number a left-out step had, given to the next step (a list starts there)
    for line in text.splitlines():
        if "{" in line:
            try:
                rendered = _templates.from_string(line).render()
            except Exception:  # a template error in a third-party article: its words, not its syntax
                rendered = _strip(line)
            if _LIST_ITEM.fullmatch(rendered) and not _LIST_ITEM.fullmatch(line):
                left_out = _NUMBERED.match(line)
                number = number or (left_out.group(2) if left_out else None)
                continue  # a step that applies only when a value is known, as in a case's report
            line = rendered
        numbered = _NUMBERED.match(line)
        if numbered and number:
            line = f"{numbered.group(1)}{number}{line[numbered.end(2):]}"
        number = None if line.strip() else number
        out.append(line)
    return "\n".join(out)


def markdown(text: str) -> Markup:
    return Markup(_markdown.render(text))


def inline(text: str) -> Markup:
    """One line of Markdown (a fix step, a summary) as inline HTML: `code` becomes code."""
    return Markup(_markdown.renderInline(text))


def article_html(body: str) -> Markup:
    return markdown(without_templates(body))
