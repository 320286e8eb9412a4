"""Every shape of one object gives the same facts: ``fl``, ``fl *``, tables (auto-sized, wrapped,
truncated), Export-Csv (``#TYPE``, ``-UseCulture``, BOM), ConvertTo-Json (PowerShell 5.1 dates
and enums), Export-Clixml, registry exports, wmic. The samples are in
facts/exchange/samples/shapes/OBJECT/ (synthetic, see the README there), read through the core
as a diagnosis reads them."""

import pytest

from .conftest import SAMPLES, read_artifact

SHAPES = SAMPLES / "shapes"
CERT_TABLE_HIDES = {"issuer", "not_before", "not_before_iso", "self_signed", "has_private_key", "root_ca_type",
                    "status"}

#: object -> (reference shape, {shape: (slots it does not show, slots only it shows)})
CASES = {
    "certificate": ("fl.txt", {
        "fl-star.txt": (set(), {"server"}),
        "ft-autosize.txt": (CERT_TABLE_HIDES, set()),
        "ft-wrap.txt": (CERT_TABLE_HIDES, set()),
        "csv-type-en.csv": ({"domains"}, {"server"}),      # CertificateDomains exported as a type name
        "csv-useculture-de.csv": (set(), set()),
        "json-ps51.json": (set(), {"server"}),
        "clixml.xml": (set(), {"server"}),
    }),
    "federation-trust": ("fl-blocks.txt", {
        "fl-no-prompt.txt": (set(), set()), "json-ps51.json": (set(), set()),
        "clixml.xml": (set(), set()), "csv-notype.csv": (set(), set()),
    }),
    "cas-array": ("table.txt", {
        "fl.txt": (set(), set()), "json.json": (set(), set()),
        "csv-useculture.csv": ({"members"}, set()),        # Members exported as a type name
    }),
    "client-access-server": ("fl.txt", {"table.txt": (set(), set()), "json.json": (set(), set())}),
    "virtual-directories": ("fl.txt", {"table.txt": (set(), set()), "csv-appended.csv": (set(), set())}),
    "mailbox-database": ("fl.txt", {"table.txt": (set(), set()), "csv.csv": (set(), set())}),
    "mailbox-move": ("fl.txt", {"json.json": (set(), set()), "clixml.xml": (set(), set())}),
    "receive-connector": ("fl.txt", {
        "ft-wrap.txt": (set(), set()), "json.json": (set(), set()),
        "csv-type.csv": ({"bindings", "ports"}, set()),    # Bindings exported as a type name
    }),
    "send-connector": ("fl.txt", {"csv-useculture-de.csv": (set(), set())}),
    "accepted-domain": ("fl.txt", {"table.txt": (set(), set())}),
    "edgesync": ("fl.txt", {
        "table.txt": (set(), set()), "csv-type.csv": (set(), set()), "clixml.xml": (set(), set()),
        "csv-useculture-de.csv": (set(), set()), "fl-utf16.txt": (set(), set()),
        "json.json": ({"connection_result"}, set()),       # an enum number nobody can name
    }),
    "edge-subscription": ("table.txt", {"fl.txt": (set(), set())}),
    "office-products": ("get-itemproperty-fl.txt", {
        "get-itemproperty-table.txt": (set(), set()), "get-itemproperty.csv": (set(), set()),
        "get-itemproperty.json": (set(), set()), "uninstall.reg": (set(), set()),
        "reg-query.txt": (set(), set()),
    }),
}
#: Samples compared elsewhere: wmic lists no updates and says where its versions come from
#: (test_clients_parsers).
ELSEWHERE = {("office-products", "wmic-product.txt")}


def facts_of(folder: str, name: str) -> list:
    result = read_artifact(SHAPES / folder / name)
    assert result.status == "parsed", (name, result.message)
    # a regedit export also gives every key and value (the windows plugin), and a shape may say
    # when it was collected (test_edgesync_says_when_it_ran): not this object's facts
    return [(f.type, dict(f.slots)) for f in result.facts
            if not f.type.startswith("registry-") and f.type != "collection-time"]


def empty(value) -> bool:
    return value in (None, "", [])


@pytest.mark.parametrize("folder,shape", [(folder, shape) for folder, (_, shapes) in sorted(CASES.items())
                                          for shape in sorted(shapes)])
def test_every_shape_gives_the_facts_of_the_reference(folder, shape):
    reference_name, shapes = CASES[folder]
    hidden, extra = shapes[shape]
    reference = facts_of(folder, reference_name)
    got = facts_of(folder, shape)
    assert reference, "the reference shape yields facts"
    assert [t for t, _ in got] == [t for t, _ in reference]
    for (kind, want), (_, have) in zip(reference, got):
        for slot, value in want.items():
            if slot in extra:
                continue
            if slot in hidden:
                assert empty(have[slot]), (kind, slot, have[slot])
            else:
                assert have[slot] == value, (kind, slot, have[slot], value)


def test_every_sample_of_a_shape_folder_is_compared():
    for folder, (reference, shapes) in CASES.items():
        present = {p.name for p in (SHAPES / folder).iterdir()}
        assert present == set(shapes) | {reference} | {n for f, n in ELSEWHERE if f == folder}, folder
    compared = set(CASES) | {"outlook-exe"}  # OUTLOOK.EXE's shapes: test_clients_parsers
    assert {p.name for p in SHAPES.iterdir() if p.is_dir()} == compared


def test_clixml_and_json_dates_with_a_zone_are_converted_to_utc(tmp_path):
    """A Local-kind DateTime keeps its offset in Clixml: NotAfter is then compared as UTC."""
    text = (SHAPES / "certificate" / "clixml.xml").read_text().replace(
        "2019-02-23T23:59:59+00:00", "2019-02-23T23:59:59+01:00")
    path = tmp_path / "cert.xml"
    path.write_text(text)
    (fact,) = read_artifact(path).facts
    assert fact.slots["not_after_iso"] == "2019-02-23T22:59:59"


@pytest.mark.parametrize("shape", ["fl.txt", "fl-utf16.txt", "csv-type.csv", "csv-useculture-de.csv", "json.json",
                                   "clixml.xml"])
def test_edgesync_says_when_it_ran(shape):
    """Test-EdgeSynchronization's UtcNow is the collection time of an export that has no other,
    so a stale synchronisation is counted from when the test ran, not from today."""
    result = read_artifact(SHAPES / "edgesync" / shape)
    (ran,) = [f for f in result.facts if f.type == "collection-time"]
    assert ran.slots["epoch"] == 1298991600  # 2011-03-01 15:00:00 UTC
    assert ran.line >= 1 and ran.text.strip()  # the UtcNow line (a CSV row: the row)


def test_edgesync_table_without_utcnow_says_nothing_of_when_it_ran():
    result = read_artifact(SHAPES / "edgesync" / "table.txt")
    assert [f for f in result.facts if f.type == "collection-time"] == []
