"""Hostile archives: nothing is written or read outside the extraction folder, bombs are refused,
nesting is bounded, and a broken archive costs only itself."""

import gzip
import io
import json
import os
import stat
import tarfile
import zipfile
from pathlib import Path

import pytest
from hostile_kit import line_plugin_manager

from hakb.bundle import Limits, collect
from hakb.diagnosis import diagnose


def add_tar(tar, name, data=b"", **attrs):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    for key, value in attrs.items():
        setattr(info, key, value)
    tar.addfile(info, io.BytesIO(data) if data else None)


def tree(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


def shown(inventory, kind="skipped"):
    return {name.split(":", 1)[1]: reason for name, reason in getattr(inventory, kind)}


@pytest.fixture
def work(tmp_path):
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


def test_tar_members_that_escape_or_are_not_files_are_skipped_and_reported(tmp_path, work):
    outside = tmp_path / "outside"
    outside.mkdir()
    absolute = tmp_path / "absolute-escape.txt"
    archive = tmp_path / "evil.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        add_tar(tar, "ok/fine.txt", b"fine\n")
        add_tar(tar, "../escape.txt", b"x\n")
        add_tar(tar, "ok/../../escape2.txt", b"x\n")
        add_tar(tar, str(absolute), b"x\n")
        add_tar(tar, "ok/shadow", type=tarfile.SYMTYPE, linkname="/etc/shadow")
        # A link to a folder outside, then a member written "through" it.
        add_tar(tar, "ok/door", type=tarfile.SYMTYPE, linkname=str(outside))
        add_tar(tar, "ok/door/planted.txt", b"planted\n")
        add_tar(tar, "ok/passwd", type=tarfile.LNKTYPE, linkname="/etc/passwd")
        add_tar(tar, "ok/up", type=tarfile.LNKTYPE, linkname="../../etc/hostname")
        add_tar(tar, "ok/same.txt", type=tarfile.LNKTYPE, linkname="ok/fine.txt")
        add_tar(tar, "ok/tty", type=tarfile.CHRTYPE, devmajor=5, devminor=0)
        add_tar(tar, "ok/disk", type=tarfile.BLKTYPE, devmajor=8, devminor=0)
        add_tar(tar, "ok/fifo", type=tarfile.FIFOTYPE)
    inventory = collect([str(archive)], work)

    skipped = shown(inventory)
    assert "leaves the archive folder" in skipped["../escape.txt"]
    assert "leaves the archive folder" in skipped["ok/../../escape2.txt"]
    assert "leaves the archive folder" in skipped[str(absolute)]
    assert "symbolic link to '/etc/shadow'" in skipped["ok/shadow"]
    assert "symbolic link" in skipped["ok/door"]
    assert "hard link to '/etc/passwd'" in skipped["ok/passwd"]
    assert "hard link to '../../etc/hostname'" in skipped["ok/up"]
    for special in ("ok/tty", "ok/disk", "ok/fifo"):
        assert skipped[special] == "device, FIFO or special file"
    # The hard link to a member of the same archive is a copy of it; the planted file stays inside.
    artifacts = {a.name.split(":", 1)[1]: a.path for a in inventory.artifacts}
    assert sorted(artifacts) == ["ok/door/planted.txt", "ok/fine.txt", "ok/same.txt"]
    assert artifacts["ok/same.txt"].read_bytes() == b"fine\n"
    assert not artifacts["ok/door/planted.txt"].parent.is_symlink()
    # Nothing outside the work folder, nothing a link, nothing special inside it.
    assert tree(outside) == set() and not absolute.exists()
    assert not (tmp_path / "escape.txt").exists() and not (tmp_path / "escape2.txt").exists()
    for path in work.rglob("*"):
        assert path.resolve().is_relative_to(work.resolve())
        assert not path.is_symlink()
        assert path.is_dir() or stat.S_ISREG(path.lstat().st_mode)


def test_zip_members_with_backslash_drive_and_absolute_paths_are_skipped(tmp_path, work):
    archive = tmp_path / "hostile.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("logs/fine.txt", "fine\n")
        z.writestr("..\\..\\evil.txt", "x\n")
        z.writestr("logs\\..\\..\\evil2.txt", "x\n")
        z.writestr("C:\\Windows\\evil3.txt", "x\n")
        z.writestr("/abs/evil4.txt", "x\n")
        z.writestr("\\\\server\\share\\evil5.txt", "x\n")
        z.writestr("logs\\win\\nested.txt", "nested\n")  # backslashes inside: a folder, kept
        link = zipfile.ZipInfo("logs/shadow")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        z.writestr(link, "/etc/shadow")
        fifo = zipfile.ZipInfo("logs/fifo")
        fifo.external_attr = (stat.S_IFIFO | 0o644) << 16
        z.writestr(fifo, "")
    inventory = collect([str(archive)], work)
    skipped = shown(inventory)
    for name in ("..\\..\\evil.txt", "logs\\..\\..\\evil2.txt", "C:\\Windows\\evil3.txt", "/abs/evil4.txt",
                 "\\\\server\\share\\evil5.txt"):
        assert skipped[name] == "path leaves the archive folder", name
    assert skipped["logs/shadow"] == "symbolic link, not followed"
    assert skipped["logs/fifo"] == "device, FIFO or special file"
    assert sorted(a.path.relative_to(work).as_posix().split("/", 1)[1] for a in inventory.artifacts) == [
        "logs/fine.txt", "logs/win/nested.txt"]
    assert not list(tmp_path.glob("evil*")) and not Path("/abs/evil4.txt").exists()


def test_zip_bomb_is_refused_with_default_limits_and_leaves_nothing(tmp_path, work):
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.txt", b"hello\n")
        z.writestr("zeros.bin", b"\0" * (60 * 1024 * 1024))
    assert archive.stat().st_size < 200_000  # about 1000:1
    inventory = collect([str(archive)], work)
    [(name, reason)] = inventory.errors
    assert name == str(archive) and "compression ratio above 200:1" in reason and "--max-ratio" in reason
    assert inventory.artifacts == [] and tree(work) == set()


def test_gzip_tar_bomb_is_refused_early(tmp_path, work):
    archive = tmp_path / "bomb.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        add_tar(tar, "zeros.log", b"\0" * (40 * 1024 * 1024))
    inventory = collect([str(archive)], work, limits=Limits(max_ratio=100))
    assert "compression ratio above 100:1" in inventory.errors[0][1]
    assert inventory.total_bytes < 40 * 1024 * 1024  # stopped long before the end
    # The same archive passes when the user raises the limit.
    again = collect([str(archive)], work, limits=Limits(max_ratio=5000))
    assert again.errors == [] and len(again.artifacts) == 1


def test_file_count_and_total_size_limits(tmp_path, work):
    archive = tmp_path / "many.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for i in range(30):
            z.writestr(f"f{i}.txt", "x" * 1000)
    many = collect([str(archive)], work, limits=Limits(max_files=10))
    assert "more than 10 files (raise --max-files)" in many.errors[0][1]
    big = collect([str(archive)], work, limits=Limits(max_total_bytes=5000))
    assert "unpacks to more than 5000 bytes (raise --max-unpacked)" in big.errors[0][1]


def make_nested(tmp_path: Path, levels: int) -> Path:
    """levels archives inside each other (zip, tgz, zip, ...), the innermost holding inner.txt."""
    payload_name, payload = "inner.txt", b"innermost\n"
    for level in range(levels, 0, -1):
        name = f"level{level}.{'zip' if level % 2 else 'tgz'}"
        path = tmp_path / name
        if level % 2:
            with zipfile.ZipFile(path, "w") as z:
                z.writestr(payload_name, payload)
        else:
            with tarfile.open(path, "w:gz") as tar:
                add_tar(tar, payload_name, payload)
        payload_name, payload = name, path.read_bytes()
    return tmp_path / "level1.zip"


def test_nested_archives_are_read_to_the_depth_limit(tmp_path, work):
    outer = make_nested(tmp_path, 3)
    inventory = collect([str(outer)], work, limits=Limits(max_depth=3))
    [artifact] = inventory.artifacts
    assert artifact.name == f"{outer}:level2.tgz:level3.zip:inner.txt"
    assert artifact.path.read_bytes() == b"innermost\n"
    (tmp_path / "d").mkdir()
    deeper = collect([str(make_nested(tmp_path / "d", 4))], work, limits=Limits(max_depth=3))
    assert deeper.artifacts == []
    assert any(reason == "archive nested deeper than 3" and name.endswith("level4.tgz")
               for name, reason in deeper.skipped)


def test_corrupt_and_truncated_archives_fail_alone_and_the_rest_is_diagnosed(tmp_path, monkeypatch):
    monkeypatch.setenv("HAKB_LOAD_PLUGINS", "")
    cut = tmp_path / "cut.tgz"
    with tarfile.open(cut, "w:gz") as tar:
        add_tar(tar, "first.txt", b"HAKB-TEST\nsurvivor = from the cut archive\n")
        add_tar(tar, "big.txt", os.urandom(300_000))
    cut.write_bytes(cut.read_bytes()[:-150_000])
    garbage = tmp_path / "garbage.zip"
    garbage.write_bytes(b"PK\x03\x04" + os.urandom(5000))
    good = tmp_path / "good.txt"
    good.write_text("HAKB-TEST\nstatus = fine\n")
    case = diagnose([str(cut), str(garbage), str(good)], pm=line_plugin_manager(tmp_path / "pack"))
    by_path = {a.artifact.name: a for a in case.artifacts}
    assert by_path[str(cut)].status == "error" and "corrupt or truncated" in by_path[str(cut)].message
    assert by_path[str(garbage)].status == "error"
    assert by_path[str(good)].status == "parsed"
    assert by_path[f"{cut}:first.txt"].status == "parsed"  # read before the damage
    assert {f.key for f in case.findings} == {"status", "survivor"}
    assert case.diagnosable
    json.dumps(case.as_dict())


def test_encrypted_zip_member_is_an_error_for_that_member_only(tmp_path, work):
    archive = tmp_path / "locked.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("secret.txt", "hidden\n")
        z.writestr("open.txt", "visible\n")
    data = bytearray(archive.read_bytes())
    # Mark secret.txt encrypted (general purpose flag bit 0) in its local and central headers.
    local = data.index(b"PK\x03\x04")
    central = data.index(b"PK\x01\x02")
    data[local + 6] |= 1
    data[central + 8] |= 1
    archive.write_bytes(bytes(data))
    inventory = collect([str(archive)], work)
    assert [a.name.split(":", 1)[1] for a in inventory.artifacts] == ["open.txt"]
    [(name, reason)] = inventory.errors
    assert name.endswith(":secret.txt") and "encrypted" in reason


def test_gzip_compressed_log_is_read_as_the_log(tmp_path, work):
    rotated = tmp_path / "esx07" / "hostd.0.gz"
    rotated.parent.mkdir()
    rotated.write_bytes(gzip.compress(b"rotated log line\n"))
    [artifact] = collect([str(tmp_path / "esx07")], work).artifacts
    # the folder given on the command line is named like a host, so it is that host
    assert artifact.name.endswith("esx07/hostd.0.gz") and artifact.host == "esx07"
    assert artifact.path.read_bytes() == b"rotated log line\n"
    bomb = tmp_path / "bomb.gz"
    bomb.write_bytes(gzip.compress(b"A" * (20 * 1024 * 1024)))
    refused = collect([str(bomb)], work)
    assert refused.artifacts == [] and "compression ratio" in refused.errors[0][1]


def test_member_names_cannot_inject_terminal_escapes_or_break_json(tmp_path, work):
    archive = tmp_path / "names.tar"
    with tarfile.open(archive, "w", encoding="utf-8", errors="surrogateescape") as tar:
        add_tar(tar, "log/\x1b[2J\x1b]0;owned\x07name.txt", b"x\n")
        add_tar(tar, "log/bad-\udcff-utf8.txt", b"y\n")
    inventory = collect([str(archive)], work)
    names = sorted(a.name.split(":", 1)[1] for a in inventory.artifacts)
    assert names == ["log/?[2J?]0;owned?name.txt", "log/bad-\ufffd-utf8.txt"]
    json.dumps(names, ensure_ascii=False).encode("utf-8")


def test_member_name_collisions_skip_the_member_not_the_archive(tmp_path, work):
    archive = tmp_path / "clash.tar"
    with tarfile.open(archive, "w") as tar:
        add_tar(tar, "a", b"file a\n")
        add_tar(tar, "a/b.txt", b"under a file\n")
        add_tar(tar, "c.txt", b"after\n")
    inventory = collect([str(archive)], work)
    assert sorted(a.name.split(":", 1)[1] for a in inventory.artifacts) == ["a", "c.txt"]
    assert "cannot unpack" in shown(inventory)["a/b.txt"]


def test_a_wrapper_folder_in_an_archive_reads_like_the_folder(tmp_path, work):
    archive = tmp_path / "case.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        add_tar(tar, "case/esx03/nics.txt", b"x\n")
        add_tar(tar, "case/esx-esx04.lab.example-2026-11-20--09.15-1/commands/nics.txt", b"x\n")
        add_tar(tar, "case/loose.txt", b"x\n")
    hosts = {a.name.split(":", 1)[1]: a.host for a in collect([str(archive)], work).artifacts}
    assert hosts == {"case/esx03/nics.txt": "esx03",
                     "case/esx-esx04.lab.example-2026-11-20--09.15-1/commands/nics.txt": "esx04.lab.example",
                     "case/loose.txt": None}  # --host fills it after parsing (tests/core/test_hosts.py)


def test_folder_inputs_do_not_follow_links_out(tmp_path, work):
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "shadow").write_text("root:x:0\n")
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / "real.txt").write_text("real\n")
    (bundle / "shadow-link").symlink_to(secret / "shadow")
    (bundle / "folder-link").symlink_to(secret)
    (bundle / "inside-link").symlink_to(bundle / "real.txt")
    os.mkfifo(bundle / "pipe")
    inventory = collect([str(bundle)], work)
    assert sorted(Path(a.name).name for a in inventory.artifacts) == ["inside-link", "real.txt"]
    reasons = {Path(n).name: r for n, r in inventory.skipped}
    assert "leaving the folder" in reasons["shadow-link"]
    assert "folder, not followed" in reasons["folder-link"]
    assert reasons["pipe"] == "not a regular file"
