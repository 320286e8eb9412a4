"""Office products and updates read from uninstall keys in a regedit export."""

from pathlib import Path

from hakb.plugins.windows import regedit
from hakb.testing import parse_bytes
from bundles import samples

SAMPLES = samples("windows")


def test_products_and_updates_from_uninstall_keys():
    facts = parse_bytes(regedit.PARSERS[0], (SAMPLES / "office-uninstall.reg").read_bytes(), name="office.reg")
    products = [f for f in facts if f.type == "office-product"]
    updates = [f for f in facts if f.type == "office-update"]
    proplus, home = products
    assert proplus.slots["edition"] == "Professional Plus"
    assert proplus.slots["licence"] == "volume"            # {9 0 12...}: release type 0
    assert (proplus.slots["major"], proplus.slots["version_build"]) == (12, 6425)
    assert proplus.slots["includes_outlook"] is True
    assert proplus.text == '"DisplayName"="Microsoft Office Professional Plus 2007"'
    assert home.slots["edition"] == "Home and Student"
    assert home.slots["licence"] == "retail"               # {9 1 12...}: release type 1
    assert home.slots["includes_outlook"] is False
    assert [(u.slots["kb"], u.slots["product_code"]) for u in updates] == [
        ("2288953", "{90120000-0011-0000-0000-0000000FF1CE}")]


def test_keys_that_are_not_office_give_no_product():
    text = ('REGEDIT4\n\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\{12345678-1234-1234-1234-123456789012}]\n'
            '"DisplayName"="Example Tool"\n')
    facts = parse_bytes(regedit.PARSERS[0], text.encode("cp1252"), name="x.reg")
    assert not [f for f in facts if f.type.startswith("office-")]
