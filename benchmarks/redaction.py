"""How redaction time grows with the line: linear, or not.

    python benchmarks/redaction.py

Every line a parser yields is redacted, and lines may be up to 64 KiB. For each shape of line
(ordinary log text, and shapes built to make a regular expression backtrack: long names, runs
of separators, unclosed quotes, URL starts, ...), the line is built at 8 KiB and at 64 KiB and
redacted, best of nine rounds. Printed: the time against ``str.lower()`` of the same line in the same
run (a baseline that is linear by construction), and the growth from 8 to 64 KiB: about 8 for a
linear pattern, up to 64 for a quadratic one.
"""

from __future__ import annotations

import time

from hakb.redact import redact_text

SHAPES = {
    "log line": "2026-11-20T09:14:57.103Z info hostd[2099962] [Originator@6876 sub=Vmsvc user=vpxuser] "
                "Task Completed : haTask-4-vim.VirtualMachine.consolidateDisks Status success ",
    "secrets": "Server=db;Password=s3cr3t;x password: abc Authorization: Bearer x https://u:p@h/ ",
    "one long name": "a",
    "long name then =": "_",
    "name=name=": "a=",
    "name:name:": "a:",
    "query string": "a&b=",
    "dotted": "a.",
    "dashed": "x-",
    "flags": "-a ",
    "unclosed quotes": '"a=',
    "tags": "<a ",
    "url starts": "a://u:",
    "key words": "password token secret key ",
    "jwt-like": "eyJhbGciOiJIUzI1NiJ9.",
    "commands": "mysql -p net use \\\\s x ",
    "begin markers": "-----BEGIN ",
}
SIZES = (8 * 1024, 64 * 1024)


def line_of(unit: str, size: int) -> str:
    line = (unit * (size // len(unit) + 1))[:size]
    return line + "=" if unit == "_" else line


def best(*functions, repeat: int = 9) -> list[float]:
    """The best time of each function over ``repeat`` rounds, taken in turn so that a busy
    machine slows them alike."""
    times = [[] for _ in functions]
    for _ in range(repeat):
        for function, spent in zip(functions, times):
            start = time.perf_counter()
            function()
            spent.append(time.perf_counter() - start)
    return [min(spent) for spent in times]


def main() -> None:
    print(f"{'shape':20} {'8 KiB ms':>9} {'64 KiB ms':>10} {'growth':>7} {'x str.lower':>12}")
    worst_growth = 0.0
    for name, unit in SHAPES.items():
        small, large = (line_of(unit, size) for size in SIZES)
        t_small, t_large, baseline = best(lambda: redact_text(small), lambda: redact_text(large),
                                          lambda: large.lower())
        growth = t_large / t_small
        worst_growth = max(worst_growth, growth)
        print(f"{name:20} {t_small * 1000:9.2f} {t_large * 1000:10.2f} {growth:7.1f} "
              f"{t_large / baseline:12.0f}")
    print(f"worst growth from 8 to 64 KiB: {worst_growth:.1f} (linear: 8, quadratic: 64)")


if __name__ == "__main__":
    main()
