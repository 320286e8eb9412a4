"""Reading a big log through the scanner, against grep and wc on the same file, in the same run.

A benchmark, not a test. It writes a hostd.log (default 1 GiB; ``--size 200M`` for a quick run)
of ESXi noise with exactly one disk-lock failure, at 90 % of the file, then times:

* ``wc -l`` (counting lines: the floor for anything that numbers lines),
* ``grep -F -c 'Failed to lock the file'`` (one literal; the issue's baseline),
* ``grep -F -i -c`` with every signature the vmware-logs parser declares (the same search the
  scanner does),
* hakb reading the file as ``hakb diagnose`` does (``parse_artifact``, the vmware parsers), in a
  child process whose peak RSS is reported; the time is the parse alone (the child's start-up,
  imports and plugin loading, is printed apart),

and checks that the one finding is found, on the line where it was written. ``--rss-size 2G``
also reports hakb's peak RSS on a 2 GiB file. ``--full`` also times reading every line (the
path the scanner replaces; slow).

    python benchmarks/scan.py                 # 1 GiB
    python benchmarks/scan.py --size 200M
    python benchmarks/scan.py --size 1G --rss-size 2G
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from memory import LOCK, chunk, parse_size  # noqa: E402 (the same synthetic log)

CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
from pathlib import Path
from hakb import parsing
from hakb.model import Artifact
from hakb.plugin_manager import fact_schemas, get_plugin_manager, parsers
parsing.SCANNING = sys.argv[2] == "scan"
pm = get_plugin_manager(); schemas = fact_schemas(pm); available = parsers(pm, schemas)
path = Path(sys.argv[1])
t1 = time.perf_counter()
result = parsing.parse_artifact(Artifact(path.name, path, "esx01", path.stat().st_size), available, schemas)
t2 = time.perf_counter()
events = [(f.line, f.slots.get("kind")) for f in result.facts if f.type == "vm-log-event"]
print(json.dumps({"startup": t1 - t0, "parse": t2 - t1, "events": events}))
"""


def write(path: Path, size: int) -> int:
    """About ``size`` bytes of noise with one lock failure at 90 %; returns its line number."""
    chunks = max(1, size // (1024 * 1024))
    target = int(chunks * 0.9)
    lines = 0
    lock_line = 0
    with open(path, "wb") as out:
        for number in range(chunks):
            data = chunk(number, lock=number == target)
            if number == target:
                lock_line = lines + data.count(b"\n")
            lines += data.count(b"\n")
            out.write(data)
    return lock_line


def timed(command: list[str]) -> float:
    best = None
    for _ in range(3):  # best of three: the file is in the page cache after the first
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        took = time.perf_counter() - start
        best = took if best is None else min(best, took)
    return best


def hakb_read(path: Path, mode: str) -> tuple[dict, int]:
    process = subprocess.Popen([sys.executable, "-c", CHILD, str(path), mode], stdout=subprocess.PIPE,
                               env={**os.environ, "HAKB_LOAD_PLUGINS": "vmware"})
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"hakb child failed ({status})")
    return json.loads(output), usage.ru_maxrss * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="1G", help="log size (default 1G)")
    parser.add_argument("--rss-size", help="also measure peak RSS on a log of this size (e.g. 2G)")
    parser.add_argument("--full", action="store_true", help="also time reading every line")
    parser.add_argument("--workdir", help="where to write the log (default: a temporary folder)")
    args = parser.parse_args()
    from hakb.plugins.vmware.logs import SIGNATURES

    folder = Path(args.workdir or tempfile.mkdtemp(prefix="hakb-scan-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        log = folder / "hostd.log"
        lock_line = write(log, parse_size(args.size))
        size = log.stat().st_size
        hakb_read(log, "scan")  # warm the page cache and the imports
        wc = timed(["wc", "-l", str(log)])
        grep = timed(["grep", "-F", "-c", "Failed to lock the file", str(log)])
        grep_all = timed(["grep", "-F", "-i", "-c", *(x for s in SIGNATURES for x in ("-e", s)), str(log)])
        runs = [hakb_read(log, "scan") for _ in range(3)]
        scan, rss = min(runs, key=lambda r: r[0]["parse"])
        found = [line for line, kind in scan["events"] if kind == "lock-failed"]
        print(f"hostd.log {size / 1024**3:.2f} GiB, one lock failure written on line {lock_line}")
        print(f"  wc -l                          {wc:7.2f} s")
        print(f"  grep -F -c (one literal)       {grep:7.2f} s")
        print(f"  grep -F -i -c ({len(SIGNATURES)} signatures)  {grep_all:7.2f} s")
        print(f"  hakb scan (parse_artifact)     {scan['parse']:7.2f} s   peak RSS {rss / 1024**2:.0f} MB"
              f"   (+{scan['startup']:.2f} s start-up)")
        print(f"  ratios: hakb / grep one literal {scan['parse'] / grep:5.2f}x, / grep signatures "
              f"{scan['parse'] / grep_all:5.2f}x, / wc -l {scan['parse'] / wc:5.2f}x")
        print(f"  finding unchanged: lock-failed on line(s) {found} "
              f"({'ok' if found == [lock_line] else 'MISMATCH, expected ' + str(lock_line)})")
        if args.full:
            full, full_rss = hakb_read(log, "full")
            print(f"  hakb reading every line       {full['parse']:7.2f} s   peak RSS {full_rss / 1024**2:.0f} MB"
                  f"   scan is {full['parse'] / scan['parse']:.1f}x faster; same events: "
                  f"{full['events'] == scan['events']}")
        if args.rss_size:
            log.unlink()
            big_line = write(log, parse_size(args.rss_size))
            big, big_rss = hakb_read(log, "scan")
            ok = [line for line, kind in big["events"] if kind == "lock-failed"] == [big_line]
            print(f"  {log.stat().st_size / 1024**3:.2f} GiB: hakb scan {big['parse']:.2f} s, peak RSS "
                  f"{big_rss / 1024**2:.0f} MB, finding on its line: {ok}")
    finally:
        if not args.workdir:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
