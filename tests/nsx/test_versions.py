"""vShield/vCNS and NSX Manager versions: `show version`, a product-and-version line."""

from hakb import Head
from hakb.plugins.nsx import version
from bundles import FACTS, samples

SAMPLES = samples("nsx")


def test_show_version_block(read):
    got = read(SAMPLES / "show-version.txt")
    assert got.rows("nsx-version", "product", "name", "version", "build_number", "source") == [
        (3, "vcns", "vShield Manager", "5.5.4", "3029540", "show-version")]


def test_show_version_through_plink_in_utf16(read):
    got = read(FACTS / "nsx/variants/nsx-upgrade-blockers/version-plink-utf16/vcns-manager/show-version.txt")
    assert got.rows("nsx-version", "name", "version", "build_number") == [(2, "vShield Manager", "5.5.4", "3029540")]


def test_product_and_version_line(read):
    got = read(SAMPLES / "version-line.txt")
    assert got.rows("nsx-version", "product", "version", "build_number") == [(1, "vcns", "5.5.4", "3029540")]


def test_nsx_manager_version_is_product_nsx(read):
    got = read("Name:             NSX Manager\nVersion:          6.2.5\nBuild number:     4818372\n")
    assert got.rows("nsx-version", "product", "version") == [(2, "nsx", "6.2.5")]


def test_a_sentence_mentioning_a_version_is_not_a_version_fact(read):
    text = "We plan to move from vCNS 5.5.4 to NSX 6.2.5 next week.\n"
    assert version.PARSERS[0].recognise(Head("notes.txt", text)) == 0
    assert read(text).facts == []
