"""The config file and `hakb config`, shell completion, `hakb cases` listings and filters, and
`hakb kb show` for a reader."""

import json
import os

import pytest
from bundles import example
from click.testing import CliRunner

from hakb.cli import cli

LOCKED = example("locked-vmdk")


def run(*args, env=None, **kwargs):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False, **kwargs)


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("HAKB_CONFIG", raising=False)


# -- config -----------------------------------------------------------------------------------

def write_config(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_config_file_sets_defaults_and_config_says_where_each_came_from(tmp_path, monkeypatch):
    monkeypatch.delenv("HAKB_DB")
    db = tmp_path / "from-config.db"
    config = write_config(tmp_path / "hakb.toml", f'db = "{db}"\nfail_on = "critical"\n'
                          'rule_timeout = 30\ncolor = "never"\nplugins = ["vmware"]\n')
    shown = json.loads(run("--config", str(config), "config", "--json").stdout)
    settings = shown["settings"]
    assert shown["file"] == str(config)
    assert settings["db"] == {"value": str(db), "source": f"config file {config}"}
    assert settings["fail_on"]["value"] == "critical" and settings["rule_timeout"]["value"] == 30.0
    assert settings["plugins"]["value"] == ["vmware"] and settings["color"]["value"] == "never"
    # fail_on = critical: the locked disk (error) no longer fails the run; the command line wins.
    assert run("--config", str(config), "diagnose", str(LOCKED)).exit_code == 0
    assert run("--config", str(config), "diagnose", "--fail-on", "error", str(LOCKED)).exit_code == 1
    assert db.exists()  # the config file's database was used
    assert "Virtual disk locked" in run("--config", str(config), "cases").stdout
    plugins = json.loads(run("--config", str(config), "plugins", "--json").stdout)
    assert [p["name"] for p in plugins] == ["vmware"]
    assert "HAKB_LOAD_PLUGINS" not in os.environ  # set for that command only


def test_environment_beats_the_config_file_and_command_line_beats_both(tmp_path, monkeypatch):
    config = write_config(tmp_path / "hakb.toml", 'db = "/elsewhere/x.db"\ncolor = "always"\n')
    monkeypatch.setenv("HAKB_CONFIG", str(config))
    settings = json.loads(run("config", "--json").stdout)["settings"]
    assert settings["db"]["source"] == "environment HAKB_DB" and settings["db"]["value"] == os.environ["HAKB_DB"]
    assert settings["color"]["source"].startswith("config file")
    settings = json.loads(run("--color", "never", "config", "--json").stdout)["settings"]
    assert settings["color"] == {"value": "never", "source": "command line --color"}
    assert "\x1b[" in run("diagnose", "--no-save", str(LOCKED)).stdout  # color = "always"


def test_default_config_file_is_read_from_the_platform_config_folder(tmp_path):
    folder = tmp_path / "xdg" / "hakb"
    folder.mkdir(parents=True)
    write_config(folder / "config.toml", 'fail_on = "never"\n')
    text = run("config").stdout
    assert f"config file: {folder / 'config.toml'}" in text
    assert "never" in text and run("diagnose", str(LOCKED)).exit_code == 0


@pytest.mark.parametrize("text, message", [
    ('fail_on = "sometimes"', "fail_on must be one of"),
    ("rule_timeout = -1", "rule_timeout must be a number"),
    ('colour = "never"', "unknown setting 'colour'"),
    ("db = [", "is not valid TOML"),
])
def test_a_bad_config_file_is_one_line_naming_file_and_setting(tmp_path, text, message):
    config = write_config(tmp_path / "bad.toml", text)
    result = run("--config", str(config), "cases")
    assert result.exit_code == 2 and message in result.stderr and str(config) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_named_config_file_must_exist(tmp_path):
    result = run("--config", str(tmp_path / "missing.toml"), "config")
    assert result.exit_code == 2 and "does not exist" in result.stderr


# -- completion -------------------------------------------------------------------------------

def complete(words, tmp_path=None):
    env = {"_HAKB_COMPLETE": "bash_complete", "COMP_WORDS": " ".join(words),
           "COMP_CWORD": str(len(words) - 1)}
    result = CliRunner().invoke(cli, [], env=env, prog_name="hakb")
    return [line.split(",", 1)[1] for line in result.stdout.splitlines()]


def test_completion_of_article_fault_and_case_ids(tmp_path):
    assert complete(["hakb", "kb", "show", "vmware-locked"]) == ["vmware-locked-vmdk"]
    assert "vmware-locked-vmdk" in complete(["hakb", "cases", "--fault", "vmware-lo"])
    case_id = json.loads(run("diagnose", "--format", "json", str(LOCKED)).stdout)["case_id"]
    assert complete(["hakb", "show", case_id[:8]]) == [case_id]
    assert "latest" in complete(["hakb", "export", ""])
    assert "esx03" in complete(["hakb", "cases", "--host", "esx0"])
    assert "diagnose" in complete(["hakb", "di"])


def test_readme_documents_completion():
    from bundles import ROOT

    readme = (ROOT / "README.md").read_text()
    assert "_HAKB_COMPLETE=bash_source hakb" in readme and "_HAKB_COMPLETE=zsh_source" in readme


# -- cases ------------------------------------------------------------------------------------

@pytest.fixture
def two_cases(tmp_path):
    run("diagnose", "--format", "json", str(LOCKED))
    run("diagnose", "--format", "json", str(example("locked-vmdk-healthy")))
    return tmp_path


def test_cases_show_worst_finding_title_and_hosts(two_cases):
    lines = run("cases").stdout.splitlines()
    assert len(lines) == 2
    locked = [line for line in lines if "locked-vmdk" in line and "healthy" not in line][0]
    assert "ERROR" in locked and "Virtual disk locked by another ESXi host" in locked
    assert "esx03" in locked and "esx01.lab.example" in locked


def test_cases_json_has_real_json_values(two_cases):
    rows = json.loads(run("cases", "--json").stdout)
    for row in rows:
        assert isinstance(row["inputs"], list) and isinstance(row["hosts"], list)
    locked = [r for r in rows if r["inputs"] == [str(LOCKED)]][0]
    assert locked["worst_id"] == "vmware-locked-vmdk" and locked["worst_severity"] == "error"
    assert locked["worst_title"] == "Virtual disk locked by another ESXi host"


def test_cases_filter_by_host_fault_and_date(two_cases):
    def ids(*options):
        return [r["inputs"][0].rsplit("/", 1)[-1] for r in json.loads(run("cases", "--json", *options).stdout)]

    assert ids("--fault", "vmware-locked-vmdk") == ["locked-vmdk"]
    assert "locked-vmdk" in ids("--host", "esx03")
    assert ids("--host", "no-such-host") == []
    assert "No case matches." in run("cases", "--host", "no-such-host").stdout
    assert set(ids("--since", "2000-01-01")) == {"locked-vmdk", "locked-vmdk-healthy"}
    assert ids("--until", "2000-01-01") == []
    assert run("cases", "--since", "yesterday").exit_code == 2


def test_cases_host_filter_matches_short_names_of_fqdns(two_cases):
    rows = json.loads(run("cases", "--json", "--host", "esx01").stdout)
    assert any(r["inputs"] == [str(LOCKED)] for r in rows)  # esx01.lab.example


# -- kb show ----------------------------------------------------------------------------------

def test_kb_show_renders_markdown_without_template_syntax():
    text = run("kb", "show", "vmware-locked-vmdk").stdout
    assert "{{" not in text and "{%" not in text and "##" not in text
    assert "‹holder›" in text or "‹holder_host›" in text
    assert "Virtual disk locked by another ESXi host" in text and "Fix" in text


def test_kb_show_with_a_case_fills_in_its_values():
    run("diagnose", str(LOCKED))
    text = run("kb", "show", "vmware-locked-vmdk", "--case", "latest").stdout
    assert "esx03" in text and "‹" not in text and "{{" not in text
    assert "/vmfs/volumes/ds-prod-01/app01/app01-000001-delta.vmdk" in text
    missing = run("kb", "show", "nsx-vxlan-mtu", "--case", "latest")
    assert missing.exit_code == 2 and "has no finding nsx-vxlan-mtu" in missing.output


def test_placeholders_and_broken_templates_never_show_template_source():
    from pathlib import Path

    from hakb.findings import render_article
    from hakb.knowledge import Article

    article = Article(id="x", title="X", severity="error", kind="fault", confidence=1.0, products=(),
                      references=(), summary="{{ host }} is {% if up %}up{% endif %}", fix=(),
                      body="## Fix\n1. On {{ host }} run `{{ cmd|upper }}`\n2. {{ broken(( }}\n",
                      pack="p", path=Path("x.md"))
    summary, body = render_article(article)
    assert summary == "‹host› is up" and "{{" not in body and "‹host›" in body
    summary, body = render_article(article, {"host": ["esx01"], "cmd": ["ls"]})
    assert summary == "esx01 is" and "{{" not in body
