"""What running the knowledge costs: a tiny case end to end, and 100 000 facts through every pack.

    python benchmarks/knowledge.py [--runs N] [--facts N]

Prints two ratios, each against a baseline measured in the same run:

* **tiny case**: ``hakb diagnose --no-save facts/vmware/examples/locked-vmdk-healthy`` (a new
  process each time: imports, plugins, parsing, the knowledge worker, the report) against
  ``python -c pass``; medians of ``--runs``.
* **100k facts**: ``hakb.diagnosis.diagnose_facts`` over ``--facts`` ``host-nic`` facts (a type
  the built-in rules match; no finding results), with every installed pack, against raw clipspy
  asserting the same slot values into one template (``Template.assert_fact``, values prepared
  beforehand). The two run in turn, three times each; the best of each counts, as wall time and
  as CPU time (hakb's process and its worker), since a busy machine skews wall time. The plugin
  manager is built once beforehand (its cost is part of the tiny case).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "facts" / "vmware" / "examples" / "locked-vmdk-healthy"


def medians(command: list[str], runs: int) -> tuple[float, float]:
    """Median wall and CPU seconds of ``command`` (CPU: it and its children, e.g. the worker)."""
    walls, cpus = [], []
    for _ in range(runs):
        wall, used = timed(lambda: subprocess.run(command, stdout=subprocess.DEVNULL,
                                                  stderr=subprocess.DEVNULL, check=False))
        walls.append(wall)
        cpus.append(used)
    return statistics.median(walls), statistics.median(cpus)


def cpu() -> float:
    """CPU seconds of this process and of the children it waited for (the worker)."""
    import resource
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(function) -> tuple[float, float]:
    wall_start, cpu_start = time.perf_counter(), cpu()
    function()
    return time.perf_counter() - wall_start, cpu() - cpu_start


def nic_facts(count: int):
    from hakb.model import Fact
    return [Fact("host-nic", {"name": f"vmnic{i % 8}", "mac": f"02:00:{i >> 16 & 255:02x}:{i >> 8 & 255:02x}:"
                                                          f"{i & 255:02x}:00", "mtu": 1500, "ip": f"10.{i >> 16 & 255}."
                                                          f"{i >> 8 & 255}.{i & 255}"},
                 line=i + 1, text=f"vmnic{i % 8} ...", host=f"esx{i % 50:02d}", artifact="nics.txt")
            for i in range(count)]


def raw_clipspy(facts, schema):
    """A function asserting ``facts`` with plain clipspy, their values converted beforehand."""
    import clips

    from hakb.engine import slot_values, template_source
    values = [slot_values(schema, fact, fid) for fid, fact in enumerate(facts)]

    def run():
        env = clips.Environment()
        env.build(template_source(schema))
        template = env.find_template(schema.name)
        for slots in values:
            template.assert_fact(**slots)
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9, help="runs of each command for the tiny case")
    parser.add_argument("--facts", type=int, default=100_000, help="facts for the second ratio")
    arguments = parser.parse_args()

    hakb = [str(Path(sys.executable).with_name("hakb")), "diagnose", "--no-save", "-q", str(TINY)]
    python = medians([sys.executable, "-c", "pass"], arguments.runs)
    tiny = medians(hakb, arguments.runs)
    for label, index in (("wall", 0), ("CPU", 1)):
        print(f"tiny case, {label}: hakb diagnose {tiny[index] * 1000:.0f} ms, python -c pass "
              f"{python[index] * 1000:.0f} ms: {tiny[index] / python[index]:.1f}x")

    from hakb.diagnosis import diagnose_facts
    from hakb.isolation import overhead_probe
    from hakb.plugin_manager import fact_schemas, get_plugin_manager

    pm = get_plugin_manager()
    facts = nic_facts(arguments.facts)
    raw = raw_clipspy(facts, fact_schemas(pm)["host-nic"])
    case = diagnose_facts(facts, pm=pm)
    assert not case.findings and not case.errors, (case.findings, case.errors)
    pairs = [(timed(raw), timed(lambda: diagnose_facts(facts, pm=pm))) for _ in range(3)]
    for label, index in (("wall", 0), ("CPU", 1)):
        baseline = min(r[index] for r, _ in pairs)
        through = min(h[index] for _, h in pairs)
        print(f"{len(facts)} facts, {label}: through every pack {through:.2f} s, raw clipspy "
              f"{baseline:.2f} s: {through / baseline:.2f}x")
    print(f"(one empty worker run: {overhead_probe() * 1000:.1f} ms)")


if __name__ == "__main__":
    main()
