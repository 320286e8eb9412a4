"""hakb's pytest plugin, as a third party's tests use it: only the fixtures, the real pipe."""

import textwrap

import pytest

# A third party's plugin, written out by the test: a schema, a parser and a pack folder.
PLUGIN = '''
from pathlib import Path

from hakb import Fact, FactSchema, KnowledgePack, Parser, Plugin

HERE = Path(__file__).parent


def recognise(head):
    return 100 if head.text.startswith("# ntpq") else 0


def parse(lines, artifact):
    for number, text in lines:
        fields = text.split()
        if len(fields) == 2 and fields[0] != "#":
            yield Fact("ntp-offset", {"server": fields[0], "offset_ms": float(fields[1]),
                                      "synced": fields[1] == "0"}, line=number, text=text)


class schemas:
    SCHEMAS = [FactSchema("ntp-offset", {"server": "str", "offset_ms": "float", "synced": "bool"})]


class parsers:
    PARSERS = [Parser("thirdparty.ntpq", recognise=recognise, parse=parse)]


plugin = Plugin(modules=(schemas, parsers), packs=[KnowledgePack("thirdparty", HERE / "kb")])
'''

RULE = '''
(defrule thirdparty-drift
  ?o <- (ntp-offset (server ?s) (offset_ms ?ms&:(numberp ?ms)&:(> (abs ?ms) 1000)))
  =>
  (assert (hakb-finding (id "thirdparty-drift") (key ?s) (evidence ?o) (vars server ?s offset_ms ?ms))))
'''

ARTICLE = '''---
id: thirdparty-drift
title: Clock drifts
severity: warning
summary: "{{ server }} is {{ offset_ms }} ms off"
---
# Clock drifts
## Fix
1. Check {{ server }}.
'''

TESTS = '''
import pytest
from thirdparty_plugin import plugin


def test_bundle_through_the_real_pipe(hakb_diagnose, hakb_assert_finding, tmp_path):
    (tmp_path / "web01").mkdir()
    (tmp_path / "web01" / "ntpq.txt").write_text("# ntpq\\npool1 1523.5\\npool2 0\\n")
    case = hakb_diagnose(tmp_path, plugins=[plugin])
    finding = hakb_assert_finding(case, "thirdparty-drift", server="pool1", offset_ms=1523.5)
    assert finding.summary == "pool1 is 1523.5 ms off"
    assert [(e.line, e.host) for e in finding.evidence] == [(2, "web01")]


def test_parse_is_the_real_pipe(hakb_parse):
    facts = hakb_parse("# ntpq\\npool2 0\\n", name="web01/ntpq.txt", plugins=[plugin])
    assert [(f.host, f.slots["synced"]) for f in facts] == [("web01", True)]
    assert hakb_parse("no header\\npool2 0\\n", plugins=[plugin]) == []  # not recognised: no facts


def test_a_wrong_value_fails_naming_the_finding(hakb_run_facts, hakb_fact, hakb_assert_finding):
    case = hakb_run_facts([hakb_fact("ntp-offset", server="pool3", offset_ms=2000.0)], plugins=[plugin], only=True)
    with pytest.raises(AssertionError, match="thirdparty-drift"):
        hakb_assert_finding(case, "thirdparty-drift", server="pool9")


def test_golden(hakb_diagnose, hakb_golden, tmp_path):
    (tmp_path / "ntpq.txt").write_text("# ntpq\\npool1 1523.5\\n")
    hakb_golden(hakb_diagnose(tmp_path, plugins=[plugin], host="web01"), "drift", roots=[tmp_path])
'''


@pytest.fixture
def third_party(pytester):
    pytester.makepyfile(thirdparty_plugin=PLUGIN, test_thirdparty=TESTS)
    kb = pytester.mkdir("kb")
    (kb / "thirdparty-drift.clp").write_text(RULE)
    (kb / "thirdparty-drift.md").write_text(ARTICLE)
    pytester.syspathinsert()
    return pytester


def test_a_third_party_package_asserts_a_finding_with_only_the_fixtures(third_party):
    result = third_party.runpytest("-p", "no:cacheprovider", "-k", "not golden")
    result.assert_outcomes(passed=3)


def test_golden_files_are_written_once_then_compared(third_party):
    first = third_party.runpytest("-p", "no:cacheprovider", "-k", "golden")
    first.assert_outcomes(failed=1)  # missing: written, and the test says to look at it
    first.stdout.fnmatch_lines(["*golden file*did not exist and was written*"])
    golden = third_party.path / "golden" / "drift.json"
    assert '"pool1 is 1523.5 ms off"' in golden.read_text()
    third_party.runpytest("-p", "no:cacheprovider", "-k", "golden").assert_outcomes(passed=1)
    golden.write_text(golden.read_text().replace("1523.5 ms off", "12 ms off"))
    changed = third_party.runpytest("-p", "no:cacheprovider", "-k", "golden")
    changed.assert_outcomes(failed=1)
    changed.stdout.fnmatch_lines(["*differs from*--hakb-update-golden*"])
    third_party.runpytest("-p", "no:cacheprovider", "-k", "golden", "--hakb-update-golden").assert_outcomes(passed=1)
    assert '"pool1 is 1523.5 ms off"' in golden.read_text()


def test_the_plugin_can_be_turned_off(third_party):
    result = third_party.runpytest("-p", "no:cacheprovider", "-p", "no:hakb", "-k", "parse")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*fixture 'hakb_parse' not found*"])


def test_the_entry_point_registers_the_plugin():
    from importlib.metadata import entry_points

    assert [ep.value for ep in entry_points(group="pytest11") if ep.name == "hakb"] == ["hakb.pytest_plugin"]
