"""Unix manners of the CLI: a fast start, quiet on a closed pipe, colour only where wanted,
read-only commands that write nothing, options that exist, sizes with units, checks before work,
and the report kept when saving fails."""

import json
import os
import re
import pty
import select
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from bundles import example
from click.testing import CliRunner

from hakb.cli import cli

LOCKED = example("locked-vmdk")
HAKB = [sys.executable, "-c", "from hakb.cli import main; main()"]


def run(*args, **kwargs):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, **kwargs)


def env(tmp_path, **extra):
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "HAKB_LOAD_PLUGINS")}
    environment.pop("HAKB_CONFIG", None)
    environment.update(HAKB_DB=str(tmp_path / "cases.db"), TERM="xterm-256color",
                       XDG_CONFIG_HOME=str(tmp_path / "config"))  # no user config file
    environment.update(extra)
    return environment


# -- start-up ---------------------------------------------------------------------------------

HEAVY = ("sqlite_utils", "clips", "jinja2", "yaml", "rich", "markdown_it", "cryptography")


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["diagnose", "--help"], ["kb", "--help"]])
def test_version_and_help_import_nothing_heavy(args):
    code = ("import sys\nfrom hakb.cli import cli\ntry:\n    cli(%r, prog_name='hakb')\n"
            "except SystemExit:\n    pass\nprint(sorted({m.split('.')[0] for m in sys.modules} & set(%r)))"
            % (args, HEAVY))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_adding_a_command_is_one_line_in_the_lazy_map():
    from hakb.cli.commands import COMMANDS, KB_COMMANDS

    assert set(COMMANDS) == set(cli.list_commands(None))
    kb = cli.get_command(None, "kb")
    assert set(KB_COMMANDS) == set(kb.list_commands(None))


# -- closed pipes -----------------------------------------------------------------------------

