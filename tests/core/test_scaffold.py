"""`hakb plugin new`: the package it writes passes its own tests, installed in a fresh venv."""

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from click.testing import CliRunner

from hakb.cli import cli
from hakb.scaffold import ScaffoldError, write_plugin


def _fresh_venv(folder: Path) -> Path:
    """A new venv that sees this one's packages (hakb under test and its dependencies) through a
    .pth file, so nothing is downloaded; what it installs itself stays its own."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True)
    python = folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    ours = sysconfig.get_paths()["purelib"]
    Path(purelib, "hakb-under-test.pth").write_text(f"import site; site.addsitedir({ours!r})\n")
    return python


def test_new_plugin_installs_and_passes_its_tests_in_a_fresh_venv(tmp_path):
    result = CliRunner().invoke(cli, ["plugin", "new", "acme-ntp", "-d", str(tmp_path)])
    assert result.exit_code == 0, result.output
    package = tmp_path / "acme-ntp"
    python = _fresh_venv(tmp_path / "venv")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "HAKB_LOAD_PLUGINS")}
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                    "--no-index", "-e", str(package)], check=True, env=env, cwd=tmp_path)
    tests = subprocess.run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", str(package)],
                           capture_output=True, text=True, env=env, cwd=tmp_path)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "5 passed" in tests.stdout
    diagnosed = subprocess.run(
        [str(python), "-c", "from hakb.cli import main; main()", "diagnose", "--no-save", "-q",
         "--format", "json", str(package / "examples" / "service-failed")],
        capture_output=True, text=True, env=env, cwd=tmp_path)
    assert diagnosed.returncode == 1, diagnosed.stderr  # an error-level finding: exit 1
    assert '"id": "acme-ntp-service-failed"' in diagnosed.stdout
    checked = subprocess.run([str(python), "-c", "from hakb.cli import main; main()", "kb", "check"],
                             capture_output=True, text=True, env=env, cwd=tmp_path)
    assert checked.returncode == 0 and "acme-ntp: ok, 1 article(s)" in checked.stdout, checked.stdout


def test_the_written_pack_checks_clean_and_its_files_are_filled_in(tmp_path):
    folder = write_plugin("acme-ntp", tmp_path)
    texts = {p.relative_to(folder).as_posix(): p.read_text() for p in folder.rglob("*") if p.is_file()}
    assert "src/acme_ntp/kb/acme-ntp-service-failed.clp" in texts
    assert not any("__NAME__" in t or "__MODULE__" in t for t in texts.values())
    assert 'acme-ntp = "acme_ntp:plugin"' in texts["pyproject.toml"]


@pytest.mark.parametrize("name", ["Acme", "acme_ntp", "-acme", "acme--ntp", "hakb", "1acme"])
def test_bad_names_are_refused(tmp_path, name):
    with pytest.raises(ScaffoldError):
        write_plugin(name, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_an_existing_folder_is_left_alone(tmp_path):
    (tmp_path / "acme-ntp").mkdir()
    (tmp_path / "acme-ntp" / "mine.txt").write_text("keep")
    result = CliRunner().invoke(cli, ["plugin", "new", "acme-ntp", "-d", str(tmp_path)])
    assert result.exit_code == 2 and "already exists" in result.output
    assert [p.name for p in (tmp_path / "acme-ntp").iterdir()] == ["mine.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["acme-ntp"]  # no staging folder left
