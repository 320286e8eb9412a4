"""The built-in plugins keep the borders a third party's would: no plugin imports another, and
one product has one name in plugins/, kb/, facts/ and tests/."""

import ast
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PLUGINS = sorted(p.name for p in (ROOT / "plugins").iterdir() if (p / "__init__.py").exists())
#: facts/ and tests/ folders that belong to the core, not to a plugin.
CORE_FOLDERS = {"core", "e2e", "hostile"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


@pytest.mark.parametrize("plugin", PLUGINS)
def test_no_plugin_imports_another(plugin):
    offending = []
    for path in sorted((ROOT / "plugins" / plugin).rglob("*.py")):
        for module in imported_modules(path):
            parts = module.split(".")
            if parts[:2] == ["hakb", "plugins"] and len(parts) > 2 and parts[2] != plugin:
                offending.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offending == [], "what two plugins share belongs in the core API"


def test_the_import_check_sees_a_cross_import(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text("from hakb.plugins.vmware.common import disk_key\nimport hakb.plugins.nsx\n")
    assert {"hakb.plugins.vmware.common", "hakb.plugins.nsx"} <= imported_modules(sample)


def test_every_plugin_has_its_folders_under_one_name():
    for plugin in PLUGINS:
        assert (ROOT / "tests" / plugin).is_dir(), f"tests/{plugin} is missing"
        assert (ROOT / "facts" / plugin).is_dir(), f"facts/{plugin} is missing"
    kb = {p.name for p in (ROOT / "kb").iterdir() if p.is_dir() and not p.name.startswith("__")}
    assert kb <= set(PLUGINS), f"kb folders without a plugin of that name: {kb - set(PLUGINS)}"
    facts = {p.name for p in (ROOT / "facts").iterdir() if p.is_dir()}
    assert facts <= set(PLUGINS) | CORE_FOLDERS, f"facts folders without a plugin: {facts - set(PLUGINS)}"
    tests = {p.name for p in (ROOT / "tests").iterdir() if p.is_dir() and not p.name.startswith("__")}
    assert tests <= set(PLUGINS) | CORE_FOLDERS, f"test folders without a plugin: {tests - set(PLUGINS)}"


def test_entry_points_name_their_folders():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    entry_points = project["entry-points"]["hakb"]
    assert sorted(entry_points) == PLUGINS
    for name, target in entry_points.items():
        assert target.split(":")[0] == f"hakb.plugins.{name}"


def test_each_plugin_ships_the_pack_of_its_name():
    from hakb.plugin_manager import get_plugin_manager, knowledge_packs

    packs = {pack.name: Path(str(pack.path)).name for pack in knowledge_packs(get_plugin_manager())}
    for name, folder in packs.items():
        assert name == folder, f"pack {name} lives in kb/{folder}"
    for folder in (ROOT / "kb").iterdir():
        if folder.is_dir() and not folder.name.startswith("__"):
            assert folder.name in packs, f"kb/{folder.name} is not shipped by any plugin"