def closed_pipe_run(args, tmp_path):
    """Run hakb with stdout a pipe whose reader is already gone (like `| head -1` after one line)."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run(HAKB + args, stdout=write_end, stderr=subprocess.PIPE, text=True,
                                env=env(tmp_path), timeout=120)
    finally:
        os.close(write_end)
    return result


@pytest.fixture
def saved_case(tmp_path):
    result = subprocess.run(HAKB + ["diagnose", "--format", "json", str(LOCKED)], capture_output=True,
                            text=True, env=env(tmp_path))
    return json.loads(result.stdout)["case_id"]


@pytest.mark.parametrize("args", [["kb", "list"], ["cases"], ["schemas"], ["parse", str(LOCKED)],
                                  ["show", "latest"], ["diagnose", str(LOCKED)]])
def test_a_closed_pipe_ends_quietly(args, tmp_path, saved_case):
    result = closed_pipe_run(args, tmp_path)
    assert "Error" not in result.stderr and "error" not in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert result.returncode == (1 if args[0] == "diagnose" else 0)


# -- colour -----------------------------------------------------------------------------------

def on_terminal(args, tmp_path, **extra):
    """stdout and stderr of hakb run on a pseudo-terminal."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(HAKB + args, stdout=follower, stderr=follower, stdin=subprocess.DEVNULL,
                               env=env(tmp_path, **extra))
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            data = os.read(leader, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    process.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def test_colour_on_a_terminal_unless_no_color_term_dumb_or_never(tmp_path):
    args = ["diagnose", "--no-save", "-q", str(LOCKED)]
    assert "\x1b[" in on_terminal(args, tmp_path)
    assert "\x1b[" not in on_terminal(args, tmp_path, NO_COLOR="1")
    assert "\x1b[" not in on_terminal(args, tmp_path, TERM="dumb")
    assert "\x1b[" not in on_terminal(["--color", "never"] + args, tmp_path)


def test_color_always_colours_a_pipe_and_never_is_the_default_there(tmp_path):
    assert "\x1b[" in run("--color", "always", "diagnose", "--no-save", str(LOCKED)).stdout
    assert "\x1b[" not in run("diagnose", "--no-save", str(LOCKED)).stdout


# -- read-only commands -----------------------------------------------------------------------

def test_read_only_commands_create_no_file_or_folder(tmp_path, monkeypatch):
    new = tmp_path / "new" / "dir" / "x.db"
    listed = run("cases", "--db", str(new))
    assert listed.exit_code == 0 and "No cases yet" in listed.stdout
    assert run("cases", "--db", str(new), "--json").stdout.strip() == "[]"
    for args in (["show", "latest"], ["export", "latest"]):
        result = run(*args, "--db", str(new))
        assert result.exit_code == 2 and "no case database" in result.stderr
    monkeypatch.setenv("HAKB_DB", str(new))
    assert "vmware-locked-vmdk" in run("kb", "search", "consolidation").stdout
    assert not (tmp_path / "new").exists()


def test_listing_an_existing_database_writes_nothing_to_it(tmp_path):
    db = tmp_path / "cases.db"
    run("diagnose", "--db", str(db), str(LOCKED))
    before = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    os.chmod(db, 0o444)
    try:
        assert run("cases", "--db", str(db)).exit_code == 0
        assert run("show", "--db", str(db), "latest").exit_code == 0
    finally:
        os.chmod(db, 0o644)
    assert db.stat().st_mtime_ns == before["cases.db"]


# -- --no-save, options that exist, sizes ------------------------------------------------------

def test_no_save_prints_no_case_id(tmp_path):
    db = tmp_path / "cases.db"
    text = run("diagnose", "--db", str(db), "--no-save", str(LOCKED)).stdout
    assert text.splitlines()[0].startswith("hakb ") and "case not saved" in text.splitlines()[0]
    report = json.loads(run("diagnose", "--db", str(db), "--no-save", "--format", "json", str(LOCKED)).stdout)
    assert report["case_id"] is None and report["saved"] is False
    assert "# hakb case not saved" in run("diagnose", "--no-save", "--format", "markdown", str(LOCKED)).stdout
    assert not db.exists()


def test_every_option_a_message_mentions_exists(tmp_path):
    db = tmp_path / "cases.db"
    shown = run("diagnose", "--db", str(db), str(LOCKED)).stdout
    assert "--show-skipped lists them" in shown
    skipped = run("show", "--db", str(db), "latest", "--show-skipped")
    assert skipped.exit_code == 0 and "Skipped:" in skipped.stdout and "README.md" in skipped.stdout


@pytest.mark.parametrize("text, size", [("20G", 20 << 30), ("500M", 500 << 20), ("64KiB", 64 << 10),
                                        ("1024", 1024), ("1.5g", int(1.5 * (1 << 30))), ("2TB", 2 << 40)])
def test_sizes_accept_units(text, size):
    from hakb.cli.common import Size

    assert Size().convert(text, None, None) == size


def test_max_unpacked_takes_units_and_applies_them(tmp_path):
    archive = tmp_path / "bundle.tgz"
    big = tmp_path / "big"
    big.mkdir()
    (big / "hostd.log").write_bytes(b"x" * 3000 + b"\n")
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(big, arcname="b")
    assert run("diagnose", "--no-save", "--max-unpacked", "20G", str(LOCKED)).exit_code == 1
    refused = run("diagnose", "--no-save", "--format", "json", "--max-unpacked", "1K", str(archive))
    assert "refused" in json.loads(refused.stdout)["artifacts"][0]["message"]
    bad = run("diagnose", "--no-save", "--max-unpacked", "20X", str(LOCKED))
    assert bad.exit_code == 2 and "is not a size" in bad.stderr


@pytest.mark.parametrize("command", ["diagnose", "serve"])
def test_help_shows_the_real_archive_limits(command):
    from hakb.bundle import Limits

    text = " ".join(run(command, "--help").stdout.split())
    assert Limits.max_total_bytes == 20 << 30 and "[default: 20G]" in text
    assert f"[default: {Limits.max_files}]" in text and f"[default: {Limits.max_ratio:g}]" in text


def test_help_shows_the_real_rule_timeout_default():
    from hakb.config import DEFAULT_RULE_TIMEOUT
    from hakb.isolation import DEFAULT_TIMEOUT

    assert DEFAULT_RULE_TIMEOUT == DEFAULT_TIMEOUT
    assert f"[default: {DEFAULT_TIMEOUT:g}," in " ".join(run("diagnose", "--help").stdout.split())


# -- checks before the work, and nothing lost after it ------------------------------------------

def test_unwritable_output_fails_before_the_diagnosis(tmp_path, monkeypatch):
    import hakb.diagnosis

    def no_work(*args, **kwargs):
        raise AssertionError("the diagnosis ran although -o cannot be written")

    monkeypatch.setattr(hakb.diagnosis, "diagnose", no_work)
    for target in (tmp_path / "missing" / "r.html", tmp_path):
        result = run("diagnose", "-o", str(target), str(LOCKED))
        assert result.exit_code == 2 and result.stderr.startswith(f"hakb: error: cannot write {target}")
    locked = tmp_path / "ro"
    locked.mkdir()
    os.chmod(locked, 0o555)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as a user that may write anywhere")
        result = run("diagnose", "-o", str(locked / "r.html"), str(LOCKED))
        assert result.exit_code == 2 and "permission denied" in result.stderr
    finally:
        os.chmod(locked, 0o755)


def test_export_checks_its_files_first(tmp_path):
    db = tmp_path / "cases.db"
    run("diagnose", "--db", str(db), str(LOCKED))
    result = run("export", "--db", str(db), "latest", "--anonymize", "--map", str(tmp_path / "no" / "m.json"))
    assert result.exit_code == 2 and "cannot write" in result.stderr and result.stdout == ""


def test_a_failed_save_still_prints_the_report_and_says_so(tmp_path, monkeypatch):
    from hakb.store import Store, StoreError

    def full_disk(self, case):
        raise StoreError(f"cannot write case database {self.path}: disk is full; free space or use --db")

    monkeypatch.setattr(Store, "save", full_disk)
    result = run("diagnose", "--db", str(tmp_path / "cases.db"), str(LOCKED))
    assert result.exit_code == 2
    assert "/etc/init.d/hostd restart" in result.stdout and "case not saved" in result.stdout
    assert result.stderr.startswith("hakb: error: the case was not saved: cannot write case database")
    assert "report above is complete" in result.stderr


def test_a_corrupt_archive_message_keeps_its_line_breaks_readable(tmp_path):
    bad = tmp_path / "bad.tgz"
    bad.write_bytes(os.urandom(3000))
    report = json.loads(run("diagnose", "--no-save", "--format", "json", str(bad)).stdout)
    message = report["artifacts"][0]["message"]
    assert "?" not in message and "; - method" in message, message


# -- progress ---------------------------------------------------------------------------------

def test_progress_plain_is_one_line_per_stage(tmp_path):
    result = run("diagnose", "--no-save", "--progress", "plain", str(LOCKED))
    lines = result.stderr.splitlines()
    assert lines[0] == "hakb: unpacking and listing inputs"
    assert lines[1].startswith("hakb: reading artifacts: 8 artifact(s)")
    assert lines[2].startswith("hakb: running the knowledge packs")
    assert lines[3].startswith("hakb: done in ") and len(lines) == 4


def test_no_progress_when_quiet_or_stderr_is_not_a_terminal(tmp_path):
    assert run("diagnose", "--no-save", str(LOCKED)).stderr == ""
    assert run("diagnose", "--no-save", "-q", "--progress", "plain", str(LOCKED)).stderr == ""


def test_progress_bar_on_a_terminal(tmp_path):
    out = on_terminal(["--color", "never", "diagnose", "--no-save", str(LOCKED)], tmp_path)
    assert "artifacts" in out and "/8" in out  # rich draws the bar on the terminal, then clears it
    assert "Virtual disk locked" in out


def test_progress_bar_shows_bytes_read_files_done_and_the_rules():
    import io
    import time

    from rich.console import Console

    from hakb.cli.progress import BarProgress

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=120, color_system=None)
    sample = LOCKED / "vmkfstools-session.txt"
    bar = BarProgress(console=console, poll=0.02)
    with open(sample, "rb", buffering=0) as reading:
        reading.read(100)
        bar.update("[2/7] vmkfstools-session.txt", stage="read", done=1, total=7,
                   size=sample.stat().st_size, path=sample)
        time.sleep(0.3)
        bar.bar.refresh()
        during = buffer.getvalue()
    bar.update("running the knowledge packs", stage="rules", done=7, total=7)
    bar.bar.refresh()
    bar.close()
    assert "1/7" in during and "vmkfstools-session.txt" in during
    assert sample.stat().st_size < 1024 * 1024 and re.search(r"100 B / \d\.\d KB", during), during
    assert "knowledge packs" in buffer.getvalue() and "7/7" in buffer.getvalue()


def test_read_position_sees_how_far_a_file_was_read(tmp_path):
    from hakb.cli.progress import read_position

    path = tmp_path / "f.log"
    path.write_bytes(b"x" * 10_000)
    with open(path, "rb") as handle:
        handle.read(4096)
        if read_position(path) is None:
            pytest.skip("no /proc/self/fdinfo here")
        assert read_position(path) == 4096
    assert read_position(path) is None
