"""Hostile archives: nothing is written or read outside the extraction folder, bombs are refused,
nesting is bounded, and a broken archive costs only itself."""

import gzip
import io
import json
import os
import stat
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

import pytest
from hostile_kit import line_plugin_manager

import hakb.archives
from hakb.bundle import Limits, collect, work_folder
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
    assert "more than 10 members in all (raise --max-files)" in many.errors[0][1]
    big = collect([str(archive)], work, limits=Limits(max_total_bytes=5000))
    assert "unpacks to more than 5000 bytes in all (raise --max-unpacked)" in big.errors[0][1]


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


# -- limits count across the whole input, nested archives included -----------------------------

def test_a_bomb_of_nested_gzip_members_refuses_the_archive_that_carries_it(tmp_path, work):
    """2,000 gzip members of 1 MiB of zeros each: 2 GiB from a 20-odd KB .tgz. Each member alone
    fits the per-archive floor; together they count against the archive that carries them."""
    archive = tmp_path / "nested.tgz"
    member = gzip.compress(b"\0" * (1 << 20), compresslevel=9)
    with tarfile.open(archive, "w:gz") as tar:
        for i in range(2000):
            add_tar(tar, f"logs/vmkernel.{i}.gz", member)
    assert archive.stat().st_size < 30_000
    inventory = collect([str(archive)], work)
    [(name, reason)] = inventory.errors
    assert name == str(archive) and reason.startswith("archive refused: compression ratio above 200:1")
    assert inventory.artifacts == []
    assert inventory.total_bytes < 8 * 1024 * 1024  # stopped after a few members, not 2 GiB
    assert tree(work) == set()  # the outer folder and every inner one are gone


