"""The same evidence k times in one case: time and peak memory grow with k, findings stay one per disk.

A benchmark, not a test. Copies facts/vmware/examples/locked-vmdk k times (k = 1, 5, 20, 50 by
default), each copy its own folder as if k bundles of one incident were given, diagnoses the
folder in a child process and prints, against k = 1 measured in the same run: seconds, the
ratio to k x (time of one copy), peak RSS, and the findings per disk (must stay 1).

    python benchmarks/kcopies.py
    python benchmarks/kcopies.py --k 1 --k 10
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

EXAMPLE = Path(__file__).resolve().parents[1] / "facts" / "vmware" / "examples" / "locked-vmdk"
CHILD = r"""
import json, sys, time
from hakb.diagnosis import diagnose
t = time.perf_counter()
case = diagnose([sys.argv[1]], rule_timeout=600)
keys = [f.key for f in case.findings if f.id == "vmware-locked-vmdk"]
print(json.dumps({"seconds": time.perf_counter() - t, "keys": keys, "errors": case.errors,
                  "evidence": sum(len(f.evidence) for f in case.findings)}))
"""


def run(k: int, folder: Path) -> tuple[dict, int]:
    case = folder / f"k{k}"
    for i in range(k):
        shutil.copytree(EXAMPLE, case / f"bundle-{i:03d}")
    process = subprocess.Popen([sys.executable, "-c", CHILD, str(case)], stdout=subprocess.PIPE,
                               env={**os.environ, "HAKB_LOAD_PLUGINS": "vmware"})
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    shutil.rmtree(case)
    return json.loads(output), usage.ru_maxrss * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--k", type=int, action="append", help="copies (repeatable; default 1 5 20 50)")
    args = parser.parse_args()
    ks = sorted(set([1] + (args.k or [1, 5, 20, 50])))
    folder = Path(tempfile.mkdtemp(prefix="hakb-kcopies-"))
    try:
        print(f"{'k':>4} {'seconds':>8} {'/ (k x one)':>11} {'peak RSS':>9} {'findings':>9} {'evidence':>9}")
        one = None
        for k in ks:
            result, rss = run(k, folder)
            one = one or result["seconds"]
            per_disk = {key: result["keys"].count(key) for key in result["keys"]}
            print(f"{k:4} {result['seconds']:8.2f} {result['seconds'] / (k * one):11.2f} "
                  f"{rss / 1024**2:7.0f}MB {json.dumps(per_disk):>9} {result['evidence']:9}"
                  + (f"  errors: {result['errors']}" if result["errors"] else ""), flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
