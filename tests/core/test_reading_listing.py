"""hakb.reading.listing: ls -l / du / Windows dir listings, one record per listed file.

Listings are synthetic, laid out as busybox (ESXi), GNU coreutils and cmd.exe print them.
"""

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hakb.reading import listing
from hakb.textio import iter_stream


def numbered(text: str) -> list[tuple[int, str]]:
    return list(enumerate(text.split("\n"), start=1))


def by_name(records):
    return {r.get("name"): r for r in records}


BUSYBOX_LS = """\
/vmfs/volumes/ds01/app01:
total 41943104
drwxr-xr-x    1 root     root          1820 Nov 20 09:14 .
drwxr-xr-t    1 root     root          2520 Nov 19  2025 ..
-rw-------    1 root     root     42949672960 Nov 20 09:14 app01-flat.vmdk
-rw-------    1 root     root           512 Nov 20 09:14 app01.vmdk
-rw-------    1 root     root             0 Nov 20 09:14 app01.vmx.lck
-rwxr-xr-x    1 root     root          3264 Nov 20 09:14 app01.vmx
lrwxr-xr-x    1 root     root            35 Nov 20 09:14 ds01 -> 5a1b2c3d-1a2b3c4d-5e6f-001122334455"""


def test_busybox_ls_la():
    records = list(listing.read(numbered(BUSYBOX_LS)))
    assert len(records) == 7 and {r.shape for r in records} == {"listing"} and {r.type_name for r in records} == {"ls"}
    rows = by_name(records)
    flat = rows["app01-flat.vmdk"]
    assert [flat.get(n) for n in ("size", "size_text", "mode", "links", "owner", "group", "modified")] == [
        "42949672960", "42949672960", "-rw-------", "1", "root", "root", "Nov 20 09:14"]
    assert (flat.get("directory"), flat.get("is_dir"), flat.line("name"), flat.line("size")) == (
        "/vmfs/volumes/ds01/app01", "False", 5, 5)
    assert flat.text("size") == "-rw-------    1 root     root     42949672960 Nov 20 09:14 app01-flat.vmdk"
    assert rows[".."].get("modified") == "Nov 19  2025" and rows[".."].get("is_dir") == "True"
    assert (rows["ds01"].get("target"), rows["ds01"].get("mode")) == ("5a1b2c3d-1a2b3c4d-5e6f-001122334455", "lrwxr-xr-x")
    assert rows["app01.vmx.lck"].get("size") == "0"


def test_every_record_has_every_name():
    for record in listing.read(numbered(BUSYBOX_LS + "\n4.0G\t./app01\n11/20/2026  09:14 AM  512 x.vmdk")):
        assert set(record.names()) == set(listing.NAMES)


