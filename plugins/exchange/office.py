r"""Installed Office products and updates, from their uninstall entries in any shape.

Office 2007 and later register each product under ``...\Uninstall\{ProductCode}`` with a code of
the form ``{BRMMmmmm-PPPP-LLLL-X000-0000000FF1CE}``: R is the release type (0 volume licence,
1 retail/OEM, 2 trial, 5 download), MM the major version (12 = 2007, 14 = 2010, 15 = 2013), PPPP
the product (0030 = Enterprise, 0011 = Professional Plus, 002E = Ultimate, 001A = Outlook alone,
...) and LLLL the language of a language part (0000 for the product itself). Updates appear as
``{ProductCode}_<SKU>_{PatchCode}`` keys whose display name carries the KB number. The edition and
licence matter because some features (the Exchange 2010 archive in Outlook 2007) exist only in
certain editions. Read from:

* a regedit export (the core's registry reader: one record per key, the key path as its type)::

    [HKEY_LOCAL_MACHINE\...\Uninstall\{90120000-0030-0000-0000-0000000FF1CE}]
    "DisplayName"="Microsoft Office Enterprise 2007"
    "DisplayVersion"="12.0.6425.1000"

* PowerShell's listing of the same keys (``Get-ItemProperty HKLM:\...\Uninstall\* | select
  DisplayName,DisplayVersion,PSChildName``) in any shape; without PSChildName (or PSPath) the
  edition comes from the display name and the licence stays unknown;
* ``wmic product get name,version[,identifyingnumber]`` and ``Get-WmiObject Win32_Product``.
"""

from __future__ import annotations

import re
from typing import Iterator

from hakb import Fact
from hakb.reading import Record
from hakb.shapes import evidence, shape
from hakb.plugins.exchange.common import first_of, objects_parser

_PRODUCT = re.compile(
    r"\{(?P<code>[0-9A-F](?P<release>[0-9A-F])(?P<major>\d\d)[0-9A-F]{4}-(?P<sku>[0-9A-F]{4})-"
    r"(?P<language>[0-9A-F]{4})-[0-9A-F]{4}-[0-9A-F]000000FF1CE)\}(?P<patch>_.*)?$", re.I)
_KB = re.compile(r"\bKB\s?(\d{6,7})\b", re.I)

RELEASE_TYPES = {"0": "volume", "1": "retail", "2": "trial", "5": "retail"}

#: Product IDs of Office 2007/2010 suites and Outlook: (edition, includes Outlook).
SKUS = {
    "0011": ("Professional Plus", True), "0012": ("Standard", True), "0013": ("Basic", True),
    "0014": ("Professional", True), "001A": ("Outlook", True), "002E": ("Ultimate", True),
    "002F": ("Home and Student", False), "0030": ("Enterprise", True),
    "0031": ("Professional Hybrid", True), "0033": ("Personal", True),
    "0035": ("Professional Hybrid", True), "00CA": ("Small Business", True),
    "0015": ("Access", False), "0016": ("Excel", False), "0018": ("PowerPoint", False),
    "0019": ("Publisher", False), "001B": ("Word", False), "0044": ("InfoPath", False),
}
#: Edition words in a product's display name, most specific first.
EDITIONS = (
    ("professional plus", "Professional Plus"), ("proplus", "Professional Plus"),
    ("enterprise", "Enterprise"), ("ultimate", "Ultimate"),
    ("small business", "Small Business"), ("home and student", "Home and Student"),
    ("professional hybrid", "Professional Hybrid"), ("professional", "Professional"),
    ("standard", "Standard"), ("basic", "Basic"), ("personal", "Personal"),
)
#: Whether an edition (as SKUS names it) includes Outlook.
WITH_OUTLOOK = {edition: outlook for edition, outlook in SKUS.values()}
_YEARS = {"2003": 11, "2007": 12, "2010": 14, "2013": 15, "2016": 16}
#: A suite or Outlook as wmic and display names call it (not its language packs or components).
_SUITE_NAME = re.compile(r"^Microsoft(?:\s+Office)?\s+(?P<what>.+?)\s+(?P<year>20\d\d)$", re.I)


def edition_of(product: str) -> str:
    """The edition named in an Office product name ("Microsoft Office Enterprise 2007" -> Enterprise).

    >>> edition_of("Microsoft Office Professional Plus 2007"), edition_of("Microsoft Office Outlook 2007")
    ('Professional Plus', '')
    """
    lower = product.lower()
    for word, edition in EDITIONS:
        if word in lower:
            return edition
    return ""


def version_build(version: str) -> int | None:
    """The third part of a dotted version (6425 in 12.0.6425.1000)."""
    parts = version.split(".")
    return int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else None


