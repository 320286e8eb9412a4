"""Report formats against their contracts: every example's JSON report validates against the
shipped JSON Schema, its SARIF against the official SARIF 2.1.0 schema; the HTML page and
Markdown keep bundle text as text; human-readable reports are bounded."""

import json
import re
from functools import lru_cache
from pathlib import Path

import jsonschema
import pytest
from bundles import all_examples, example
from click.testing import CliRunner

from hakb.cli import cli
from hakb.report import MAX_EVIDENCE, MAX_FINDINGS, as_markdown, as_text, render
from hakb.sarif import as_sarif

ROOT = Path(__file__).resolve().parents[2]
SARIF_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())
REPORT_SCHEMA_FILE = ROOT / "src" / "hakb" / "schemas" / "report.schema.json"
REPORT_SCHEMA = json.loads(REPORT_SCHEMA_FILE.read_text())


@lru_cache(maxsize=None)
def report_of(name: str) -> dict:
    from hakb.diagnosis import diagnose

    return json.loads(json.dumps(diagnose([str(example(name))]).as_dict()))


def validate_sarif(log: dict) -> None:
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)


@pytest.mark.parametrize("name", [p.name for p in all_examples()])
def test_every_example_validates_as_json_report_and_as_sarif(name):
    report = report_of(name)
    jsonschema.Draft202012Validator(REPORT_SCHEMA).validate(report)
    log = as_sarif(report)
    validate_sarif(log)
    [run] = log["runs"]
    assert len([r for r in run["results"] if r["kind"] == "fail"]) == len(report["findings"])


def test_schema_is_shipped_in_package_and_docs_and_named_in_readme():
    from importlib.resources import files

    shipped = files("hakb").joinpath("schemas/report.schema.json").read_text()
    assert json.loads(shipped) == REPORT_SCHEMA
    assert (ROOT / "docs" / "report.schema.json").read_text() == REPORT_SCHEMA_FILE.read_text()
    assert "report.schema.json" in (ROOT / "README.md").read_text()
    jsonschema.Draft202012Validator.check_schema(REPORT_SCHEMA)


def test_schema_rejects_what_breaks_the_contract():
    report = json.loads(json.dumps(report_of("locked-vmdk")))
    report["findings"][0]["severity"] = "huge"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(report, REPORT_SCHEMA)
    report = json.loads(json.dumps(report_of("locked-vmdk")))
    report["inputs"] = json.dumps(report["inputs"])  # a JSON string inside JSON
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(report, REPORT_SCHEMA)


def test_optional_pack_and_completeness_are_in_the_schema_and_every_output():
    report = json.loads(json.dumps(report_of("locked-vmdk")))
    report["findings"][0]["pack"] = "vmware"
    report.update(complete=False, incomplete_reasons=["pack nsx timed out after 10 s"])
    jsonschema.Draft202012Validator(REPORT_SCHEMA).validate(report)
    for fmt in ("text", "markdown", "html"):
        out = render(fmt, report)
        assert "vmware" in out and "pack" in out, fmt
        assert "incomplete" in out.lower() and "nsx timed out" in out, fmt
    log = as_sarif(report)
    validate_sarif(log)
    assert log["runs"][0]["results"][0]["properties"]["pack"] == "vmware"
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is False
    empty = {**report, "findings": []}
    assert "No known fault found. The diagnosis is incomplete" in as_text(empty)


def test_sarif_from_the_cli_has_rules_with_articles_locations_levels_and_fixes(tmp_path):
    out = tmp_path / "case.sarif"
    result = CliRunner().invoke(cli, ["diagnose", "--format", "sarif", "-o", str(out),
                                      str(example("locked-vmdk"))])
    assert result.exit_code == 1, result.output
    log = json.loads(out.read_text())
    validate_sarif(log)
    [run] = log["runs"]
    [rule] = run["tool"]["driver"]["rules"]
    assert rule["id"] == "vmware-locked-vmdk"
    assert "## Fix" in rule["help"]["markdown"] and "{{" not in rule["help"]["markdown"]
    assert rule["helpUri"].startswith("https://")
    [result_] = [r for r in run["results"] if r["kind"] == "fail"]
    finding = report_of("locked-vmdk")["findings"][0]
    assert result_["level"] == "error" and result_["ruleIndex"] == 0
    assert len(result_["locations"]) == len(finding["evidence"])
    lines = {(loc["physicalLocation"]["artifactLocation"]["uri"].rsplit("/", 1)[-1],
              loc["physicalLocation"]["region"]["startLine"]) for loc in result_["locations"]}
    assert ("hostd.log", 34) in lines
    assert "/etc/init.d/hostd restart" in result_["message"]["markdown"]
    assert result_["properties"]["fix"] == finding["remediation"]
    assert any(r["kind"] == "open" for r in run["results"])  # the not-verified check


