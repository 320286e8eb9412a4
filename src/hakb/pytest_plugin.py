"""hakb's pytest plugin: fixtures that run the real pipe on a plugin author's inputs.

Registered through the ``pytest11`` entry point, so it is active wherever hakb is installed
(``pytest -p no:hakb`` turns it off). Each fixture is a function of :mod:`hakb.testing`; a
test asks for it by name::

    def test_drift(hakb_diagnose, hakb_assert_finding):
        case = hakb_diagnose("examples/ntp-drift", plugins=["acme-ntp"])
        hakb_assert_finding(case, "acme-ntp-drift", server="pool1", offset_ms=1523.0)

``hakb_golden(case, "name")`` compares a case's normalised JSON report with
``golden/name.json`` beside the test file; ``pytest --hakb-update-golden`` rewrites them.
Nothing heavy is imported until a fixture is used: pytest loads this module in every run.
"""

from __future__ import annotations

from pathlib import Path

import pytest


def pytest_addoption(parser) -> None:
    group = parser.getgroup("hakb", "hakb plugin testing")
    group.addoption("--hakb-update-golden", action="store_true", default=False,
                    help="Rewrite the golden case files hakb_golden compares with.")


@pytest.fixture
def hakb_parse():
    """:func:`hakb.testing.parse`: facts of a text, bytes or path read as a diagnosis reads them
    (sections, recognition, schema checks, redaction, hosts)."""
    from hakb.testing import parse

    return parse


@pytest.fixture
def hakb_diagnose():
    """:func:`hakb.testing.diagnose_bundle`: a folder, file or archive diagnosed with only the
    plugins named (``builtins=True`` adds hakb's own) and pack folders (``packs=``)."""
    from hakb.testing import diagnose_bundle

    return diagnose_bundle


@pytest.fixture
def hakb_run_facts():
    """:func:`hakb.testing.run_facts`: the knowledge over hand-made facts (``hakb_fact``)."""
    from hakb.testing import run_facts

    return run_facts


@pytest.fixture
def hakb_fact():
    """:func:`hakb.testing.fact`: one hand-made fact, checked against its schema when run."""
    from hakb.testing import fact

    return fact


@pytest.fixture
def hakb_assert_finding():
    """:func:`hakb.testing.assert_finding`: the one finding of an id, with the values named."""
    from hakb.testing import assert_finding

    return assert_finding


@pytest.fixture
def hakb_golden(request):
    """``hakb_golden(case, name)``: the case's normalised JSON report equals
    ``golden/NAME.json`` beside the test file (:func:`hakb.testing.check_golden`); with
    ``--hakb-update-golden`` the file is rewritten."""
    from hakb.testing import check_golden

    update = request.config.getoption("--hakb-update-golden")
    folder = Path(request.fspath).parent / "golden"

    def compare(case, name: str, roots=()) -> None:
        check_golden(case, folder / f"{name}.json", update=update, roots=roots)

    return compare
