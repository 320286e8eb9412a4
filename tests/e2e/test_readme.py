"""Every example in README.md works exactly as written.

``sh`` blocks are run line by line (one shell per line, in a scratch folder holding the
checkout's ``facts/``, with a scratch case database): each must end 0 or 1 (1: a finding, as the
README's exit-status table says) and print no traceback. ``console`` blocks are run too: each
``$ command`` is run, what it is shown to print must be in what it prints (in order; ``...`` and
``[...]`` mark what the page leaves out, case ids and clocks differ), ``$ echo $?`` checks its
exit status, and ``paste> X`` / ``answer> X`` lines are what is typed in. ``toml`` blocks are
settings files ``hakb config`` must accept. The first two blocks are the newcomer's commands:
the test one is what ``.ci/run`` runs, the other is installed and run in a throwaway venv by
tests/e2e/test_install.py, and its ``hakb`` part is run here.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
BIN = Path(sys.executable).parent
FENCE = re.compile(r"^```(?P<lang>\w*)\n(?P<body>.*?)^```$", re.S | re.M)
VOLATILE = [(re.compile(r"\b\d{8}-\d{6}-[0-9a-f]{6}\b"), "CASE")]


@dataclass
class Block:
    lang: str
    body: str
    line: int

    def __str__(self) -> str:
        return f"README.md:{self.line}"


def blocks(lang: str | None = None) -> list[Block]:
    text = README.read_text(encoding="utf-8")
    found = [Block(m["lang"], m["body"], text[:m.start()].count("\n") + 1) for m in FENCE.finditer(text)]
    return [b for b in found if lang is None or b.lang == lang]


@pytest.fixture
def scratch(tmp_path):
    """A folder where README commands run as from a checkout: ``facts/`` is there."""
    (tmp_path / "facts").symlink_to(ROOT / "facts")
    return tmp_path


def environment(scratch: Path) -> dict:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
           "HAKB_DB": str(scratch / "cases.db"), "XDG_CONFIG_HOME": str(scratch / "config"),
           "COLUMNS": "200", "NO_COLOR": "1"}
    for name in ("HAKB_LOAD_PLUGINS", "HAKB_TOKEN", "HAKB_CONFIG"):
        env.pop(name, None)
    return env


def shell(command: str, scratch: Path, stdin: str | None = None, timeout: float = 300):
    return subprocess.run(["bash", "-c", command], cwd=scratch, env=environment(scratch), input=stdin,
                          capture_output=True, text=True, timeout=timeout)


def assert_clean(result, what: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode in (0, 1), f"{what}: exit {result.returncode}\n{output[-3000:]}"
    for bad in ("Traceback", "internal error", "Usage: "):
        assert bad not in output, f"{what}: {bad!r} in the output\n{output[-3000:]}"


def test_the_test_command_is_what_ci_runs():
    test_command = blocks("sh")[1].body.strip()
    ci = (ROOT / ".ci" / "run").read_text().strip().splitlines()
    assert ci[-1] == test_command


def test_the_first_command_runs_the_main_job(scratch):
    first = blocks("sh")[0].body.strip()
    install, _, job = first.rpartition(" && ")
    assert install == "python3 -m venv .venv && .venv/bin/pip install ."
    assert job.startswith(".venv/bin/hakb diagnose ")
    result = shell(job.replace(".venv/bin/", ""), scratch)
    assert result.returncode == 1 and "Virtual disk locked by another ESXi host" in result.stdout


def sh_lines() -> list[tuple[Block, str]]:
    return [(block, line) for block in blocks("sh")[2:] for line in block.body.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def test_every_sh_example_runs(scratch):
    """All lines of the sh blocks, in order, in one scratch folder (later lines use the cases
    earlier ones saved: ``hakb show latest``)."""
    for block, line in sh_lines():
        command = line
        if "_source hakb" in line:  # shell completion: the script must come out; only bash evals it here
            script = re.search(r"(_HAKB_COMPLETE=\w+ hakb)", line).group(1)
            result = shell(script, scratch)
            assert result.returncode == 0 and "complete" in result.stdout, f"{block}: {line}"
            if "bash_source" not in line:
                continue
        if re.match(r"hakb serve\b", line):
            serve(block, line.split("#")[0].strip(), scratch)
            continue
        assert_clean(shell(command, scratch), f"{block}: {line}")
    assert (scratch / "case.json").is_file() and (scratch / "case.sarif").is_file()


def serve(block: Block, command: str, scratch: Path) -> None:
    """``hakb serve`` runs until stopped: it must answer on the address it names, then stop on Ctrl-C."""
    import urllib.request

    process = subprocess.Popen(["bash", "-c", f"exec {command}"], cwd=scratch, env=environment(scratch),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen("http://127.0.0.1:8765/", timeout=5) as page:
                    assert page.status == 200 and "hakb" in page.read().decode("utf-8", "replace")
                    break
            except OSError:
                assert process.poll() is None, f"{block}: {command} ended: {process.stdout.read()}"
                assert time.monotonic() < deadline, f"{block}: {command} did not answer"
                time.sleep(0.3)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            output, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    assert "Traceback" not in output, output


def normalise(text: str) -> str:
    for pattern, replacement in VOLATILE:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


def expect_in_order(shown: list[str], printed: str, what: str) -> None:
    """Each shown line (pieces around ``[...]``) is in ``printed``, in order."""
    position = 0
    printed = normalise(printed)
    for line in shown:
        for piece in normalise(line).split("[...]"):
            piece = piece.strip()
            if not piece:
                continue
            found = printed.find(piece, position)
            assert found >= 0, f"{what}: not printed (in this order): {piece!r}\n--- printed:\n{printed[position:position + 3000]}"
            position = found + len(piece)


@dataclass
class Run:
    command: str
    shown: list[str]
    typed: list[str]


def console_runs(block: Block) -> list[Run]:
    runs: list[Run] = []
    for line in block.body.splitlines():
        if line.startswith("$ "):
            runs.append(Run(line[2:], [], []))
        elif runs and (typed := re.match(r"^(?:paste|answer)> (.*)$", line)):
            runs[-1].typed.append(typed.group(1))
        elif runs and line.strip() != "...":
            runs[-1].shown.append(line)
    return runs


@pytest.mark.parametrize("block", blocks("console"), ids=str)
def test_console_example_prints_what_it_shows(block, scratch):
    last = None
    for run in console_runs(block):
        if run.command == "echo $?":
            assert last is not None and [str(last.returncode)] == [s.strip() for s in run.shown if s.strip()], \
                f"{block}: exit status"
            continue
        stdin = "".join(f"{answer}\n" for answer in run.typed) if run.typed else None
        last = shell(run.command, scratch, stdin=stdin)
        assert_clean(last, f"{block}: {run.command}")
        expect_in_order(run.shown, last.stdout, f"{block}: {run.command}")


@pytest.mark.parametrize("block", blocks("toml"), ids=str)
def test_settings_example_is_accepted(block, scratch):
    settings = scratch / "settings.toml"
    settings.write_text(block.body, encoding="utf-8")
    result = shell(f"hakb --config {settings} config --json", scratch)
    assert result.returncode == 0, result.stderr
    for key in re.findall(r"^(\w+)\s*=", block.body, re.M):
        assert f'"{key}"' in result.stdout, (block, key)


def test_every_block_is_checked():
    """A new kind of block (another language) gets a check here before it goes in the README."""
    checked = {"sh", "console", "toml", ""}
    assert {b.lang for b in blocks()} <= checked
