r"""Office products and updates as their uninstall keys describe them.

Office 2007 and later register each product under ``...\Uninstall\{ProductCode}`` with a code of
the form ``{BRMMmmmm-PPPP-LLLL-X000-0000000FF1CE}``: R is the release type (0 volume licence,
1 retail/OEM, 2 trial, 5 download), MM the major version (12 = 2007, 14 = 2010, 15 = 2013) and
PPPP the product (0030 = Enterprise, 0011 = Professional Plus, 002E = Ultimate, 001A = Outlook
alone, ...). Updates appear as ``{ProductCode}_<SKU>_{PatchCode}`` keys whose display name
carries the KB number. The edition and licence matter because some features (the Exchange 2010
archive in Outlook 2007) exist only in certain editions:

    [HKEY_LOCAL_MACHINE\...\Uninstall\{90120000-0030-0000-0000-0000000FF1CE}]
    "DisplayName"="Microsoft Office Enterprise 2007"
    "DisplayVersion"="12.0.6425.1000"
"""

from __future__ import annotations

import re
from typing import Iterator

from hakb import Fact

_PRODUCT = re.compile(
    r"\{(?P<code>[0-9A-F](?P<release>[0-9A-F])(?P<major>\d\d)[0-9A-F]{4}-(?P<sku>[0-9A-F]{4})-"
    r"[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]000000FF1CE)\}(?P<patch>_.*)?$", re.I)
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


def wants(subkey: str) -> bool:
    r"""Whether a key's values should be buffered for :func:`facts_for_key` (uninstall entries only)."""
    lower = subkey.lower()
    return "\\uninstall\\{" in lower and "0000000ff1ce}" in lower


def _build(version: str) -> int | None:
    parts = version.split(".")
    return int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else None


def facts_for_key(key: str, values: list[tuple[str, dict, int, str]]) -> Iterator[Fact]:
    """``office-product`` or ``office-update`` facts for one uninstall key and its values."""
    match = _PRODUCT.search(key.rsplit("\\", 1)[-1])
    if not match:
        return
    named = {name.lower(): (slots, number, text) for name, slots, number, text in values}
    display = named.get("displayname")
    if display is None:
        return
    display_name = str(display[0].get("value") or "")
    code = "{" + match.group("code").upper() + "}"
    if match.group("patch"):
        kb = _KB.search(display_name)
        if kb:
            yield Fact("office-update", {"kb": kb.group(1), "name": display_name, "product_code": code},
                       line=display[1], text=display[2])
        return
    edition, outlook = SKUS.get(match.group("sku").upper(), ("", False))
    version_entry = named.get("displayversion")
    version = str(version_entry[0].get("value") or "") if version_entry else ""
    yield Fact("office-product", {
        "product": display_name, "edition": edition,
        "licence": RELEASE_TYPES.get(match.group("release"), ""),
        "major": int(match.group("major")), "version": version, "version_build": _build(version),
        "includes_outlook": outlook, "product_code": code, "source": "uninstall-key",
    }, line=display[1], text=display[2])
