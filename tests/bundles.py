"""Where the example bundles and parser samples live: facts/<product>/examples|samples/.

Imported by name by any test (tests/ is on sys.path, see conftest.py).
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "facts"


def example(name: str) -> Path:
    """The folder of the example bundle ``name`` (facts/<product>/examples/<name>)."""
    found = sorted(FACTS.glob(f"*/examples/{name}"))
    if len(found) != 1:
        raise LookupError(f"example {name!r}: found {found}")
    return found[0]


def samples(product: str) -> Path:
    return FACTS / product / "samples"


def examples(product: str) -> Path:
    return FACTS / product / "examples"


def all_examples() -> list[Path]:
    return sorted(FACTS.glob("*/examples/*"))
