"""Peak memory and time of `hakb diagnose` on a large synthetic hostd.log, against a baseline.

A benchmark, not a test: it writes a multi-gigabyte file. The claim it checks is that hakb reads
logs streamed, in bounded memory: its peak RSS must not grow with the file. The baseline, measured
in the same run on the same file, is a plain Python loop reading the file line by line; the
interesting figures are hakb's peak RSS (should be tens of MB whatever --size is) and the time
ratio (parsing costs more than reading).

    python benchmarks/memory.py                 # 2 GiB, as the issue asks
    python benchmarks/memory.py --size 200M     # a quick run
    python benchmarks/memory.py --size 1G --size 2G   # several sizes, to see RSS stay flat

The log is synthetic: ESXi 7-style hostd lines (info/verbose noise, `-->` continuations) with a
disk-lock failure every MiB (or --locks in all), so the parser produces facts throughout and the
rules have work. Reading stays flat; what grows with --size at one lock a MiB is the rule engine,
which holds every fact (2 GiB gives about 4 000 facts and their joins).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NOISE = [
    "{t} info hostd[2099912] [Originator@6876 sub=Vimsvc.ha-eventmgr] Event {n} : User root@192.0.2.50 "
    "logged in as VMware-client/6.5.0",
    "{t} verbose hostd[2099925] [Originator@6876 sub=PropertyProvider opID=HB-host-{n}@2790-2f1e3d4c-01 "
    "user=vpxuser] RecordOp ASSIGN: info, haTask--vim.SearchIndex.findByUuid-{n}. Applied change to temp map.",
    "{t} info hostd[2099931] [Originator@6876 sub=Vimsvc.TaskManager opID=HB-host-{n}@2790-2f1e3d4c-01 "
    "user=vpxuser] Task Completed : haTask--vim.SearchIndex.findByUuid-{n} Status success",
    "{t} info hostd[2099912] [Originator@6876 sub=Hostsvc.VmkVprobSource] VmkVprobSource::Post event: "
    "(vim.event.EventEx) {{",
    "-->    key = {n},",
    "-->    eventTypeId = \"esx.problem.vmfs.heartbeat.recovered\",",
    "--> }}",
]
LOCK = ("{t} warning hostd[2099962] [Originator@6876 sub=Vmsvc.vm:/vmfs/volumes/ds-prod-01/app{v:02d}/"
        "app{v:02d}.vmx opID=5f3a9c1e-6a2b-01-7a11 user=vpxuser] Failed to consolidate disk "
        "'/vmfs/volumes/ds-prod-01/app{v:02d}/app{v:02d}-000001.vmdk': Failed to lock the file (16392)")


def parse_size(text: str) -> int:
    units = {"K": 1024, "M": 1024**2, "G": 1024**3}
    text = text.strip().upper().rstrip("B").rstrip("I")
    return int(float(text[:-1]) * units[text[-1]]) if text[-1] in units else int(text)


def chunk(number: int, lock: bool = True) -> bytes:
    """About one MiB of log: noise lines, then (when ``lock``) one lock failure."""
    lines = []
    size = 0
    i = 0
    while size < 1024 * 1024:
        stamp = f"2026-11-20T09:{(number // 60) % 60:02d}:{number % 60:02d}.{i % 1000:03d}Z"
        line = NOISE[i % len(NOISE)].format(t=stamp, n=number * 10_000 + i)
        lines.append(line)
        size += len(line) + 1
        i += 1
    if lock:
        lines.append(LOCK.format(t=f"2026-11-20T10:00:00.{number % 1000:03d}Z", v=number % 50))
    return ("\n".join(lines) + "\n").encode()


def write_log(path: Path, size: int, locks: int | None = None) -> int:
    """Write about ``size`` bytes; ``locks`` lock failures spread evenly (default: one per MiB)."""
    written = 0
    number = 0
    chunks = max(1, size // (1024 * 1024))
    every = max(1, chunks // locks) if locks else 1
    with open(path, "wb") as out:
        while written < size:
            data = chunk(number, lock=number % every == 0 and (not locks or number // every < locks))
            out.write(data)
            written += len(data)
            number += 1
    return written


def measure(command: list[str], env: dict) -> tuple[float, int, int]:
    """(seconds, peak RSS in bytes of the process and its waited-for children, exit code)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.stderr:
        error = process.stderr.read().decode(errors="replace").strip()
        if error and process.returncode not in (0, 1):
            print(f"  stderr: {error[:300]}", file=sys.stderr)
    return elapsed, usage.ru_maxrss * 1024, process.returncode  # ru_maxrss is in KiB on Linux


BASELINE = ("import sys\ncount = 0\n"
            "with open(sys.argv[1], encoding='utf-8', errors='replace') as f:\n"
            "    for line in f:\n        count += 1\nprint(count)\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", action="append", help="log size, e.g. 2G, 500M (repeatable; default 2G)")
    parser.add_argument("--locks", type=int, help="lock failures in the log (default: one per MiB); "
                        "a fixed number shows that memory does not grow with the file's size")
    parser.add_argument("--workdir", help="where to write the log (default: a temporary folder)")
    parser.add_argument("--hakb", default=str(Path(sys.executable).parent / "hakb"), help="hakb executable")
    args = parser.parse_args()
    sizes = [parse_size(s) for s in (args.size or ["2G"])]
    folder = Path(args.workdir or tempfile.mkdtemp(prefix="hakb-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "HAKB_LOAD_PLUGINS": "vmware"}
    print(f"{'size':>9} {'baseline s':>10} {'baseline RSS':>12} {'hakb s':>8} {'hakb RSS':>9} "
          f"{'time x':>7} {'RSS x':>6}  exit")
    try:
        for size in sizes:
            log = folder / "hostd.log"
            actual = write_log(log, size, args.locks)
            base_time, base_rss, _ = measure([sys.executable, "-c", BASELINE, str(log)], env)
            hakb_time, hakb_rss, code = measure(
                [args.hakb, "diagnose", "--no-save", "-q", "--format", "json", "--fail-on", "never",
                 "--host", "esx01", str(log)], env)
            print(f"{actual / 1024**3:8.2f}G {base_time:10.1f} {base_rss / 1024**2:10.0f}MB {hakb_time:8.1f} "
                  f"{hakb_rss / 1024**2:7.0f}MB {hakb_time / base_time:7.1f} {hakb_rss / base_rss:6.1f}  {code}",
                  flush=True)
            log.unlink()
    finally:
        if not args.workdir:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
