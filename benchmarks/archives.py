"""What refusing a hostile archive costs, against the least any reader must do.

    python benchmarks/archives.py [MEMBERS]    # default 150000

* A .tgz of MEMBERS empty files (more than ``--max-files``): refused by counting headers
  before anything is written. Baseline: listing the first max-files + 1 headers with tarfile,
  the least work that can tell the archive is too big.
* A 23 KB .tgz of 2,000 gzip members of 1 MiB of zeros each (2 GiB in all): refused by the
  ratio counted across nested archives. Printed: bytes written before the refusal.
* Counting ahead on a genuine archive: the members of a .tgz of logs are counted before it is
  unpacked; printed as a share of the time to unpack it.
"""

from __future__ import annotations

import gzip
import io
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from hakb.archives import Budget, Limits, count_tar_members
from hakb.bundle import collect

LINE = (b"2026-11-20T09:14:57.103Z info hostd[2099962] [Originator@6876 sub=Vimsvc.TaskManager "
        b"opID=5f3a9c1e-6a2b-01-7a11 user=vpxuser] Task Completed : haTask-ha-host-vim.SearchIndex\n")


def add(tar: tarfile.TarFile, name: str, data: bytes = b"") -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def many_members(folder: Path, members: int) -> None:
    archive = folder / "many.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        for i in range(members):
            add(tar, f"d{i // 1000}/f{i}.txt")
    limit = Limits().max_files

    def list_headers():
        with tarfile.open(archive, "r:*") as tar:
            for count, _ in enumerate(tar, start=1):
                if count > limit:
                    return

    work = folder / "work-many"
    work.mkdir()
    baseline, _ = timed(list_headers)
    refusal, inventory = timed(lambda: collect([str(archive)], work))
    written = sum(1 for p in work.rglob("*") if p.is_file())
    print(f"{members} members ({archive.stat().st_size // 1024} KiB): refused in {refusal:.2f} s, "
          f"listing {limit + 1} headers takes {baseline:.2f} s: ratio {refusal / baseline:.2f}; "
          f"files written {written}; {inventory.errors[0][1]}")


def nested_bomb(folder: Path) -> None:
    archive = folder / "nested.tgz"
    member = gzip.compress(b"\0" * (1 << 20), compresslevel=9)
    with tarfile.open(archive, "w:gz") as tar:
        for i in range(2000):
            add(tar, f"logs/vmkernel.{i}.gz", member)
    work = folder / "work-nested"
    work.mkdir()
    seconds, inventory = timed(lambda: collect([str(archive)], work))
    print(f"nested bomb ({archive.stat().st_size // 1024} KiB, 2000 x 1 MiB inside): refused in "
          f"{seconds:.2f} s after writing {inventory.total_bytes / 1024**2:.1f} MiB of 2048 MiB; "
          f"{inventory.errors[0][1]}")


def count_ahead(folder: Path) -> None:
    archive = folder / "logs.tgz"
    block = LINE * 20_000  # about 3 MiB
    with tarfile.open(archive, "w:gz", compresslevel=1) as tar:
        for i in range(20):
            add(tar, f"esx01/var/run/log/hostd.{i}.log", block)
    counting, _ = timed(lambda: count_tar_members(archive, Budget(Limits(), archive.stat().st_size)))
    work = folder / "work-logs"
    work.mkdir()
    unpacking, inventory = timed(lambda: collect([str(archive)], work))
    print(f"genuine .tgz ({inventory.total_bytes / 1024**2:.0f} MiB of logs): counting ahead "
          f"{counting:.2f} s of {unpacking:.2f} s unpacking ({counting / unpacking:.0%})")


def main() -> None:
    members = int(sys.argv[1]) if len(sys.argv) > 1 else 150_000
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        many_members(folder, members)
        nested_bomb(folder)
        count_ahead(folder)


if __name__ == "__main__":
    main()
