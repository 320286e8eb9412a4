"""Collecting inputs: folders, archives, stdin, host attribution, and unsafe archive members."""

import io
import tarfile
import zipfile

import pytest

from hakb.bundle import InputError, Limits, collect, host_from_parts


def names(inventory):
    return sorted(a.name.split(":", 1)[-1] for a in inventory.artifacts)


def test_host_from_vm_support_folder_and_per_host_folder(tmp_path):
    root = tmp_path / "case"
    (root / "esx-esx01.lab.example-2026-11-20--09.15-12345" / "var" / "run" / "log").mkdir(parents=True)
    (root / "esx-esx01.lab.example-2026-11-20--09.15-12345" / "var" / "run" / "log" / "hostd.log").write_text("x")
    (root / "esx03").mkdir()
    (root / "esx03" / "nics.txt").write_text("x")
    (root / "loose.txt").write_text("x")
    inventory = collect([str(root)], tmp_path / "work")
    hosts = {a.name.rsplit("/", 1)[-1]: a.host for a in inventory.artifacts}
    assert hosts == {"hostd.log": "esx01.lab.example", "nics.txt": "esx03", "loose.txt": None}


def test_tgz_is_unpacked_and_members_are_attributed(tmp_path):
    archive = tmp_path / "bundle.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        data = b"hello\n"
        info = tarfile.TarInfo("esx-esx02-2026-11-20--09.15-1/commands/nics.txt")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    (tmp_path / "work").mkdir()
    inventory = collect([str(archive)], tmp_path / "work")
    [artifact] = inventory.artifacts
    assert artifact.name == f"{archive}:esx-esx02-2026-11-20--09.15-1/commands/nics.txt"
    assert artifact.host == "esx02" and artifact.path.read_bytes() == b"hello\n"


def test_unsafe_tar_members_are_skipped_and_reported(tmp_path):
    archive = tmp_path / "evil.tar"
    with tarfile.open(archive, "w") as tar:
        for name in ("../escape.txt", "/abs/path.txt", "ok/fine.txt"):
            info = tarfile.TarInfo(name)
            info.size = 2
            tar.addfile(info, io.BytesIO(b"x\n"))
        link = tarfile.TarInfo("ok/shadow")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/shadow"
        tar.addfile(link)
        fifo = tarfile.TarInfo("ok/fifo")
        fifo.type = tarfile.FIFOTYPE
        tar.addfile(fifo)
    work = tmp_path / "work"
    work.mkdir()
    inventory = collect([str(archive)], work)
    assert names(inventory) == ["ok/fine.txt"]
    reasons = dict((n.split(":", 1)[1], r) for n, r in inventory.skipped)
    assert set(reasons) == {"../escape.txt", "/abs/path.txt", "ok/shadow", "ok/fifo"}
    assert not (tmp_path / "escape.txt").exists()
    assert all(p.resolve().is_relative_to(work.resolve()) for p in work.rglob("*"))


def test_zip_bomb_is_refused(tmp_path):
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("big.txt", b"\0" * (20 * 1024 * 1024))
    work = tmp_path / "work"
    work.mkdir()
    inventory = collect([str(archive)], work, limits=Limits(max_ratio=100))
    assert inventory.artifacts == []
    assert inventory.errors and "ratio" in inventory.errors[0][1]


def test_truncated_archive_is_an_error_for_that_input_only(tmp_path):
    archive = tmp_path / "cut.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        data = b"line\n" * 50000
        info = tarfile.TarInfo("a.txt")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    archive.write_bytes(archive.read_bytes()[:200])
    other = tmp_path / "other.txt"
    other.write_text("fine\n")
    work = tmp_path / "work"
    work.mkdir()
    inventory = collect([str(archive), str(other)], work)
    assert any("corrupt or truncated" in reason for _, reason in inventory.errors)
    assert str(other) in [a.name for a in inventory.artifacts]


def test_stdin_and_missing_input(tmp_path):
    inventory = collect(["-"], tmp_path, stdin=io.BytesIO(b"pasted\n"))
    [artifact] = inventory.artifacts
    assert (artifact.name, artifact.host, artifact.path.read_bytes()) == ("<stdin>", None, b"pasted\n")
    with pytest.raises(InputError, match="no such file"):
        collect([str(tmp_path / "missing")], tmp_path)


def test_host_from_parts_ignores_bundle_internal_folders():
    assert host_from_parts(("commands", "esxcfg-nics.txt")) is None
