"""100 000 facts of one type through the whole knowledge, against raw clipspy, in the same run.

A benchmark, not a test. The baseline asserts 100 000 facts into one CLIPS template with
clipspy's fact API and runs an empty agenda; hakb runs `diagnose_facts` (every pack, in its
worker) over 100 000 `host-nic` facts that make no finding.

    python benchmarks/facts100k.py
    python benchmarks/facts100k.py --facts 20000
"""

from __future__ import annotations

import argparse
import time


def raw_clips(count: int) -> float:
    import clips

    start = time.perf_counter()
    env = clips.Environment()
    env.build("(deftemplate host-nic (slot name) (slot mac) (slot mtu) (slot host) (slot artifact) "
              "(slot line) (slot fid))")
    template = env.find_template("host-nic")
    for i in range(count):
        template.assert_fact(name=f"vmnic{i % 8}", mac=f"00:50:56:{i // 65536 % 256:02x}:{i // 256 % 256:02x}:{i % 256:02x}",
                             mtu=1500, host=f"esx{i // 8:05d}", artifact="nics.txt", line=i % 8 + 1, fid=i)
    env.run()
    return time.perf_counter() - start


def hakb_facts(count: int) -> tuple[float, int]:
    from hakb.diagnosis import diagnose_facts
    from hakb.testing import fact

    facts = [fact("host-nic", line=i % 8 + 1, host=f"esx{i // 8:05d}", artifact="nics.txt",
                  name=f"vmnic{i % 8}", mac=f"00:50:56:{i // 65536 % 256:02x}:{i // 256 % 256:02x}:{i % 256:02x}",
                  mtu=1500) for i in range(count)]
    start = time.perf_counter()
    case = diagnose_facts(facts, rule_timeout=600)
    return time.perf_counter() - start, len(case.findings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--facts", type=int, default=100_000)
    args = parser.parse_args()
    base = raw_clips(args.facts)
    ours, findings = hakb_facts(args.facts)
    print(f"raw clipspy, {args.facts} facts: {base:6.2f} s")
    print(f"hakb diagnose_facts:          {ours:6.2f} s  ({findings} findings)  {ours / base:.2f}x raw clipspy")


if __name__ == "__main__":
    main()
