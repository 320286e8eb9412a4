"""The fixed cost of a tiny case, against `python -c pass` (and insights-run when installed).

A benchmark, not a test. Times, best of five, `hakb --version`, `hakb diagnose --no-save -q` of
a one-file bundle (a two-line NIC listing), and `python -c pass` as the baseline; with
insights-core on PATH (``insights-run``) also insights-run on a tiny folder. Prints each ratio.

    python benchmarks/tiny_case.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NICS = ("Name    PCI          Driver      Link Speed      Duplex MAC Address       MTU    Description\n"
        "vmnic0  0000:02:00.0 ntg3        Up   1000Mbps   Full   00:50:56:0a:03:01 1500   Broadcom\n")


def best(command: list[str], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    hakb = str(Path(sys.executable).parent / "hakb")
    folder = Path(tempfile.mkdtemp(prefix="hakb-tiny-"))
    try:
        (folder / "esx03").mkdir()
        (folder / "esx03" / "esxcfg-nics.txt").write_text(NICS)
        base = best([sys.executable, "-c", "pass"])
        rows = [("python -c pass", base),
                ("hakb --version", best([hakb, "--version"])),
                ("hakb diagnose tiny case", best([hakb, "diagnose", "--no-save", "-q", str(folder)]))]
        insights = shutil.which("insights-run")
        if insights:
            rows.append(("insights-run tiny folder", best([insights, str(folder)])))
        for name, seconds in rows:
            print(f"{name:28} {seconds:6.2f} s  {seconds / base:6.1f}x python -c pass")
        if insights:
            print(f"hakb tiny case / insights-run: {rows[2][1] / rows[-1][1]:.2f}")
        else:
            print("insights-run not installed (pip install insights-core into a throwaway venv and "
                  "put it on PATH to compare)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
