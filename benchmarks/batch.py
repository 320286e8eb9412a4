"""`hakb batch --jobs 1` against `--jobs 2` on 100 small bundles, in the same run.

A benchmark, not a test. Makes N (default 100) small bundles by copying example bundles in turn
(locked disk, healthy, datastore full, Transporter errors), runs `hakb batch --no-save -q` over
the folder with --jobs 1 and with --jobs 2 and prints the times and the speed-up (the issue's
target on two cores: at least 1.8x).

    python benchmarks/batch.py
    python benchmarks/batch.py --bundles 20
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

FACTS = Path(__file__).resolve().parents[1] / "facts"
SOURCES = ["vmware/examples/locked-vmdk", "vmware/examples/locked-vmdk-healthy",
           "vmware/examples/datastore-full", "exchange/examples/transporter-imap-errors"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bundles", type=int, default=100)
    parser.add_argument("--hakb", default=str(Path(sys.executable).parent / "hakb"))
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="hakb-batch-"))
    try:
        for i in range(args.bundles):
            shutil.copytree(FACTS / SOURCES[i % len(SOURCES)], folder / f"ticket-{i:04d}")
        times = {}
        for jobs in (1, 2):
            start = time.perf_counter()
            done = subprocess.run([args.hakb, "batch", "--no-save", "-q", "--jobs", str(jobs), str(folder)],
                                  stdout=subprocess.DEVNULL, check=False)
            times[jobs] = time.perf_counter() - start
            print(f"--jobs {jobs}: {times[jobs]:7.1f} s  ({args.bundles / times[jobs]:.1f} bundles/s, exit {done.returncode})",
                  flush=True)
        print(f"speed-up --jobs 2 / --jobs 1: {times[1] / times[2]:.2f}x on {os.cpu_count()} cores")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
