"""The same evidence k times in one case: time and peak memory grow with k, findings stay one per key.

A benchmark, not a test. Copies a fault example (facts/*/examples/NAME; locked-vmdk by default)
k times (k = 1, 5, 20, 50 by default), each copy its own folder as if k bundles of one incident
were given, diagnoses the folder in a child process and prints, against k = 1 measured in the
same run: seconds, the ratio to k x (time of one copy), peak RSS, and the findings per key
(must stay one per key, the same keys as one copy).

    python benchmarks/kcopies.py
    python benchmarks/kcopies.py --k 1 --k 10
    python benchmarks/kcopies.py --example mailbox-move-profile --k 10
    python benchmarks/kcopies.py --all --k 10          # every example, one line each

With --all each example is read once and its facts given k times (as k bundles would give them)
to the knowledge alone, at k = 1 and at the largest k; a line is flagged when the time grows
faster than k (ratio to k x one copy above 3) or the findings per key change.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

FACTS = Path(__file__).resolve().parents[1] / "facts"
CHILD = r"""
import json, sys, time
from hakb.diagnosis import diagnose
t = time.perf_counter()
case = diagnose([sys.argv[1]], rule_timeout=float(sys.argv[2]))
print(json.dumps({"seconds": time.perf_counter() - t,
                  "keys": [f"{f.id} {f.key}" for f in case.findings], "errors": case.errors,
                  "evidence": sum(len(f.evidence) for f in case.findings)}))
"""


def example(name: str) -> Path:
    found = sorted(FACTS.glob(f"*/examples/{name}"))
    if not found:
        raise SystemExit(f"no example named {name!r} under {FACTS}/*/examples")
    return found[0]


def fault_examples() -> list[Path]:
    return sorted((p for p in FACTS.glob("*/examples/*") if p.is_dir()
                   and not p.name.endswith("-healthy")), key=lambda p: p.name)


def run(source: Path, k: int, folder: Path, timeout: float) -> tuple[dict, int]:
    case = folder / f"{source.name}-k{k}"
    for i in range(k):
        # "case-NNN" names no host (a ticket-like folder): the copies are the same hosts' evidence.
        shutil.copytree(source, case / f"case-{i:03d}")
    process = subprocess.Popen([sys.executable, "-c", CHILD, str(case), str(timeout)],
                               stdout=subprocess.PIPE, env=os.environ)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    shutil.rmtree(case)
    if status != 0:
        return {"seconds": float("nan"), "keys": [], "errors": ["child failed"], "evidence": 0}, 0
    return json.loads(output), usage.ru_maxrss * 1024


def per_key(result: dict) -> dict[str, int]:
    return {key: result["keys"].count(key) for key in result["keys"]}


def scaling(sources: list[Path], ks: list[int], timeout: float) -> None:
    folder = Path(tempfile.mkdtemp(prefix="hakb-kcopies-"))
    try:
        for source in sources:
            print(f"{source.parent.parent.name}/{source.name}")
            print(f"{'k':>4} {'seconds':>8} {'/ (k x one)':>11} {'peak RSS':>9} {'evidence':>9}  findings per key")
            one = None
            for k in ks:
                result, rss = run(source, k, folder, timeout)
                one = one or result["seconds"]
                print(f"{k:4} {result['seconds']:8.2f} {result['seconds'] / (k * one):11.2f} "
                      f"{rss / 1024**2:7.0f}MB {result['evidence']:9}  {json.dumps(per_key(result))}"
                      + (f"  errors: {result['errors']}" if result["errors"] else ""), flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


SURVEY_CHILD = r"""
import dataclasses, json, sys, time
from hakb.diagnosis import diagnose, diagnose_facts
k, timeout = int(sys.argv[2]), float(sys.argv[3])
facts = diagnose([sys.argv[1]], rule_timeout=timeout).facts
def copies(n):
    return [dataclasses.replace(f, artifact=f"case-{i:03d}/{f.artifact}") for i in range(n) for f in facts]
out = {}
for n in (1, k):
    t = time.perf_counter()
    case = diagnose_facts(copies(n), rule_timeout=timeout)
    out[n] = {"seconds": time.perf_counter() - t, "keys": [f"{f.id} {f.key}" for f in case.findings],
              "errors": case.errors}
print(json.dumps(out))
"""


def survey(sources: list[Path], k: int, timeout: float) -> None:
    """The rules alone: each example read once, its facts given k times (as from k bundles),
    the knowledge timed at 1 and k copies in the same child (start-up of the worker included)."""
    print(f"{'example':<34} {'one':>6} {f'k={k}':>7} {'/ (k x one)':>11}  verdict")
    for source in sources:
        process = subprocess.run([sys.executable, "-c", SURVEY_CHILD, str(source), str(k), str(timeout)],
                                 capture_output=True, text=True)
        if process.returncode:
            print(f"{source.name:<34} child failed: {process.stderr.strip().splitlines()[-1:]}")
            continue
        result = json.loads(process.stdout)
        one, many = result["1"], result[str(k)]
        ratio = many["seconds"] / (k * one["seconds"])
        same = per_key(many) == {key: 1 for key in per_key(one)} and not many["errors"]
        verdict = ("ok" if ratio <= 3 else "SLOW") + ("" if same else
                  f" FINDINGS {per_key(one)} -> {per_key(many)} {many['errors']}")
        print(f"{source.name:<34} {one['seconds']:6.2f} {many['seconds']:7.2f} {ratio:11.2f}  {verdict}",
              flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--k", type=int, action="append", help="copies (repeatable; default 1 5 20 50)")
    parser.add_argument("--example", action="append", help="example folder name (repeatable; default locked-vmdk)")
    parser.add_argument("--all", action="store_true",
                        help="every fault example, its facts repeated (the rules alone), at k = 1 and the largest k")
    parser.add_argument("--rule-timeout", type=float, default=600, help="seconds (default 600)")
    args = parser.parse_args()
    ks = sorted(set([1] + (args.k or [1, 5, 20, 50])))
    if args.all:
        survey(fault_examples(), ks[-1], args.rule_timeout)
    else:
        scaling([example(name) for name in args.example or ["locked-vmdk"]], ks, args.rule_timeout)


if __name__ == "__main__":
    main()
