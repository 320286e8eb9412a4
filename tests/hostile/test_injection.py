"""A CLIPS-injection corpus pushed through every parser leaves the diagnosis unchanged.

Every example bundle in facts/*/examples/ (present and future) is diagnosed as it is and with the
corpus (CLIPS constructs, quotes, parentheses, NUL, template syntax, a 1 MB line) written into
each of its text artifacts, as a paragraph of its own:

* after the artifact's content: findings (ids and keys), artifact statuses and errors must be
  exactly those of the clean run;
* in the middle (after a blank line half-way): a parser may take the corpus for a record, so
  values may carry it - as data - but it never becomes a rule, a finding id, or an engine or
  pack error.
"""

import shutil
from pathlib import Path

import pytest

from hakb import textio
from hakb.diagnosis import diagnose
from hakb.plugin_manager import get_plugin_manager

ROOT = Path(__file__).resolve().parents[2]
from bundles import all_examples  # noqa: E402

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
    return all_examples()


def inject(folder: Path, where: str) -> int:
    """Write the corpus into every text artifact under ``folder``, as a paragraph of its own
    (blank lines around it): at the ``end``, or in the ``middle`` (after a blank line half-way).
    Returns how many artifacts were changed."""
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
        block = (PAYLOAD if where == "end" else MIDDLE).replace("\n", newline)
        block = block.encode(codec, errors="replace").decode(codec)
        lines = content.split(newline)
        if where == "end":
            lines[len(lines) - (lines[-1] == ""):] = ["", block, ""]
        else:
            blanks = [i for i, line in enumerate(lines) if not line.strip() and 0 < i < len(lines) - 1]
            if not blanks:
                continue
            at = blanks[len(blanks) // 2] + 1
            lines[at:at] = [block, ""]
        path.write_bytes(bom + newline.join(lines).encode(codec, errors="replace"))
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
    """The corpus after the artifact's own content: the diagnosis must be exactly the same."""
    before, after = run_both(example, tmp_path, monkeypatch, pm, "end")
    findings, statuses, errors = outcome(before)
    findings_after, statuses_after, errors_after = outcome(after)
    assert_not_pwned(after)
    assert findings_after == findings, "the corpus changed the findings"
    assert statuses_after == statuses, "the corpus changed how artifacts were read"
    assert errors_after == errors, "the corpus caused engine or pack errors"


@pytest.mark.parametrize("example", example_folders(), ids=lambda p: p.name)
def test_injection_corpus_inside_an_artifact_is_only_ever_data(example, tmp_path, monkeypatch, pm):
    """The corpus in the middle may confuse a parser about its records (that is the parser's
    business), but it never becomes a rule, a finding, or an engine or pack error."""
    before, after = run_both(example, tmp_path, monkeypatch, pm, "middle")
    assert_not_pwned(after)
    assert outcome(after)[2] == outcome(before)[2], "the corpus caused engine or pack errors"
    assert {f.id for f in after.findings} <= {f.id for f in before.findings} | set(KNOWN_IDS(pm))


_CLEAN: dict = {}


def run_both(example, tmp_path, monkeypatch, pm, where):
    """(clean case, case with the corpus injected), both read from the same relative path."""
    dirty = tmp_path / "dirty"
    shutil.copytree(example, dirty / example.name)
    if inject(dirty / example.name, where) == 0:
        pytest.skip(f"no text artifact to put the corpus {'after' if where == 'end' else 'inside'}")
    if example.name not in _CLEAN:
        clean = tmp_path / "clean"
        shutil.copytree(example, clean / example.name)
        monkeypatch.chdir(clean)
        _CLEAN[example.name] = diagnose([example.name], pm=pm)
    monkeypatch.chdir(dirty)
    return _CLEAN[example.name], diagnose([example.name], pm=pm)


def assert_not_pwned(case):
    """The corpus may end up in values (keys, summaries) - as data - but never as a finding id."""
    assert not any(f.id == "pwned" for f in case.findings)
    assert not Path("/tmp/hakb-pwned").exists()


def KNOWN_IDS(pm):
    from hakb.knowledge import load_knowledge
    from hakb.plugin_manager import knowledge_packs
    return load_knowledge(knowledge_packs(pm)).articles
