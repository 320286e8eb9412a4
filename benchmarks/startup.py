"""Start-up time of `hakb --version` and `hakb --help`, against `python -c pass`, in one run.

A benchmark, not a test. The CLI loads each command's module only when that command runs (or
shows its help), so the fixed cost of asking hakb its version or its commands should stay a small
multiple of starting Python itself: nothing of the case store, the engine or the templates.

    python benchmarks/startup.py            # 20 runs each, medians
    python benchmarks/startup.py --runs 50
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "hakb --version": [sys.executable, "-c", "from hakb.cli import main; main()", "--version"],
    "hakb --help": [sys.executable, "-c", "from hakb.cli import main; main()", "--help"],
    "hakb diagnose --help": [sys.executable, "-c", "from hakb.cli import main; main()", "diagnose", "--help"],
}


def median_seconds(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    baseline = median_seconds(COMMANDS["python -c pass"], runs)
    print(f"{'command':24} {'median':>9} {'x python -c pass':>17}")
    for name, command in COMMANDS.items():
        seconds = median_seconds(command, runs)
        print(f"{name:24} {seconds * 1000:7.1f} ms {seconds / baseline:16.1f}x")


if __name__ == "__main__":
    main()
