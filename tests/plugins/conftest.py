"""Shared by every plugin's tests: diagnose one example bundle and insist the pipe was clean."""

from pathlib import Path

import pytest

from hakb.diagnosis import diagnose

EXAMPLES = Path(__file__).resolve().parents[2] / "facts" / "examples"


@pytest.fixture
def run_example():
    """Diagnose facts/examples/<name>; fails on pipeline errors (refused packs, parser errors) and
    on files no parser took (apart from the example's README)."""
    def run(name, **kwargs):
        case = diagnose([str(EXAMPLES / name)], **kwargs)
        assert not case.errors, case.errors
        bad = [(a.artifact.name, a.status, a.message) for a in case.artifacts
               if a.status == "error" or (a.status == "skipped" and not a.artifact.name.endswith("README.md"))]
        assert not bad, bad
        return case
    return run
