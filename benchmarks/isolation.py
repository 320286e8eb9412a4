"""What running the rules in a worker process costs, against running them in hakb's own process.

    python benchmarks/isolation.py [EXAMPLE_FOLDER ...]   # default: every facts/*/examples folder

For each example: the facts are parsed once, then the installed packs run over them in-process
(hakb.engine.infer) and in a worker (hakb.isolation.run_packs), best of five each.
"""

from __future__ import annotations

import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from hakb.diagnosis import diagnose
from hakb.engine import infer
from hakb.isolation import _start_method, run_packs
from hakb.knowledge import load_knowledge
from hakb.plugin_manager import fact_schemas, get_plugin_manager, knowledge_packs

ROOT = Path(__file__).resolve().parents[1]


def best(function, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    folders = [Path(a) for a in sys.argv[1:]] or sorted(p for p in (ROOT / "facts").glob("*/examples/*")
                                                          if p.is_dir())
    pm = get_plugin_manager()
    schemas = fact_schemas(pm)
    kb = load_knowledge(knowledge_packs(pm), schemas)
    now = datetime.now(timezone.utc)
    print(f"start method: {_start_method()}; {len(kb.rule_files)} rule files")
    print(f"{'example':40} {'facts':>6} {'in-process ms':>14} {'worker ms':>10} {'overhead ms':>12}")
    total_in = total_worker = 0.0
    for folder in folders:
        facts = diagnose([str(folder)], pm=pm).facts
        inside = best(lambda: infer(schemas, kb.rule_files, facts, now))
        worker = best(lambda: run_packs(schemas, kb.rule_files, facts, now))
        total_in += inside
        total_worker += worker
        print(f"{folder.name[:40]:40} {len(facts):6} {inside * 1000:14.1f} {worker * 1000:10.1f} "
              f"{(worker - inside) * 1000:12.1f}")
    print(f"{'mean':40} {'':6} {total_in / len(folders) * 1000:14.1f} {total_worker / len(folders) * 1000:10.1f} "
          f"{(total_worker - total_in) / len(folders) * 1000:12.1f}")


if __name__ == "__main__":
    main()
