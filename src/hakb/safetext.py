"""Text from bundles and packs made safe for where it is shown: terminals, Markdown, HTML links.

Bundles come from broken systems and packs from third parties, so any string in a report may
carry an escape sequence that repaints a terminal, Markdown that turns into HTML, or a
``javascript:`` link. Every renderer passes such text through one of these functions.
"""

from __future__ import annotations

import re

#: C0 and C1 control characters except tab and line feed (which reports lay out themselves).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#!|~&])")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)


def terminal(text: str) -> str:
    r"""``text`` with control characters shown as escapes, so it cannot drive the terminal.

    >>> terminal("vm\x1b[2J01\tok")
    'vm\\x1b[2J01\tok'
    """
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def one_line(text: str) -> str:
    """A message on one line: line breaks become "; " (not "?"), control characters escapes.

    >>> one_line("cannot open:\\n- method gz: bad\\n- method xz: bad")
    'cannot open:; - method gz: bad; - method xz: bad'
    """
    parts = [part.strip() for part in str(text).splitlines()]
    return terminal("; ".join(part for part in parts if part))


def markdown(text: str) -> str:
    r"""Bundle text as literal Markdown: every character Markdown or HTML would act on is
    backslash-escaped, so ``<img onerror=...>`` in a VM name stays text.

    >>> markdown("<img src=x onerror=alert(1)> *vm*")
    '\\<img src=x onerror=alert(1)\\> \\*vm\\*'
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", terminal(text)).replace("\n", " ")


def markdown_prose(text: str) -> str:
    """Article text with bundle values in it (a summary, a fix step): code spans are kept as
    code, everything outside them that could become HTML or a link is escaped."""
    out, last = [], 0
    for match in _CODE_SPAN.finditer(text):
        out.append(_prose(text[last:match.start()]))
        out.append(match.group(1) + match.group(2).replace("\n", " ") + match.group(1))
        last = match.end()
    out.append(_prose(text[last:]))
    return "".join(out)


def _prose(text: str) -> str:
    return re.sub(r"([\\<>&\[\]|])", r"\\\1", terminal(text)).replace("\n", " ")


def code_span(text: str) -> str:
    """``text`` as one Markdown code span, whatever backticks it holds."""
    text = terminal(text).replace("\n", " ")
    fence = "`" * (max((len(m) for m in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def is_web_link(url: str) -> bool:
    """Whether ``url`` may become a link in a report: http(s) only, never ``javascript:``.

    >>> is_web_link("https://kb.vmware.com/s/article/10051"), is_web_link(" javascript:alert(1)")
    (True, False)
    """
    return bool(re.match(r"(?i)^https?://[^\s<>\"']+$", url or ""))
