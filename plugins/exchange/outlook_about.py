"""Outlook's ``Help > About`` text, copied from the dialog (Outlook 2007 and 2010).

    Microsoft® Office Outlook® 2007 (12.0.6423.1000) SP2 MSO (12.0.6425.1000)
    Part of Microsoft Office Standard 2007
    Product ID: 89388-707-0000000-65905

The first line gives Outlook's own build (which hotfixes change; the Office suite version does
not), the "Part of" line the edition. One ``office-product`` fact (source help-about) results;
edition "Outlook" means the standalone product, "" that the text does not say.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from hakb import Artifact, Fact, Head, Parser
from hakb.plugins.exchange.office import EDITIONS  # edition words, most specific first

_OUTLOOK = re.compile(r"Microsoft\W*(?:Office\W*)?Outlook\W*(?P<year>20\d\d)\W*\((?P<version>\d+\.\d+\.\d+\.\d+)\)"
                      r"(?:.*?MSO\s*\((?P<mso>\d+\.\d+\.\d+\.\d+)\))?", re.I)
_PART_OF = re.compile(r"^\s*(?:Part of|Teil von|Onderdeel van)\s+(?P<product>Microsoft.*?)\s*$", re.I)
_STANDALONE = re.compile(r"^\s*Microsoft\W*(?:Office\W*)?Outlook\W*(?P<year>20\d\d)\s*$", re.I)

_MAJORS = {"2003": 11, "2007": 12, "2010": 14, "2013": 15, "2016": 16}


def edition_of(product: str) -> str:
    """The edition named in an Office product name ("Microsoft Office Enterprise 2007" -> Enterprise)."""
    lower = product.lower()
    for word, edition in EDITIONS:
        if word in lower:
            return edition
    return ""


def recognise(head: Head) -> int:
    if _OUTLOOK.search(head.text):
        return 90 if _PART_OF.search(head.text) or "Product ID" in head.text else 60
    return 0


def _build(version: str) -> int | None:
    parts = version.split(".")
    return int(parts[2]) if len(parts) > 2 else None


def parse(lines: Iterable[tuple[int, str]], artifact: Artifact) -> Iterator[Fact]:
    found = None  # (line, text, match) of the Outlook line
    product, edition, standalone = "", "", False
    for number, text in lines:
        match = _OUTLOOK.search(text)
        if match and found is None:
            found = (number, text, match)
            continue
        part = _PART_OF.match(text)
        if part and found is not None and not product:
            product = part.group("product")
            edition = edition_of(product)
            continue
        if found is not None and _STANDALONE.match(text):
            standalone = True  # the licence block names Outlook itself: bought on its own
    if found is None:
        return
    number, text, match = found
    version = match.group("version")
    year = match.group("year")
    if not product and standalone:
        product, edition = f"Microsoft Office Outlook {year}", "Outlook"
    yield Fact("office-product", {
        "product": product or f"Microsoft Outlook {year}", "edition": edition, "licence": "",
        "major": _MAJORS.get(year, int(version.split(".")[0])),
        "version": match.group("mso") or version, "version_build": _build(match.group("mso") or version),
        "outlook_version": version, "outlook_build": _build(version),
        "includes_outlook": True, "product_code": "", "source": "help-about",
    }, line=number, text=text)


PARSERS = [
    Parser("outlook-about", recognise, parse, "Outlook Help > About text: Outlook build and Office edition"),
]
