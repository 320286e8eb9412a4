"""A CLIPS-injection corpus pushed through every parser leaves the diagnosis unchanged.

Every example bundle in facts/examples/ (present and future) is diagnosed twice: as it is, and
with the corpus written into each of its text artifacts (as a block after a blank line in the
middle, and at the end). Findings (ids and keys), artifact statuses and errors must be the same;
nothing from the corpus may become a rule, a fact or a finding of its own.
"""

import shutil
from pathlib import Path

import pytest

from hakb import textio
from hakb.diagnosis import diagnose
from hakb.plugin_manager import get_plugin_manager

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "facts" / "examples"

CORPUS = [
    '") (assert (hakb-finding (id "pwned") (key "x"))) ("',
    '(defrule pwned-rule => (assert (hakb-finding (id "pwned"))))',
    '(system "touch /tmp/hakb-pwned")',
    "(exit)",
    '(eval "(exit)")',
    '"',
    "'",
    "((((((((((((((((((((",
    "))))))))))))))))))))",
    '\\" ?x <- (hakb-finding) (retract ?x)',
    "(bind ?*global* 1) (deffacts pwned-facts (hakb-case))",
    "\x00(deftemplate pwned-t (slot a))\x00",
    "{{ 7 * 7 }} {% for x in range(99999999) %}x{% endfor %}",
    "%s%s%n%x ${jndi:ldap://example.invalid/a}",
    "(" * 5000 + ")" * 5000,
    "X" * (1024 * 1024),  # a 1 MB line: cut, not loaded whole
]
PAYLOAD = "\n".join(CORPUS)
#: The part that goes in the middle: without the huge lines, which would push the artifact's own
#: first lines out of the head hakb recognises it by (recognition reads the first 64 KiB).
MIDDLE = "\n".join(line for line in CORPUS if len(line) < 1000)


def example_folders():
    return sorted(p for p in EXAMPLES.iterdir() if p.is_dir()) if EXAMPLES.is_dir() else []


def inject(folder: Path) -> int:
    """Write the corpus into every text artifact under ``folder``; returns how many were changed."""
    changed = 0
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.name.lower() == "readme.md":
            continue
        text, encoding, binary, _ = textio.head_text(path)
        if binary:
            continue
        codec = "utf-16-le" if encoding.startswith("utf-16") else ("utf-8" if encoding == "utf-8" else "cp1252")
        original = path.read_bytes()
        bom = b"\xff\xfe" if original.startswith(b"\xff\xfe") else b""
        content = original[len(bom):].decode(codec, errors="replace")
        newline = "\r\n" if "\r\n" in content else "\n"
        block, middle = (text.replace("\n", newline).encode(codec, errors="replace").decode(codec)
                         for text in (PAYLOAD, MIDDLE))
        lines = content.split(newline)
        blanks = [i for i, line in enumerate(lines) if not line.strip() and 0 < i < len(lines) - 1]
        if blanks:
            at = blanks[len(blanks) // 2] + 1
            lines[at:at] = [middle, ""]
        injected = newline.join(lines) + ("" if content.endswith(newline) else newline) + block + newline
        path.write_bytes(bom + injected.encode(codec, errors="replace"))
        changed += 1
    return changed


def outcome(case):
    return ({(f.id, f.key) for f in case.findings},
            {a.artifact.name: a.status for a in case.artifacts},
            [e["source"] + ": " + e["message"] for e in case.errors])


@pytest.fixture(scope="module")
def pm():
    return get_plugin_manager()


@pytest.mark.parametrize("example", example_folders(), ids=lambda p: p.name)
def test_injection_corpus_changes_nothing(example, tmp_path, monkeypatch, pm):
    clean = tmp_path / "clean"
    dirty = tmp_path / "dirty"
    shutil.copytree(example, clean / example.name)
    shutil.copytree(example, dirty / example.name)
    assert inject(dirty / example.name) > 0
    monkeypatch.chdir(clean)
    before = diagnose([example.name], pm=pm)
    monkeypatch.chdir(dirty)
    after = diagnose([example.name], pm=pm)
    findings, statuses, errors = outcome(before)
    findings_after, statuses_after, errors_after = outcome(after)
    assert not any(i == "pwned" or "pwned" in k for i, k in findings_after)
    assert findings_after == findings, "the corpus changed the findings"
    assert statuses_after == statuses, "the corpus changed how artifacts were read"
    assert errors_after == errors, "the corpus caused engine or pack errors"
    assert not Path("/tmp/hakb-pwned").exists()
