"""Datastore capacity (df, esxcli storage filesystem list, Get-Datastore) and VM folder listings
(ls, du, dir), each in the shapes the tools print."""

import pytest

from hakb import Head
from hakb.plugins.vmware.storage_listing import PARSERS as LISTING_PARSERS

from .conftest import read_bytes, read_facts, read_text, rows, sample, values

LISTING = LISTING_PARSERS[0]
G = 1 << 30


def storage(name):
    return sample("storage/" + name)


@pytest.mark.parametrize("name, parser", [
    ("df-h.txt", "vmware-datastores"),
    ("df-bytes-crlf.txt", "vmware-datastores"),
    ("esxcli-storage-filesystem-list.txt", "vmware-datastores"),
    ("ls-lh-app01.txt", "vmware-vm-folder-listing"),
    ("ls-la-cwd-prompt.txt", "vmware-vm-folder-listing"),
    ("ls-names-only.txt", "vmware-vm-folder-listing"),
    ("du-h-app01.txt", "vmware-vm-folder-listing"),
    ("dir-app01-de.txt", "vmware-vm-folder-listing"),
])
def test_each_sample_is_read_by_its_parser(name, parser):
    result = read_bytes(storage(name).read_bytes(), name="pasted.txt")
    assert (result.status, result.parser) == ("parsed", parser)


def test_df_h_keeps_datastores_and_converts_human_sizes():
    facts = read_facts(storage("df-h.txt"), host="esx01")
    assert rows(facts, "datastore", "name", "type", "free_text", "size_text", "exact", "source") == [
        (3, "datastore1", "VMFS-6", "3.7 GB", "499.8 GB", False, "df"),
        (4, "ds-prod-02", "VMFS-6", "411.6 GB", "1.0 TB", False, "df"),
        (5, "nfs-iso", "NFS", "680.0 GB", "800.0 GB", False, "df"),
    ]  # the vfat boot banks and the prompt lines are not datastores
    first = facts[0]
    assert first.slots["free"] == round(3.7 * G) and first.slots["size"] == round(499.8 * G)
    assert first.slots["free_pct"] == pytest.approx(0.74, abs=0.001)
    assert first.text.endswith("/vmfs/volumes/datastore1") and first.host == "esx01"


def test_df_in_bytes_whose_wide_numbers_push_the_columns_out_of_line():
    facts = read_facts(storage("df-bytes-crlf.txt"))
    assert rows(facts, "datastore", "name", "size", "free", "used", "exact") == [
        (2, "ds-old", 1099243192320, 33676066816, 1065567125504, True)]
    assert facts[0].slots["free_pct"] == pytest.approx(3.064, abs=0.001)


def test_df_size_wider_than_its_header():
    text = ("Filesystem   Size   Used Available Use% Mounted on\n"
            "VMFS-6     499.8G 496.1G      3.7G  99% /vmfs/volumes/datastore1\n"
            "VMFS-6    1023.8G 612.2G    411.6G  60% /vmfs/volumes/ds-prod-02\n")
    assert values(read_text(text), "datastore", "name", "size_text") == [
        ("datastore1", "499.8 GB"), ("ds-prod-02", "1023.8 GB")]


def test_df_read_from_utf16_with_bom():
    text = (storage("df-h.txt").read_text(encoding="utf-8")).replace("\n", "\r\n")
    facts = read_bytes(b"\xff\xfe" + text.encode("utf-16-le"), name="df.txt").facts
    assert [f.slots["name"] for f in facts] == ["datastore1", "ds-prod-02", "nfs-iso"]


def test_df_with_unreadable_size_is_an_error_naming_the_line():
    text = ("Filesystem   Size   Used Available Use% Mounted on\n"
            "VMFS-6        12Q   1.0G      1.0G  50% /vmfs/volumes/x\n")
    result = read_bytes(text.encode())
    assert result.status == "error" and result.message.startswith("line 2: cannot read the sizes")


def test_linux_df_without_datastores_is_no_error():
    result = read_bytes(b"[root@box ~]# df -h\nFilesystem  Size  Used Avail Use% Mounted on\n"
                        b"/dev/sda1    20G  5.0G   15G  25% /\n")
    assert result.status == "skipped" and result.facts == []


