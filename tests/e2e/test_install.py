"""A plain (non-editable) install from the built wheel, in a throwaway venv: it carries kb/ and
plugins/, runs the example, and takes a third-party plugin through the entry-point group."""

import json
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "facts" / "vmware" / "examples"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                   check=True, capture_output=True)
    [built] = out.glob("hakb-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory):
    folder = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
    bin_dir = folder / ("Scripts" if os.name == "nt" else "bin")
    subprocess.run([str(bin_dir / "pip"), "install", "-q", str(wheel)], check=True, capture_output=True)
    return bin_dir


def hakb(venv, *args, tmp_path, **env):
    environment = {**os.environ, "HAKB_DB": str(tmp_path / "cases.db"), **env}
    environment.pop("HAKB_LOAD_PLUGINS", None) if "HAKB_LOAD_PLUGINS" not in env else None
    return subprocess.run([str(venv / "hakb"), *args], capture_output=True, text=True, env=environment,
                          cwd=tmp_path)


def test_wheel_contains_kb_and_plugins(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "hakb/kb/vmware/locked-vmdk.clp" in names and "hakb/kb/vmware/locked-vmdk.md" in names
    assert "hakb/plugins/vmware/__init__.py" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "vmware = hakb.plugins.vmware" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_installed_wheel_runs_the_example(venv, tmp_path):
    result = hakb(venv, "diagnose", "--format", "json", str(EXAMPLES / "locked-vmdk"), tmp_path=tmp_path)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    [finding] = [f for f in report["findings"] if f["id"] == "vmware-locked-vmdk"]
    assert "esx03" in finding["summary"]


def test_installed_wheel_carries_the_html_page_and_the_report_schema(venv, tmp_path):
    page = tmp_path / "case.html"
    result = hakb(venv, "diagnose", "--format", "html", "-o", str(page), str(EXAMPLES / "locked-vmdk"),
                  tmp_path=tmp_path)
    assert result.returncode == 1, result.stderr
    assert '<table class="evidence">' in page.read_text()
    schema = subprocess.run([str(venv / "python"), "-c", "from importlib.resources import files; "
                             "print(files('hakb').joinpath('schemas/report.schema.json').read_text())"],
                            capture_output=True, text=True, check=True).stdout
    assert json.loads(schema)["title"].startswith("hakb report")


PLUGIN = '''
"""A third-party plugin written from docs/plugins.md, for this test only."""
from importlib.resources import files
from hakb import Fact, FactSchema, KnowledgePack, Parser, hookimpl

def recognise(head):
    return 50 if "remote           refid" in head.text else 0

def parse(lines, artifact):
    for number, text in lines:
        fields = text.split()
        if len(fields) == 10 and fields[0][0] in "*+-#o":
            yield Fact("ntp-offset", {"server": fields[0][1:], "offset_ms": float(fields[8])},
                       line=number, text=text)

@hookimpl
def hakb_fact_schemas():
    return [FactSchema("ntp-offset", {"server": "str", "offset_ms": "float"})]

@hookimpl
def hakb_parsers():
    return [Parser("testco.ntpq", recognise=recognise, parse=parse)]

@hookimpl
def hakb_knowledge_packs():
    return [KnowledgePack("testco", files("testco_hakb") / "kb")]
'''

RULE = '''
(defrule ntp-drift-large-offset
  ?o <- (ntp-offset (server ?s) (offset_ms ?ms&:(numberp ?ms)&:(> (abs ?ms) 1000)))
  =>
  (assert (hakb-finding (id "ntp-drift") (key ?s) (evidence ?o) (vars server ?s offset_ms ?ms))))
'''

ARTICLE = '''---
id: ntp-drift
title: Clock drifts from its time source
severity: warning
summary: "{{ server }} is {{ offset_ms }} ms off"
---
## Fix
1. Check the time source {{ server }}.
'''

NTPQ = """     remote           refid      st t when poll reach   delay   offset  jitter
==============================================================================
*pool1.example  192.0.2.1         2 u   33   64  377    0.512  1523.00   0.120
"""


def test_third_party_plugin_through_the_entry_point_group(venv, tmp_path):
    source = tmp_path / "testco"
    (source / "testco_hakb" / "kb").mkdir(parents=True)
    (source / "testco_hakb" / "__init__.py").write_text(PLUGIN)
    (source / "testco_hakb" / "kb" / "ntp-drift.clp").write_text(RULE)
    (source / "testco_hakb" / "kb" / "ntp-drift.md").write_text(ARTICLE)
    (source / "pyproject.toml").write_text(textwrap.dedent("""\
        [build-system]
        requires = ["setuptools>=68"]
        build-backend = "setuptools.build_meta"
        [project]
        name = "testco-hakb"
        version = "2.3.4"
        [project.entry-points.hakb]
        testco = "testco_hakb"
        [tool.setuptools.package-data]
        testco_hakb = ["kb/*"]
        """))
    subprocess.run([str(venv / "pip"), "install", "-q", str(source)], check=True, capture_output=True)
    plugins = {p["name"]: p for p in json.loads(hakb(venv, "plugins", "--json", tmp_path=tmp_path).stdout)}
    assert plugins["testco"]["version"] == "2.3.4"
    (tmp_path / "ntpq.txt").write_text(NTPQ)
    result = hakb(venv, "diagnose", "--format", "json", "ntpq.txt", tmp_path=tmp_path,
                  HAKB_LOAD_PLUGINS="testco")
    report = json.loads(result.stdout)
    [finding] = report["findings"]
    assert finding["summary"] == "pool1.example is 1523.0 ms off"
    assert finding["evidence"] == [{"artifact": "ntpq.txt", "line": 3, "text": NTPQ.splitlines()[2]}]


def test_wheel_carries_the_plugin_scaffold_and_the_pytest_plugin(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "hakb/scaffold/files/pyproject.toml.tmpl" in names
    assert "hakb/scaffold/files/src/__MODULE__/kb/__NAME__-service-failed.md.tmpl" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "[pytest11]\nhakb = hakb.pytest_plugin" in zipfile.ZipFile(wheel).read(entry_points).decode()
