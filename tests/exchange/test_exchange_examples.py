"""Every rule of the exchange, windows and sql packs fires on an example in facts/*/examples, and
the healthy counterparts report no fault."""

from pathlib import Path

import pytest

from hakb.diagnosis import diagnose
from hakb.knowledge import parse_article
from bundles import examples

ROOT = Path(__file__).parents[2]
FOLDERS = [examples(name) for name in ("exchange", "windows", "sql")]
PACKS = [ROOT / "kb" / name for name in ("exchange", "windows", "sql")]
#: Articles that only document a rule file whose findings use another article's id.
DOCUMENTATION_ONLY = {"dag-member-runs-nlb"}


def our_examples():
    return sorted((p for folder in FOLDERS for p in folder.iterdir() if p.is_dir()),
                  key=lambda p: p.name)


@pytest.fixture(scope="module")
def results():
    import os
    old = os.environ.get("HAKB_LOAD_PLUGINS")
    os.environ["HAKB_LOAD_PLUGINS"] = "windows,exchange,sql"
    try:
        return {p.name: (p, diagnose([str(p)])) for p in our_examples()}
    finally:
        if old is None:
            os.environ.pop("HAKB_LOAD_PLUGINS", None)
        else:
            os.environ["HAKB_LOAD_PLUGINS"] = old


def test_every_article_fires_on_some_example(results):
    article_ids = {parse_article(md.read_text(), p.name, md).id
                   for p in PACKS for md in p.glob("*.md")} - DOCUMENTATION_ONLY
    fired = {f.id for _, case in results.values() for f in case.findings}
    assert article_ids - fired == set()


def test_healthy_examples_report_no_fault(results):
    healthy = [name for name in results if name.endswith("-healthy")]
    assert len(healthy) >= 7
    for name in healthy:
        faults = [(f.id, f.key) for f in results[name][1].findings if f.severity != "info"]
        assert faults == [], name


def test_examples_read_cleanly_and_have_readmes(results):
    for name, (folder, case) in results.items():
        readme = (folder / "README.md").read_text()
        assert "synthetic" in readme and "hakb diagnose" in readme, name
        assert case.errors == [], (name, case.errors)
        for artifact in case.artifacts:
            if artifact.artifact.name.endswith("README.md"):
                continue
            assert artifact.status == "parsed", (name, artifact.artifact.name, artifact.message)


def test_fault_examples_name_what_they_find_in_their_readme(results):
    for name, (folder, case) in results.items():
        if name.endswith("-healthy"):
            continue
        readme = (folder / "README.md").read_text()
        assert case.findings, name
        for finding in case.findings:
            assert finding.id in readme, (name, finding.id)