FILESYSTEMS = [
    (3, "datastore1", "5a1b2c3d-1a2b3c4d-5e6f-005056000001", "VMFS-6", True, 536602476544, 3972005888),
    (4, "ds-prod-02", "5a1b2c3d-2a2b3c4d-5e6f-005056000001", "VMFS-6", True, 1099243192320, 441960120320),
    (5, "nfs-iso", "1a2b3c4d-5e6f7a8b", "NFS", True, 858993459200, 730144440320),
    (7, "scratch ds", "5a1b2c3d-3a2b3c4d-5e6f-005056000001", "VMFS-6", False, 0, 0),
]  # line 6 is the unnamed vfat boot bank


def test_esxcli_filesystem_list_table():
    facts = read_facts(storage("esxcli-storage-filesystem-list.txt"))
    assert rows(facts, "datastore", "name", "uuid", "type", "mounted", "size", "free") == FILESYSTEMS
    assert facts[0].slots["used"] == 536602476544 - 3972005888
    assert facts[0].slots["mount"] == "/vmfs/volumes/5a1b2c3d-1a2b3c4d-5e6f-005056000001"
    assert facts[0].slots["free_text"] == "3.7 GB" and facts[3].slots["free_pct"] is None


@pytest.mark.parametrize("name", ["shapes/filesystem-list.csv", "shapes/filesystem-list.xml"])
def test_every_shape_of_esxcli_storage_filesystem_list_gives_the_same_facts(name):
    facts = read_facts(sample(name))
    assert values(facts, "datastore", "name", "uuid", "type", "mounted", "size", "free") == \
        [row[1:] for row in FILESYSTEMS]
    assert {f.slots["source"] for f in facts} == {"esxcli-filesystem"}


GET_DATASTORE = [("datastore1", 536602476544, 3972005888, "3.7 GB", "499.8 GB"),
                 ("ds-prod-02", 1099243192320, 441960120320, "411.6 GB", "1023.8 GB"),
                 ("nfs-iso", 858993459200, 730144440320, "680.0 GB", "800.0 GB")]


@pytest.mark.parametrize("name", ["shapes/datastores-fl.txt", "shapes/datastores.csv",
                                  "shapes/datastores-usecult-de.csv", "shapes/datastores.json"])
def test_every_exact_shape_of_get_datastore_gives_the_same_facts(name):
    facts = read_facts(sample(name))
    assert values(facts, "datastore", "name", "size", "free", "free_text", "size_text") == GET_DATASTORE
    assert {(f.slots["source"], f.slots["exact"]) for f in facts} == {("Get-Datastore", True)}
    assert [f.slots["type"][:4] for f in facts] == ["VMFS", "VMFS", "NFS"]


def test_get_datastore_table_rounds_to_three_decimals_with_digit_grouping():
    facts = read_facts(sample("shapes/datastores-ft.txt"))
    assert values(facts, "datastore", "name", "free_text", "size_text", "exact") == [
        (name, free, size, False) for name, _, _, free, size in GET_DATASTORE]
    assert facts[1].slots["size"] == 1099243192320  # "1,023.750"
    assert facts[0].slots["free_pct"] == pytest.approx(0.74, abs=0.01)


def test_get_datastore_in_mb_from_older_powercli():
    text = "Name          : ds-old\nFreeSpaceMB   : 32116\nCapacityMB    : 1048320\n"
    assert values(read_text(text), "datastore", "name", "size", "free") == [
        ("ds-old", 1048320 << 20, 32116 << 20)]


# --- VM folder listings -----------------------------------------------------------------------


def test_listing_gives_files_chains_and_folder_usage():
    facts = read_facts(storage("ls-lh-app01.txt"), host="esx01")
    files = {f.slots["file"]: f for f in facts if f.type == "vm-file"}
    assert len(files) == 19  # "." and ".." are folders, not files
    assert {f.slots["vm"] for f in files.values()} == {"app01"}
    assert {f.slots["datastore"] for f in files.values()} == {"datastore1"}
    delta = files["app01-000002-sesparse.vmdk"]
    assert (delta.slots["kind"], delta.slots["disk"], delta.slots["base"], delta.slots["level"]) == \
        ("delta-data", "app01-000002", "app01", 2)
    assert delta.slots["size"] == 745 * G // 10 and delta.line == 9
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
    assert chain.slots["delta_bytes"] == 612 * G // 10 + 745 * G // 10 + 467 * G // 10
    assert chain.slots["base_bytes"] == 200 * G

    usage = rows(facts, "vm-folder-usage", "vm", "datastore", "folder", "delta_files", "snapshots",
                 "delta_size")
    assert usage == [(1, "app01", "datastore1", "app01", 4, 3, "183.6 GB")]