def test_sarif_levels():
    from hakb.sarif import LEVELS

    assert LEVELS == {"critical": "error", "error": "error", "warning": "warning", "info": "note"}


HOSTILE = "<img src=x onerror=alert(1)>"


def hostile_report() -> dict:
    report = json.loads(json.dumps(report_of("locked-vmdk")))
    finding = report["findings"][0]
    finding["summary"] = f"VM {HOSTILE} is locked \x1b[2J[click](javascript:alert(2))"
    finding["title"] = "Locked \x1b]0;owned\x07 disk"
    finding["references"] = ["javascript:alert(3)", "https://kb.vmware.com/s/article/10051"]
    finding["remediation"] = ["Run `vmkfstools -D <disk>` on " + HOSTILE]
    finding["evidence"][0]["text"] = "vm=" + HOSTILE + " \x9b31m"
    return report


def test_html_links_only_http_and_escapes_bundle_text():
    page = render("html", hostile_report())
    assert HOSTILE not in page and "onerror=alert(1)&gt;" in page
    assert 'href="javascript' not in page and "href='javascript" not in page
    assert '<a href="https://kb.vmware.com/s/article/10051"' in page
    assert "<code>vmkfstools -D &lt;disk&gt;</code>" in page  # Markdown code stays code
    assert "\x1b" not in page and "\x9b" not in page and "\\x1b]0;owned" in page


def test_markdown_escapes_bundle_text():
    from markdown_it import MarkdownIt

    text = as_markdown(hostile_report())
    html = MarkdownIt("commonmark").render(text)  # what a Markdown viewer makes of it
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert re.findall(r"<a href=\"([^\"]*)", html) == ["https://kb.vmware.com/s/article/10051"]
    assert "`vmkfstools -D <disk>`" in text


def test_json_escapes_c1_control_characters():
    text = render("json", hostile_report())
    assert "\x9b" not in text and json.loads(text)["findings"][0]["evidence"][0]["text"].endswith("\x9b31m")


def test_terminal_text_escapes_control_characters():
    text = as_text(hostile_report(), colour=True)
    assert "\x1b[2J" not in text and "\x1b]0;" not in text and "\x9b" not in text
    assert "\\x1b[2J" in text
    plain = as_text(hostile_report())
    assert "\x1b" not in plain


def test_reports_are_bounded_and_say_how_many_more():
    report = json.loads(json.dumps(report_of("locked-vmdk")))
    one = report["findings"][0]
    evidence = [{"artifact": "hostd.log", "line": n, "text": "Failed to lock the file"} for n in range(1, 501)]
    report["findings"] = [{**one, "key": f"disk-{n}", "evidence": evidence, "story": n}
                          for n in range(MAX_FINDINGS + 300)]
    text = as_text(report)
    assert text.count("Evidence:") == MAX_FINDINGS
    assert "and 300 more finding(s)" in text
    assert f"and {500 - MAX_EVIDENCE} more evidence line(s)" in text
    assert text.count("hostd.log:") == MAX_FINDINGS * MAX_EVIDENCE
    markdown = as_markdown(report)
    assert "and 300 more finding(s)" in markdown and markdown.count("**Evidence**") == MAX_FINDINGS
    page = render("html", report)
    assert "and 300 more finding(s)" in page and page.count('class="finding ') == MAX_FINDINGS


def test_html_page_is_self_contained_grouped_and_readable():
    page = render("html", report_of("locked-vmdk"))
    assert "<link" not in page and "src=" not in page  # inline CSS, nothing fetched
    assert "default-src 'none'" in page
    assert '<table class="evidence">' in page and "<th>file:line</th>" in page
    assert "hostd.log:34</td>" in page
    assert "<code>/etc/init.d/hostd restart</code>" in page and "`" not in page.split("<ol class=\"fix\">")[1].split("</ol>")[0]
    assert '<span class="badge error">error</span>' in page and '<span class="badge kind">fault</span>' in page
    assert "<details>" in page and "<summary>Artifacts: 8 artifacts (7 parsed, 1 skipped)</summary>" in page and "Skipped files (1)" in page
    assert "Not verified" in page and "ls -lh" in page
    assert "@media print" in page and "overflow-wrap: anywhere" in page
    story = report_of("locked-vmdk")
    stories = {f["story"] for f in story["findings"]}
    assert page.count('<section class="story">') == len(stories)