def _major(version: str) -> int | None:
    head = version.split(".")[0]
    return int(head) if head.isdigit() else None


def product_facts(key: str, name: str, version: str, line: int, text: str,
                  source: str = "uninstall-key") -> Iterator[Fact]:
    """``office-product`` or ``office-update`` facts of one uninstall entry: its key name (the
    product code, "" when the shape does not show it), display name and version."""
    match = _PRODUCT.search(key.rstrip("\\").rsplit("\\", 1)[-1]) if key else None
    if match and match.group("patch"):
        kb = _KB.search(name)
        if kb:
            yield Fact("office-update", {"kb": kb.group(1), "name": name,
                                         "product_code": "{" + match.group("code").upper() + "}"},
                       line=line, text=text)
        return
    if match:
        if match.group("language") != "0000":
            return  # a language part (MUI, proofing) of a product, not a product
        edition, outlook = SKUS.get(match.group("sku").upper(), ("", False))
        yield Fact("office-product", {
            "product": name, "edition": edition,
            "licence": RELEASE_TYPES.get(match.group("release"), ""),
            "major": int(match.group("major")), "version": version, "version_build": version_build(version),
            "includes_outlook": outlook, "product_code": "{" + match.group("code").upper() + "}",
            "source": source,
        }, line=line, text=text)
        return
    if key and not key.rstrip("\\").rsplit("\\", 1)[-1].startswith("{"):
        return  # a named key (an uninstaller's own name), not an MSI product
    yield from _named_product(name, version, line, text, source)


def _named_product(name: str, version: str, line: int, text: str, source: str) -> Iterator[Fact]:
    """A product known by its name only (no product code): a suite or Outlook, or an update."""
    kb = _KB.search(name)
    if kb and re.search(r"\b(?:Office|Outlook)\b", name, re.I):
        yield Fact("office-update", {"kb": kb.group(1), "name": name, "product_code": ""}, line=line, text=text)
        return
    suite = _SUITE_NAME.match(name.strip())
    if not suite:
        return
    edition = edition_of(suite.group("what"))
    if not edition and suite.group("what").strip().lower() == "outlook":
        edition = "Outlook"
    if not edition:
        return  # a component (Proofing Tools, a viewer, a MUI pack), not a product
    major = _major(version) or _YEARS.get(suite.group("year"))
    yield Fact("office-product", {
        "product": name, "edition": edition, "licence": "", "major": major, "version": version,
        "version_build": version_build(version), "includes_outlook": WITH_OUTLOOK.get(edition, False),
        "product_code": "", "source": source,
    }, line=line, text=text)


def registry_key(record: Record) -> Iterator[Fact]:
    """A key of a regedit export: its path is the record's type name."""
    if record.shape != "reg" or "\\uninstall\\" not in record.type_name.lower():
        return
    name = record.get("DisplayName") or ""
    line, text = evidence(record, "DisplayName")
    yield from product_facts(record.type_name, name, record.get("DisplayVersion") or "", line, text)


def listed_entry(record: Record) -> Iterator[Fact]:
    """An uninstall entry as PowerShell lists it: DisplayName, DisplayVersion and, when selected,
    PSChildName (the key name) or PSPath."""
    if record.shape == "reg":
        yield from registry_key(record)
        return
    name = first_of(record, "DisplayName")
    if not name:
        return
    key = first_of(record, "PSChildName") or first_of(record, "PSPath")
    line, text = evidence(record, "DisplayName")
    yield from product_facts(key, name, first_of(record, "DisplayVersion"), line, text)


def msi_product(record: Record) -> Iterator[Fact]:
    """``wmic product`` / Win32_Product: Name, Version and maybe IdentifyingNumber (the product
    code). Its version is the product's, as the uninstall entry shows it; ``source`` says where
    it came from (``msi-product``), so rules do not take it for Outlook's own build."""
    name = first_of(record, "Name")
    if not name or not re.search(r"\b(?:Office|Outlook)\b", name, re.I):
        return
    line, text = evidence(record, "Name")
    code = first_of(record, "IdentifyingNumber")
    yield from product_facts(code, name, first_of(record, "Version"), line, text, source="msi-product")


SHAPES = [
    shape("Uninstall entries", {"DisplayName"}, listed_entry, commands=()),
    shape("wmic product", {"Name", "Version"}, msi_product,
          commands=("wmic product", "Get-WmiObject Win32_Product", "Get-CimInstance Win32_Product")),
]

PARSERS = [objects_parser("office-products", SHAPES,
                         "Office products and updates: uninstall keys (regedit export, Get-ItemProperty "
                         "in any shape), wmic product / Win32_Product")]