def test_the_ratio_counts_all_inputs_together(tmp_path, work):
    """Forty tiny zips of 1 MiB each: every one fits its own allowance, not all of them the
    allowance of what was given; given more (a real log beside them), they all fit."""
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    for i in range(40):
        with zipfile.ZipFile(bundle / f"part{i:02}.zip", "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr(f"zeros{i}.bin", b"\0" * (1 << 20))
    inventory = collect([str(bundle)], work)
    refused = [reason for _, reason in inventory.errors]
    assert 0 < len(inventory.artifacts) < 40 and len(refused) == 40 - len(inventory.artifacts)
    assert all("compression ratio above 200:1 for all inputs together" in r for r in refused)
    given = sum(p.stat().st_size for p in bundle.iterdir())
    assert inventory.total_bytes <= max(200 * given, 1 << 20) + (1 << 20)
    (bundle / "hostd.log").write_bytes(os.urandom(300_000))  # incompressible: 300 KB given more
    again = collect([str(bundle)], tmp_path)
    assert again.errors == [] and len(again.artifacts) == 41


def test_members_of_nested_archives_count_toward_max_files(tmp_path, work):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        for i in range(5):
            z.writestr(f"f{i}.txt", "x\n")
    archive = tmp_path / "outer.tar"
    with tarfile.open(archive, "w") as tar:
        for i in range(3):
            add_tar(tar, f"inner{i}.zip", inner.getvalue())
    # 3 zips + 15 members in them: 18 members in all.
    refused = collect([str(archive)], work, limits=Limits(max_files=12))
    assert refused.errors == [(str(archive), "archive refused: more than 12 members in all (raise --max-files)")]
    assert refused.artifacts == [] and tree(work) == set()
    fits = collect([str(archive)], work, limits=Limits(max_files=18))
    assert fits.errors == [] and len(fits.artifacts) == 15 and fits.file_count == 18


@pytest.mark.parametrize("mode", ["w", "w:gz"])
def test_too_many_tar_members_are_refused_before_anything_is_written(tmp_path, work, monkeypatch, mode):
    archive = tmp_path / ("many.tar" if mode == "w" else "many.tgz")
    with tarfile.open(archive, mode) as tar:
        for i in range(300):
            add_tar(tar, f"d/f{i}.txt", b"x\n")
    monkeypatch.setattr(hakb.archives, "copy_bounded", lambda *a: pytest.fail("a member was written"))
    inventory = collect([str(archive)], work, limits=Limits(max_files=100))
    assert inventory.errors == [(str(archive), "archive refused: more than 100 members in all (raise --max-files)")]
    assert tree(work) == set()


def test_too_many_zip_members_are_refused_from_the_end_record(tmp_path, work, monkeypatch):
    archive = tmp_path / "many.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for i in range(300):
            z.writestr(f"d/f{i}.txt", "x\n")
    opened = []
    monkeypatch.setattr(hakb.archives.zipfile, "ZipFile", lambda *a, **k: opened.append(a) or pytest.fail())
    inventory = collect([str(archive)], work, limits=Limits(max_files=100))
    assert inventory.errors == [(str(archive), "archive refused: more than 100 members in all (raise --max-files)")]
    assert opened == [] and tree(work) == set()  # refused before its directory was read


def test_a_zip_whose_declared_sizes_do_not_fit_is_refused_before_writing(tmp_path, work, monkeypatch):
    archive = tmp_path / "big.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("zeros.bin", b"\0" * (5 << 20))
    monkeypatch.setattr(hakb.archives, "copy_bounded", lambda *a: pytest.fail("a member was written"))
    inventory = collect([str(archive)], work)
    assert "compression ratio above 200:1" in inventory.errors[0][1]


# -- nothing is dropped without a word -------------------------------------------------------

NUL_LOG = b"\0" * 512 + b"2026-11-20T09:14:57.103Z info hostd[1] after the crash\n"


@pytest.mark.parametrize("name", ["hostd.0.gz", "hostd.tgz"])
def test_a_gzip_log_starting_with_nul_bytes_is_read_not_taken_for_an_empty_tar(tmp_path, work, name):
    path = tmp_path / name
    path.write_bytes(gzip.compress(NUL_LOG))
    inventory = collect([str(path)], work)
    [artifact] = inventory.artifacts
    assert artifact.name == str(path) and artifact.path.read_bytes() == NUL_LOG
    assert inventory.skipped == [] and inventory.errors == []


def test_an_archive_holding_nothing_is_listed(tmp_path, work):
    empty = tmp_path / "empty.tar"
    with tarfile.open(empty, "w"):
        pass
    folders_only = tmp_path / "folders.zip"
    with zipfile.ZipFile(folders_only, "w") as z:
        z.writestr("logs/", "")
    inventory = collect([str(empty), str(folders_only)], work)
    assert inventory.skipped == [(str(empty), "archive holds no files"),
                                 (str(folders_only), "archive holds no files")]


def test_a_member_cut_short_is_an_error_not_half_a_file(tmp_path, work):
    archive = tmp_path / "cut.tar"
    with tarfile.open(archive, "w") as tar:
        add_tar(tar, "first.txt", b"complete\n")
        add_tar(tar, "big.log", b"y" * 100_000)
    archive.write_bytes(archive.read_bytes()[:60_000])
    inventory = collect([str(archive)], work)
    assert [a.name for a in inventory.artifacts] == [f"{archive}:first.txt"]
    errors = dict(inventory.errors)
    assert errors[f"{archive}:big.log"].startswith("cut short, not unpacked")
    assert errors[str(archive)].startswith("archive is corrupt or truncated")
    assert not any(p.name == "big.log" for p in work.rglob("*"))


def test_a_zip_member_with_a_bad_checksum_leaves_no_partial_file(tmp_path, work):
    archive = tmp_path / "crc.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("bad.txt", "original content of the member\n" * 100)
        z.writestr("good.txt", "fine\n")
    data = archive.read_bytes()
    archive.write_bytes(data.replace(b"original", b"ORIGINAL", 1))  # stored, so the CRC no longer fits
    inventory = collect([str(archive)], work)
    assert [a.name for a in inventory.artifacts] == [f"{archive}:good.txt"]
    [(name, reason)] = inventory.errors
    assert name == f"{archive}:bad.txt" and "CRC" in reason
    assert not any(p.name == "bad.txt" for p in work.rglob("*"))


def test_a_later_member_of_the_same_name_is_said_to_replace_the_earlier(tmp_path, work):
    archive = tmp_path / "twice.tar"
    with tarfile.open(archive, "w") as tar:
        add_tar(tar, "a.txt", b"first\n")
        add_tar(tar, "a.txt", b"second\n")
    inventory = collect([str(archive)], work)
    [artifact] = inventory.artifacts
    assert artifact.path.read_bytes() == b"second\n"
    assert inventory.skipped == [(f"{archive}:a.txt", "an earlier member of the same name was replaced by this one")]


# -- the run's temporary folder ----------------------------------------------------------------

def locked_elsewhere(folder: Path) -> bool:
    """True when some open file description holds the folder's run lock."""
    import fcntl
    fd = os.open(folder / ".hakb-run.lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except OSError:
        return True
    finally:
        os.close(fd)


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_the_work_folder_carries_the_pid_holds_a_lock_and_goes_away(tmp_path):
    with work_folder(tmp_path) as folder:
        assert folder.parent == tmp_path and folder.name.startswith(f"hakb-{os.getpid()}-")
        assert locked_elsewhere(folder)
        (folder / "unpacked.txt").write_text("x")
    assert list(tmp_path.iterdir()) == []


def test_stale_work_folders_of_killed_runs_are_removed_live_ones_kept(tmp_path):
    import fcntl
    dead = dead_pid()
    stale = tmp_path / f"hakb-{dead}-abc123"
    (stale / "archive-1-x").mkdir(parents=True)
    (stale / "archive-1-x" / "big.log").write_bytes(b"x" * 1000)
    (stale / ".hakb-run.lock").write_text("")  # nobody holds it: its run is over
    stale_unlocked = tmp_path / f"hakb-{dead}-def456"  # killed before it took its lock
    stale_unlocked.mkdir()
    live = tmp_path / f"hakb-{dead}-live99"  # a pid that looks dead, but the lock is held
    live.mkdir()
    holder = os.open(live / ".hakb-run.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(holder, fcntl.LOCK_EX)
    others = [tmp_path / "hakb-notes", tmp_path / "unrelated"]
    for other in others:
        other.mkdir()
    try:
        with work_folder(tmp_path) as mine:
            left = sorted(p.name for p in tmp_path.iterdir())
    finally:
        os.close(holder)
    assert left == sorted([mine.name, live.name, "hakb-notes", "unrelated"])


def test_a_run_killed_while_unpacking_leaves_a_folder_the_next_run_removes(tmp_path):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    bundle = tmp_path / "bundle.tgz"
    block = b"2026-11-20T09:14:57.103Z info hostd[2099962] Task Completed : haTask-4 Status success\n"
    with tarfile.open(bundle, "w:gz", compresslevel=1) as tar:
        for i in range(8):  # big enough to take a while, compressing well below 200:1
            add_tar(tar, f"esx01/var/log/big{i}.log", block * 200_000)
    environment = {**os.environ, "TMPDIR": str(scratch), "HAKB_LOAD_PLUGINS": ""}
    hakb = [str(Path(sys.executable).parent / "hakb")]
    process = subprocess.Popen(hakb + ["diagnose", "-q", "--no-save", str(bundle)], env=environment,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(p.is_file() and p.name.endswith(".log")
                                                  for p in scratch.rglob("*")):
        time.sleep(0.02)
    process.kill()
    process.wait()
    [left] = list(scratch.iterdir())
    assert left.name.startswith(f"hakb-{process.pid}-") and any(left.rglob("*.log"))
    small = tmp_path / "note.txt"
    small.write_text("nothing to see\n")
    subprocess.run(hakb + ["parse", str(small)], env=environment, check=True, capture_output=True)
    assert list(scratch.iterdir()) == []


# -- sizes with units --------------------------------------------------------------------------

def test_max_unpacked_takes_units_on_the_command_line(tmp_path):
    from click.testing import CliRunner
    from hakb.cli import cli
    archive = tmp_path / "logs.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("hostd.log", "x" * 5000)
    result = CliRunner().invoke(cli, ["diagnose", "--no-save", "--format", "json", "--max-unpacked", "4K",
                                      str(archive)])
    report = json.loads(result.stdout)
    assert [a["message"] for a in report["artifacts"]] == [
        "archive refused: unpacks to more than 4 KiB in all (raise --max-unpacked)"]
    bad = CliRunner().invoke(cli, ["diagnose", "--no-save", "--max-unpacked", "4X", str(archive)])
    assert bad.exit_code == 2 and "'4X' is not a size" in bad.output
    half = CliRunner().invoke(cli, ["diagnose", "--no-save", "--format", "json", "--max-unpacked", "4.5K",
                                    str(archive)])
    assert json.loads(half.stdout)["artifacts"][0]["message"] == \
        "archive refused: unpacks to more than 4.5 KiB in all (raise --max-unpacked)"
