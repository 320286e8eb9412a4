"""`hakb plugins` and HAKB_LOAD_PLUGINS."""

import json

from click.testing import CliRunner

from hakb.cli import cli


def test_plugins_lists_builtins_with_versions_and_hooks():
    result = CliRunner().invoke(cli, ["plugins", "--json"])
    plugins = {p["name"]: p for p in json.loads(result.stdout)}
    assert "vmware" in plugins
    assert plugins["vmware"]["version"]
    assert set(plugins["vmware"]["hooks"]) == {"hakb_fact_schemas", "hakb_parsers", "hakb_knowledge_packs"}


def test_hakb_load_plugins_limits_what_loads(monkeypatch):
    monkeypatch.setenv("HAKB_LOAD_PLUGINS", "vmware")
    names = [p["name"] for p in json.loads(CliRunner().invoke(cli, ["plugins", "--json"]).stdout)]
    assert names == ["vmware"]
    monkeypatch.setenv("HAKB_LOAD_PLUGINS", "")
    assert json.loads(CliRunner().invoke(cli, ["plugins", "--json"]).stdout) == []


def test_kb_commands():
    runner = CliRunner()
    assert "vmware-locked-vmdk" in runner.invoke(cli, ["kb", "list"]).stdout
    assert "hostd" in runner.invoke(cli, ["kb", "show", "vmware-locked-vmdk"]).stdout
    assert "vmware-locked-vmdk" in runner.invoke(cli, ["kb", "search", "consolidation"]).stdout
    missing = runner.invoke(cli, ["kb", "show", "no-such-article"])
    assert missing.exit_code == 2 and "no article" in missing.output


class BrokenPlugin:
    """A plugin whose knowledge hook raises: it loses its own part, nothing else."""

    @staticmethod
    def _boom():
        raise RuntimeError("boom")

    from hakb import hookimpl

    @hookimpl
    def hakb_knowledge_packs(self):
        self._boom()


def test_a_broken_plugin_is_reported_and_the_rest_still_works():
    from hakb.testing import fact, run_facts
    case = run_facts([fact("vm-log-event", kind="lock-failed", disk="d", file="/vmfs/volumes/x/d.vmdk")],
                     plugins=(BrokenPlugin(),))
    assert any(e["source"].startswith("plugin") and "boom" in e["message"] for e in case.errors)
    assert [f.id for f in case.findings] == ["vmware-locked-vmdk"]
