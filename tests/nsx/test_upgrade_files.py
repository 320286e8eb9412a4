"""Listings of the backup folder (ls -l, ls -lh, Windows dir in any locale) from the core's listing
reader: the Manager backup and the tech support bundle, or their absence."""

import pytest

from hakb import Head
from hakb.plugins.nsx import upgrade_files
from bundles import FACTS, samples

SAMPLES = samples("nsx")
GERMAN_DIR = FACTS / "nsx/variants/nsx-ready/backup-dir-german/backup-server/dir-backup.txt"
FILES = [("backup", "vsm01-backup-2026-11-19-2100.bak", 52428800),
         ("tech-support", "VMware-vShield-Manager-tech-support-192.0.2.10-2026-11-19.tgz", 31457280)]
LS_LH = """\
[root@files01 ~]# ls -lh /srv/backup/vcns
total 81M
-rw-r--r--. 1 backup backup 2.0K Nov 19 21:11 checksums.txt
-rw-r--r--. 1 backup backup  30M Nov 19 21:10 VMware-vShield-Manager-tech-support-192.0.2.10-2026-11-19.tgz
-rw-r--r--. 1 backup backup  50M Nov 19 21:02 vsm01-backup-2026-11-19-2100.bak
"""
DIR_ENGLISH = """\
C:\\>dir D:\\backup\\vcns
 Volume in drive D is Backup
 Volume Serial Number is 5A3C-91F2

 Directory of D:\\backup\\vcns

11/19/2026  09:11 PM    <DIR>          .
11/19/2026  09:11 PM    <DIR>          ..
11/19/2026  09:11 PM             2,048 checksums.txt
11/19/2026  09:10 PM        31,457,280 VMware-vShield-Manager-tech-support-192.0.2.10-2026-11-19.tgz
11/19/2026  09:02 PM        52,428,800 vsm01-backup-2026-11-19-2100.bak
               3 File(s)     83,888,128 bytes
               2 Dir(s)  1,099,511,627,776 bytes free
"""


@pytest.mark.parametrize("shape, content", [
    ("ls -l", SAMPLES / "backup-listing.txt"),
    ("ls -lh (RHEL, SELinux dot)", LS_LH),
    ("dir, English", DIR_ENGLISH),
    ("dir, German", GERMAN_DIR),
])
def test_every_listing_shape_gives_the_same_files(read, shape, content):
    got = read(content)
    files = sorted(got.values("upgrade-file", "kind", "file", "size"), key=lambda row: row[0])
    if shape.startswith("ls -lh"):  # units: what -h printed, in bytes
        assert [row[:2] for row in files] == [row[:2] for row in FILES] and files[0][2] == 50 * 1024 * 1024
    else:
        assert files == FILES, shape
    assert [row[1:] for row in got.values("upgrade-file-listing", "folder", "files", "backups", "tech_support")] == [
        (3, 1, 1)], shape


def test_the_folder_of_a_listing(read):
    assert read(SAMPLES / "backup-listing.txt").rows("upgrade-file-listing", "folder") == [(1, "/srv/backup/vcns")]
    assert read(GERMAN_DIR).values("upgrade-file-listing", "folder") == [("\\\\files01\\backup\\vcns",)]
    assert read(GERMAN_DIR).values("upgrade-file", "date") == [("19.11.2026  21:10",), ("19.11.2026  21:02",)]


def test_windows_dir_of_the_backup_folder_without_backups(read):
    got = read(SAMPLES / "backup-dir-windows.txt")
    assert got.values("upgrade-file-listing", "folder", "files", "backups", "tech_support") == [
        ("D:\\backup\\vcns", 1, 0, 0)]
    assert got.rows("upgrade-file") == []


def test_an_empty_backup_folder_is_a_listing_of_nothing(read):
    got = read("backup@files01:~$ ls -l /srv/backup/vcns\ntotal 0\n")
    assert got.rows("upgrade-file-listing", "folder", "files", "backups") == [(1, "/srv/backup/vcns", 0, 0)]


def test_a_listing_elsewhere_is_read_only_for_backups(read):
    assert read("admin@jump01:~$ ls -l /tmp\ntotal 4\n-rw-r--r-- 1 admin admin 120 Nov 19 09:00 notes.txt\n").facts == []
    got = read("admin@jump01:~$ ls -l /tmp\n-rw-r--r-- 1 admin admin 52428800 Nov 19 21:02 vsm01-backup.bak\n")
    assert got.values("upgrade-file-listing", "folder", "backups", "tech_support") == [("/tmp", 1, 0)]


def test_vm_folder_listing_is_left_to_the_storage_parser():
    text = "-rw------- 1 root root 1024 Nov 20 07:30 backup01-flat.vmdk\n"
    assert upgrade_files.PARSERS[0].recognise(Head("ls.txt", text)) == 0


@pytest.mark.parametrize("command, folder", [
    ("ls -la /srv/backup/vcns/", "/srv/backup/vcns/"), ("dir /O:D D:\\Backup", "D:\\Backup"),
    ("ls -l", ""), ("cat x", ""),
])
def test_the_folder_a_command_lists(command, folder):
    assert upgrade_files.command_folder(command) == folder
