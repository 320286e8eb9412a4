"""Datastore capacity (df, esxcli storage filesystem list) and VM folder listing parsers."""

import pytest

from hakb import Head, ParseError
from hakb.parsing import choose_parser
from hakb.plugin_manager import get_plugin_manager, parsers
from hakb.plugins.vmware.storage_datastores import PARSERS as DATASTORE_PARSERS
from hakb.plugins.vmware.storage_listing import PARSERS as LISTING_PARSERS
from hakb.testing import parse_bytes, parse_file, parse_text

from .conftest import rows, sample

DF, FILESYSTEMS = DATASTORE_PARSERS
LISTING = LISTING_PARSERS[0]
G = 1 << 30


def storage(name):
    return sample("storage/" + name)


def chosen(path):
    text = path.read_text(encoding="utf-8")
    parser, problems = choose_parser(Head(path.name, text), parsers(get_plugin_manager()))
    assert not problems
    return parser.name if parser else None


@pytest.mark.parametrize("name, parser", [
    ("df-h.txt", "vmware-df"),
    ("df-bytes-crlf.txt", "vmware-df"),
    ("esxcli-storage-filesystem-list.txt", "vmware-esxcli-filesystem-list"),
    ("ls-lh-app01.txt", "vmware-vm-folder-listing"),
    ("ls-la-cwd-prompt.txt", "vmware-vm-folder-listing"),
    ("ls-names-only.txt", "vmware-vm-folder-listing"),
])
def test_each_sample_is_recognised_by_its_parser(name, parser):
    assert chosen(storage(name)) == parser


def test_df_h_keeps_datastores_and_converts_human_sizes():
    facts = parse_file(DF, storage("df-h.txt"), host="esx01")
    assert rows(facts, "datastore", "name", "type", "free_text", "size_text", "exact", "source") == [
        (3, "datastore1", "VMFS-6", "3.7 GB", "499.8 GB", False, "df"),
        (4, "ds-prod-02", "VMFS-6", "411.6 GB", "1.0 TB", False, "df"),
        (5, "nfs-iso", "NFS", "680.0 GB", "800.0 GB", False, "df"),
    ]  # the vfat boot banks and the prompt lines are not datastores
    first = facts[0]
    assert first.slots["free"] == round(3.7 * G) and first.slots["size"] == round(499.8 * G)
    assert first.slots["free_pct"] == pytest.approx(0.74, abs=0.001)
    assert first.text.endswith("/vmfs/volumes/datastore1") and first.host == "esx01"


def test_df_in_bytes_with_crlf_is_exact():
    facts = parse_file(DF, storage("df-bytes-crlf.txt"))
    assert rows(facts, "datastore", "name", "size", "free", "used", "exact") == [
        (2, "ds-old", 1099243192320, 33676066816, 1065567125504, True)]
    assert facts[0].slots["free_pct"] == pytest.approx(3.064, abs=0.001)


def test_df_read_from_utf16_with_bom():
    text = (storage("df-h.txt").read_text(encoding="utf-8")).replace("\n", "\r\n")
    facts = parse_bytes(DF, b"\xff\xfe" + text.encode("utf-16-le"), name="df.txt")
    assert [f.slots["name"] for f in facts] == ["datastore1", "ds-prod-02", "nfs-iso"]


def test_df_with_unreadable_size_is_a_parse_error():
    text = "Filesystem   Size   Used Available Use% Mounted on\nVMFS-6  12Q  1.0G  1.0G  50% /vmfs/volumes/x\n"
    with pytest.raises(ParseError, match="cannot read the sizes"):
        parse_text(DF, text)


def test_linux_df_without_datastores_is_only_a_weak_claim():
    head = Head("df.txt", "Filesystem     1K-blocks    Used Available Use% Mounted on\n/dev/sda1 100 50 50 50% /\n")
    assert DF.recognise(head) < 50
    assert parse_text(DF, head.text) == []


def test_esxcli_filesystem_list_reads_columns_by_their_rule():
    facts = parse_file(FILESYSTEMS, storage("esxcli-storage-filesystem-list.txt"))
    assert rows(facts, "datastore", "name", "uuid", "type", "mounted", "size", "free") == [
        (3, "datastore1", "5a1b2c3d-1a2b3c4d-5e6f-005056000001", "VMFS-6", True, 536602476544, 3972005888),
        (4, "ds-prod-02", "5a1b2c3d-2a2b3c4d-5e6f-005056000001", "VMFS-6", True, 1099243192320, 441960120320),
        (5, "nfs-iso", "1a2b3c4d-5e6f7a8b", "NFS", True, 858993459200, 730144440320),
        (7, "scratch ds", "5a1b2c3d-3a2b3c4d-5e6f-005056000001", "VMFS-6", False, 0, 0),
    ]  # line 6 is the unnamed vfat boot bank
    assert facts[0].slots["used"] == 536602476544 - 3972005888
    assert facts[0].slots["mount"] == "/vmfs/volumes/5a1b2c3d-1a2b3c4d-5e6f-005056000001"
    assert facts[0].slots["free_text"] == "3.7 GB" and facts[3].slots["free_pct"] is None


