"""Which vShield/vCNS or NSX Manager version a collection shows.

Two shapes: the Manager CLI's ``show version`` block, and a line that is nothing but a product
name and its version (copied from the Manager's summary page or an upgrade ticket)::

    vsm01> show version
    Name:             vShield Manager
    Version:          5.5.4
    Build number:     3029540

    VMware vCloud Networking and Security Manager 5.5.4-3029540

Sentences that merely mention a product (a README, a log line) are not matched: the whole line
must be the product and the version.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from hakb import Fact, Head, Parser

_PRODUCT = (r"(?:VMware\s+)?(?P<name>vShield\s+Manager|vCloud\s+Networking\s+and\s+Security(?:\s+Manager)?|"
            r"vCNS(?:\s+Manager)?|NSX(?:\s+for\s+vSphere)?(?:\s+Manager)?|NSX-V(?:\s+Manager)?)")
_VERSION = r"(?:version\s+)?v?(?P<version>\d+\.\d+(?:\.\d+){0,2})(?:[-\s]+(?:build[-\s]*)?(?P<build>\d{5,}))?"
_WHOLE_LINE = re.compile(rf"^\s*{_PRODUCT}[\s,:-]+{_VERSION}\s*$", re.I)
_ANYWHERE = re.compile(rf"{_PRODUCT}[\s,:-]+{_VERSION}", re.I)
_FIELD = re.compile(r"^\s*(?P<key>Name|Version|Build number|Build)\s*:\s*(?P<value>\S.*?)\s*$", re.I)
#: The Manager CLI's ``vsm01> show version`` (its prompt is no shell prompt the core splits at).
_SHOW_VERSION = re.compile(r"(?:^|[>#]\s*)show\s+version\s*$", re.I)


def _product(name: str) -> str:
    return "nsx" if name.lower().startswith("nsx") else "vcns"


def version_in(text: str) -> dict | None:
    """Product and version named anywhere in ``text`` (for .vmx names and annotations).

    >>> version_in("vCloud Networking and Security Manager 5.5.4 build 3029540")["version"]
    '5.5.4'
    >>> version_in("app server") is None
    True
    """
    match = _ANYWHERE.search(text or "")
    if not match:
        return None
    return {"product": _product(match.group("name")), "name": " ".join(match.group("name").split()),
            "version": match.group("version"), "build_number": match.group("build") or ""}


def recognise(head: Head) -> int:
    lines = head.lines
    if (_SHOW_VERSION.search(head.command) or any(_SHOW_VERSION.search(line) for line in lines[:50])) and \
            any(_FIELD.match(line) and re.search(_PRODUCT, line, re.I) for line in lines):
        return 90
    names = [i for i, line in enumerate(lines) if (m := _FIELD.match(line)) and m.group("key").lower() == "name"
             and re.search(_PRODUCT, m.group("value"), re.I)]
    if names:
        return 70
    return 40 if any(_WHOLE_LINE.match(line) for line in lines[:200]) else 0


def parse(lines: Iterable[tuple[int, str]], artifact) -> Iterator[Fact]:
    block: dict[str, tuple[int, str, str]] = {}

    def flush() -> Iterator[Fact]:
        name = block.get("name")
        version = block.get("version")
        if name and version and re.fullmatch(_PRODUCT, name[2], re.I):
            number = re.match(r"v?(\d+\.\d+(?:\.\d+){0,2})", version[2])
            if number:
                build = block.get("build number") or block.get("build")
                yield Fact("nsx-version", {
                    "product": _product(name[2]), "name": name[2], "version": number.group(1),
                    "build_number": build[2] if build else "", "source": "show-version",
                }, line=version[0], text=version[1])
        block.clear()

    for number, text in lines:
        field = _FIELD.match(text)
        if field:
            key = field.group("key").lower()
            if key == "name" and block:
                yield from flush()
            block[key] = (number, text, field.group("value"))
            continue
        whole = _WHOLE_LINE.match(text)
        if whole:
            yield Fact("nsx-version", {
                "product": _product(whole.group("name")), "name": " ".join(whole.group("name").split()),
                "version": whole.group("version"), "build_number": whole.group("build") or "", "source": "text",
            }, line=number, text=text)
    yield from flush()


PARSERS = [
    Parser("nsx-version", recognise, parse,
           "vShield/vCNS/NSX Manager version: `show version` output or a product-and-version line"),
]
