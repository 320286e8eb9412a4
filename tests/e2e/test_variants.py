"""The corpus of variants: every fault's deciding artifacts in other real shapes reach the same
finding with the same named values as the canonical example.

A variant lives in ``facts/PRODUCT/variants/EXAMPLE/VARIANT/``: a ``variant.toml`` saying what it
is, and the files that stand in for the example's deciding artifacts, in the example's layout::

    # facts/vmware/variants/locked-vmdk/nics-as-esxcli-csv/variant.toml
    description = "esx03's NIC listing as `esxcli --formatter=csv network nic list`"
    replaces = ["esx03/esxcfg-nics_-l.txt", "esx03/esxcli-network-ip-interface-list.txt"]

The bundle diagnosed is the example with ``replaces`` (files or folders) removed and the
variant's other files added. ``compare`` (default: every finding of the example) lists the
finding ids whose key and values must match; ``[expect]`` may name values that legitimately
differ in this shape (``[expect.vmware-locked-vmdk] seen_on = ["esx01"]``); an empty list says the
shape does not have the value at all (``warning = []``: an export holds no WARNING line).
"""

from __future__ import annotations

import shutil
import tomllib
from functools import lru_cache
from pathlib import Path

import pytest

from bundles import FACTS
from hakb.diagnosis import diagnose

#: Variants a fault needs, besides its canonical example.
MIN_VARIANTS = 2


def variant_folders() -> list[Path]:
    return sorted(p.parent for p in FACTS.glob("*/variants/*/*/variant.toml"))


def example_of(variant: Path) -> Path:
    return variant.parents[2] / "examples" / variant.parent.name


@lru_cache(maxsize=None)
def findings_of(folder: str) -> dict[tuple[str, str], dict]:
    case = diagnose([folder])
    return {(f.id, f.key): {"values": f.values, "severity": f.severity} for f in case.findings}


def build(variant: Path, target: Path) -> Path:
    spec = tomllib.loads((variant / "variant.toml").read_text(encoding="utf-8"))
    bundle = target / variant.parent.name
    shutil.copytree(example_of(variant), bundle)
    for relative in spec.get("replaces", []):
        victim = bundle / relative
        assert victim.exists(), f"{variant}: replaces {relative}, which the example does not have"
        shutil.rmtree(victim) if victim.is_dir() else victim.unlink()
    for path in sorted(variant.rglob("*")):
        if path.is_file() and path.name != "variant.toml":
            destination = bundle / path.relative_to(variant)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, destination)
    return bundle


def normalised(values: dict) -> dict:
    return {name: sorted(map(str, vals)) for name, vals in values.items()}


@pytest.mark.parametrize("variant", variant_folders(), ids=lambda p: f"{p.parents[2].name}/{p.parent.name}/{p.name}")
def test_variant_reaches_the_examples_findings(variant, tmp_path):
    spec = tomllib.loads((variant / "variant.toml").read_text(encoding="utf-8"))
    assert spec.get("description"), f"{variant}: say what shape this variant is"
    expected = findings_of(str(example_of(variant)))
    compare = set(spec.get("compare") or {fid for fid, _ in expected})
    got = findings_of(str(build(variant, tmp_path)))
    wanted = {k: v for k, v in expected.items() if k[0] in compare}
    found = {k: v for k, v in got.items() if k[0] in compare}
    assert sorted(found) == sorted(wanted), "the same findings (id, key) as the example"
    overrides = spec.get("expect", {})
    for key, finding in wanted.items():
        values = normalised(finding["values"])
        for name, override in overrides.get(key[0], {}).items():
            if override:
                values[name] = sorted(map(str, override))
            else:
                values.pop(name, None)
        assert normalised(found[key]["values"]) == values, key
        assert found[key]["severity"] == finding["severity"], key


def test_every_fault_has_variants_in_other_shapes():
    counts: dict[str, int] = {}
    for variant in variant_folders():
        spec = tomllib.loads((variant / "variant.toml").read_text(encoding="utf-8"))
        fired = {fid for fid, _ in findings_of(str(example_of(variant)))}
        for fid in set(spec.get("compare") or fired):
            counts[fid] = counts.get(fid, 0) + 1
    faults = {fid for example in sorted(FACTS.glob("*/examples/*")) if example.is_dir()
              for fid, _ in findings_of(str(example))}
    short = sorted(fid for fid in faults if counts.get(fid, 0) < MIN_VARIANTS)
    assert short == [], f"faults with fewer than {MIN_VARIANTS} variants"