def test_listing_folder_from_the_esxi5_prompt_and_sizes_in_bytes():
    facts = read_facts(storage("ls-la-cwd-prompt.txt"))
    assert rows(facts, "vm-disk-chain", "vm", "datastore", "folder", "depth", "delta_bytes", "base_bytes") == [
        (3, "db01", "5a1b2c3d-2a2b3c4d-5e6f-005056000001", "db01", 1, 1073741824, 107374182400)]


def test_listing_without_command_takes_the_vm_from_file_names():
    facts = read_facts(storage("ls-names-only.txt"))
    assert rows(facts, "vm-folder-usage", "vm", "datastore", "folder", "delta_bytes", "snapshots") == [
        (2, "web01", "", "", 524288000, 1)]
    assert rows(facts, "vm-disk-chain", "disk", "depth", "format") == [(2, "web01", 1, "delta")]


def test_listing_of_a_glob_takes_the_folder_from_the_paths():
    text = ("~ # ls -l /vmfs/volumes/ds01/app02/*.vmdk\n"
            "-rw-------    1 root     root     10737418240 Nov 20 07:30 /vmfs/volumes/ds01/app02/app02-flat.vmdk\n"
            "-rw-------    1 root     root      2147483648 Nov 20 07:31 /vmfs/volumes/ds01/app02/app02-000001-delta.vmdk\n")
    assert rows(read_text(text), "vm-file", "file", "vm", "datastore", "folder") == [
        (2, "app02-flat.vmdk", "app02", "ds01", "app02"),
        (3, "app02-000001-delta.vmdk", "app02", "ds01", "app02")]


def test_recursive_listing_splits_folders_at_their_headings():
    text = ("/vmfs/volumes/ds01/a1:\n"
            "-rw-------    1 root     root     1073741824 Nov 20 07:30 a1-flat.vmdk\n"
            "\n"
            "/vmfs/volumes/ds01/b2:\n"
            "-rw-------    1 root     root     1073741824 Nov 20 07:30 b2-flat.vmdk\n"
            "-rw-------    1 root     root      536870912 Nov 20 07:30 b2-000001-delta.vmdk\n")
    assert rows(read_text(text), "vm-folder-usage", "vm", "folder", "delta_bytes") == [
        (2, "a1", "a1", 0), (5, "b2", "b2", 536870912)]


CHAIN = ("vm", "datastore", "folder", "disk", "depth", "top", "delta_size", "base_size")


def test_du_of_the_folders_files_names_folder_and_chain_from_the_paths():
    facts = read_facts(storage("du-h-app01.txt"))
    assert values(facts, "vm-disk-chain", *CHAIN) == [
        ("app01", "datastore1", "app01", "app01", 3, "app01-000003", "182.4 GB", "200.0 GB")]
    # du's line for the folder itself is its total, not a file
    assert "app01" not in {f.slots["file"] for f in facts if f.type == "vm-file"}


def test_windows_dir_of_a_datastore_browser_download_in_german():
    facts = read_facts(storage("dir-app01-de.txt"))
    # Downloaded to a PC: the folder is known, the datastore is not.
    assert values(facts, "vm-disk-chain", *CHAIN) == [
        ("app01", "", "app01", "app01", 3, "app01-000003", "182.4 GB", "200.0 GB")]
    files = {f.slots["file"]: f.slots["size"] for f in facts if f.type == "vm-file"}
    assert len(files) == 15 and files["app01-flat.vmdk"] == 200 * G  # "214.748.364.800"


def test_listing_without_vm_files_is_not_claimed():
    head = Head("ls.txt", "-rw-r--r-- 1 root root 1024 Nov 20 07:30 notes.txt\n")
    assert LISTING.recognise(head) == 0