def test_esxcli_filesystem_list_with_unexpected_columns_is_a_parse_error():
    text = ("Mount Point  Volume Name  UUID  Mounted  Type  Size  Free\n"
            "-----------  -----------  ----  -------  ----  ----\n")
    with pytest.raises(ParseError, match="unexpected columns"):
        parse_text(FILESYSTEMS, text)


def test_listing_gives_files_chains_and_folder_usage():
    facts = parse_file(LISTING, storage("ls-lh-app01.txt"), host="esx01")
    files = {f.slots["file"]: f for f in facts if f.type == "vm-file"}
    assert len(files) == 19  # "." and ".." are folders, not files
    assert {f.slots["vm"] for f in files.values()} == {"app01"}
    assert {f.slots["datastore"] for f in files.values()} == {"datastore1"}
    delta = files["app01-000002-sesparse.vmdk"]
    assert (delta.slots["kind"], delta.slots["disk"], delta.slots["base"], delta.slots["level"]) == \
        ("delta-data", "app01-000002", "app01", 2)
    assert delta.slots["size"] == round(74.5 * G) and delta.line == 9
    assert files["app01-000002.vmdk"].slots["kind"] == "delta-descriptor"
    assert files["app01-flat.vmdk"].slots["kind"] == "base-data"
    assert files["app01-Snapshot2.vmsn"].slots["kind"] == "snapshot-state"

    chains = rows(facts, "vm-disk-chain", "disk", "depth", "top", "deltas", "format", "delta_size", "base_size")
    assert chains == [
        (5, "app01", 3, "app01-000003", ["app01-000001", "app01-000002", "app01-000003"], "sesparse",
         "182.4 GB", "200.0 GB"),
        (13, "app01_1", 1, "app01_1-000001", ["app01_1-000001"], "sesparse", "1.2 GB", "40.0 GB"),
    ]
    chain = next(f for f in facts if f.type == "vm-disk-chain")
    assert chain.slots["delta_bytes"] == round(61.2 * G) + round(74.5 * G) + round(46.7 * G)
    assert chain.slots["base_bytes"] == 200 * G

    usage = rows(facts, "vm-folder-usage", "vm", "datastore", "folder", "delta_files", "snapshots",
                 "delta_size")
    assert usage == [(1, "app01", "datastore1", "app01", 4, 3, "183.6 GB")]


def test_listing_folder_from_the_esxi5_prompt_and_sizes_in_bytes():
    facts = parse_file(LISTING, storage("ls-la-cwd-prompt.txt"))
    assert rows(facts, "vm-disk-chain", "vm", "datastore", "folder", "depth", "delta_bytes", "base_bytes") == [
        (3, "db01", "5a1b2c3d-2a2b3c4d-5e6f-005056000001", "db01", 1, 1073741824, 107374182400)]


def test_listing_without_command_takes_the_vm_from_file_names():
    facts = parse_file(LISTING, storage("ls-names-only.txt"))
    assert rows(facts, "vm-folder-usage", "vm", "datastore", "folder", "delta_bytes", "snapshots") == [
        (2, "web01", "", "", 524288000, 1)]
    assert rows(facts, "vm-disk-chain", "disk", "depth", "format") == [(2, "web01", 1, "delta")]


def test_listing_of_a_glob_takes_the_folder_from_the_paths():
    text = ("~ # ls -l /vmfs/volumes/ds01/app02/*.vmdk\n"
            "-rw-------    1 root     root     10737418240 Nov 20 07:30 /vmfs/volumes/ds01/app02/app02-flat.vmdk\n"
            "-rw-------    1 root     root      2147483648 Nov 20 07:31 /vmfs/volumes/ds01/app02/app02-000001-delta.vmdk\n")
    facts = parse_text(LISTING, text)
    assert rows(facts, "vm-file", "file", "vm", "datastore", "folder") == [
        (2, "app02-flat.vmdk", "app02", "ds01", "app02"),
        (3, "app02-000001-delta.vmdk", "app02", "ds01", "app02")]


def test_recursive_listing_splits_folders_at_their_headings():
    text = ("/vmfs/volumes/ds01/a1:\n"
            "-rw-------    1 root     root     1073741824 Nov 20 07:30 a1-flat.vmdk\n"
            "\n"
            "/vmfs/volumes/ds01/b2:\n"
            "-rw-------    1 root     root     1073741824 Nov 20 07:30 b2-flat.vmdk\n"
            "-rw-------    1 root     root      536870912 Nov 20 07:30 b2-000001-delta.vmdk\n")
    facts = parse_text(LISTING, text)
    assert rows(facts, "vm-folder-usage", "vm", "folder", "delta_bytes") == [
        (1, "a1", "a1", 0), (4, "b2", "b2", 536870912)]


def test_listing_without_vm_files_is_not_claimed():
    head = Head("ls.txt", "-rw-r--r-- 1 root root 1024 Nov 20 07:30 notes.txt\n")
    assert LISTING.recognise(head) == 0