def test_ls_lh_human_sizes_are_powers_of_1024():
    text = ("total 40G\n"
            "-rw-------    1 root     root       40.0G Nov 20 09:14 app01-flat.vmdk\n"
            "-rw-------    1 root     root        4.0K Nov 20 09:14 app01.vmdk\n"
            "-rw-r--r--    1 root     root         512 Nov 20 09:14 vmware.log\n"
            "-rw-r--r--    1 root     root        1.5M Nov 20 09:14 vmware-1.log\n")
    rows = by_name(listing.read(numbered(text)))
    assert rows["app01-flat.vmdk"].get("size") == str(40 * 1024**3)
    assert (rows["app01.vmdk"].get("size"), rows["app01.vmdk"].get("size_text")) == ("4096", "4.0K")
    assert rows["vmware.log"].get("size") == "512"
    assert rows["vmware-1.log"].get("size") == str(3 * 1024**2 // 2)
    assert rows["vmware-1.log"].line("size") == 5


def test_gnu_ls_iso_dates_selinux_dot_devices_and_german_locale():
    text = ("-rw-r--r--. 1 root root 1234 2026-11-20 09:14 iso.txt\n"
            "-rw-r--r--  1 root root   10 2026-11-20 09:14:05.123456789 +0100 full iso.txt\n"
            "crw-rw----  1 root tty    4,   0 Nov 20 09:14 tty0\n"
            "-rw-r--r--  1 anna users 4,0K 20. Nov 09:14 notiz.txt\n"
            "drwxr-xr-x+ 2 root root 4096 Nov 20 09:14 acl dir\n")
    rows = by_name(listing.read(numbered(text)))
    assert (rows["iso.txt"].get("modified"), rows["iso.txt"].get("mode")) == ("2026-11-20 09:14", "-rw-r--r--.")
    assert rows["full iso.txt"].get("modified") == "2026-11-20 09:14:05.123456789 +0100"
    assert (rows["tty0"].get("size"), rows["tty0"].get("size_text")) == ("", "4,   0")
    assert (rows["notiz.txt"].get("size"), rows["notiz.txt"].get("modified")) == ("4096", "20. Nov 09:14")
    assert rows["acl dir"].get("is_dir") == "True" and rows["acl dir"].line("name") == 5


def test_several_directories_each_name_their_lines():
    text = "app01:\ntotal 0\n-rw------- 1 root root 0 Nov 20 09:14 a\n\napp02/:\n-rw------- 1 root root 0 Nov 20 09:14 b\n"
    rows = by_name(listing.read(numbered(text)))
    assert (rows["a"].get("directory"), rows["b"].get("directory")) == ("app01", "app02/")


def test_du_lines():
    text = "4.0G\t./app01\n12K\t./app02\n40.0G   big folder\n8\t./small\n0\t./empty"
    rows = list(listing.read(numbered(text)))
    assert [(r.type_name, r.get("name"), r.get("size"), r.get("size_text"), r.line("size")) for r in rows] == [
        ("du", "./app01", str(4 * 1024**3), "4.0G", 1),
        ("du", "./app02", str(12 * 1024), "12K", 2),
        ("du", "big folder", str(40 * 1024**3), "40.0G", 3),
        ("du", "./small", "8192", "8", 4),  # du's default unit: 1 KiB blocks
        ("du", "./empty", "0", "0", 5),
    ]
    assert rows[0].get("is_dir") == "" and rows[0].get("mode") == ""


ENGLISH_DIR = """\
 Volume in drive C has no label.
 Volume Serial Number is 1234-ABCD

 Directory of C:\\VMs\\app01

11/20/2026  09:14 AM    <DIR>          .
11/20/2026  09:14 AM    <DIR>          ..
11/20/2026  09:14 AM    42,949,672,960 app01-flat.vmdk
11/20/2026  09:14 AM               512 app01.vmdk
11/20/2026  02:05 PM    <JUNCTION>     Docs [C:\\Users\\admin\\Documents]
               2 File(s) 42,949,673,472 bytes
               3 Dir(s)  10,737,418,240 bytes free"""

GERMAN_DIR = """\
 Datenträger in Laufwerk D: ist Daten
 Volumeseriennummer: 1234-ABCD

 Verzeichnis von D:\\VMs\\app01

20.11.2026  09:14    <DIR>          .
20.11.2026  09:14    42.949.672.960 app01-flat.vmdk
20.11.2026  09:14               512 app01.vmdk
               2 Datei(en), 42.949.673.472 Bytes
               1 Verzeichnis(se), 10.737.418.240 Bytes frei"""


def test_windows_dir_english():
    records = list(listing.read(numbered(ENGLISH_DIR)))
    assert len(records) == 5 and {r.type_name for r in records} == {"dir"}
    rows = by_name(records)
    flat = rows["app01-flat.vmdk"]
    assert [flat.get(n) for n in ("size", "size_text", "modified", "directory", "is_dir")] == [
        "42949672960", "42,949,672,960", "11/20/2026  09:14 AM", "C:\\VMs\\app01", "False"]
    assert flat.line("name") == 8
    assert (rows["."].get("is_dir"), rows["."].get("size"), rows["."].get("size_text")) == ("True", "", "<DIR>")
    assert (rows["Docs"].get("target"), rows["Docs"].get("modified")) == ("C:\\Users\\admin\\Documents", "11/20/2026  02:05 PM")


def test_windows_dir_german():
    rows = by_name(listing.read(numbered(GERMAN_DIR)))
    assert set(rows) == {".", "app01-flat.vmdk", "app01.vmdk"}
    flat = rows["app01-flat.vmdk"]
    assert (flat.get("size"), flat.get("size_text"), flat.get("modified"), flat.get("directory"), flat.line("size")) == (
        "42949672960", "42.949.672.960", "20.11.2026  09:14", "D:\\VMs\\app01", 7)


def test_dir_output_saved_as_utf16_with_crlf():
    data = b"\xff\xfe" + GERMAN_DIR.replace("\n", "\r\n").encode("utf-16-le")
    rows = by_name(listing.read(iter_stream(io.BytesIO(data))))
    assert rows["app01.vmdk"].get("directory") == "D:\\VMs\\app01" and rows["app01.vmdk"].line("name") == 8


def test_bom_and_crlf_remnants():
    text = "\ufefftotal 8\r\n-rw-------    1 root     root           512 Nov 20 09:14 app01.vmdk\r\n"
    (record,) = listing.read(numbered(text))
    assert record.get("name") == "app01.vmdk" and not record.text("name").endswith("\r")
    (record,) = listing.read(numbered("\ufeff11/20/2026  09:14 AM               512 app01.vmdk\r"))
    assert record.get("name") == "app01.vmdk"


def test_empty_and_unrelated_input_yield_nothing():
    assert list(listing.read([])) == []
    assert list(listing.read(numbered("\n\nls: /vmfs/volumes/nope: No such file or directory\n"))) == []
    assert list(listing.read(numbered("Name    : app01\nStatus  : Running"))) == []


@pytest.mark.parametrize("head,expected", [
    (BUSYBOX_LS.splitlines()[:4], True),
    (ENGLISH_DIR.splitlines()[:8], True),
    (GERMAN_DIR.splitlines()[:8], True),
    (["4.0G\t./app01", "12K\t./app02"], True),
    (["40.0G   app01"], True),
    (["Vmid   Name    File                    Guest OS", "1      app01   [ds01] app01/app01.vmx  windows9Server64Guest"], False),
    (["1      app01   [ds01] app01/app01.vmx"], False),
    (["Name    : app01"], False),
    ([], False),
])
def test_looks_like(head, expected):
    assert listing.looks_like(head) is expected


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet="-drwx1 root:Nov2009.G\t/<DIR>,AM\r\ufeff", max_size=40), max_size=8))
def test_any_input_reads_without_raising(lines):
    for record in listing.read(list(enumerate(lines, start=1))):
        assert record.first_line >= 1 and set(record.names()) == set(listing.NAMES)
