"""Strict knowledge: what a pack's rules and articles get wrong is found when the pack loads.

Run where packs are read (in the knowledge worker, :func:`hakb.knowledge.read_pack`), so a
broken template, a misspelled variable or an invalid ``(severity "huge")`` refuses the pack
with file and line, instead of rendering empty or being dropped at diagnosis time:

- every template (summary, fix steps) compiles;
- every variable a template uses is given by the pack's rules (a name in some
  ``(vars name value ...)``), declared in the article's front matter (``vars: [name, ...]``,
  for values given another way), or one hakb gives (``key``, ``each``, ``evidence``);
- a literal ``(severity ...)`` is one of the severities, a literal ``(confidence ...)`` a
  number from 0 to 1.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Iterable

#: Names every template may use: hakb puts them in the context (hakb.findings.case_context).
GIVEN = frozenset({"key", "each", "evidence"})

_COMMENT_OR_STRING = re.compile(r'"(?:[^"\\]|\\.)*(?:"|\Z)|;[^\n]*', re.S)
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[()]|[^\s()"]+')
_SYMBOL = re.compile(r"[A-Za-z_][\w-]*\Z")
_LITERAL = re.compile(r'\((severity|confidence)\s+("(?:[^"\\]|\\.)*"|[^\s()"]+)\s*\)')


def _without_comments(source: str) -> str:
    return _COMMENT_OR_STRING.sub(lambda m: m.group(0) if m.group(0)[0] == '"' else "", source)


def vars_names(source: str) -> frozenset[str]:
    """The names a rule file gives its findings: the bare symbols directly inside each
    ``(vars ...)`` (values that are bare symbols count too; that only allows more)."""
    tokens = _TOKEN.findall(_without_comments(source))
    names: set[str] = set()
    for start, token in enumerate(tokens):
        if token != "vars" or start == 0 or tokens[start - 1] != "(":
            continue
        depth = 0
        for item in tokens[start + 1:]:
            if item == "(":
                depth += 1
            elif item == ")":
                if depth == 0:
                    break
                depth -= 1
            elif depth == 0 and _SYMBOL.match(item):
                names.add(item)
    return frozenset(names)


def conclusion_problems(source: str, file_name: str, severities: Iterable[str]) -> list[str]:
    """Literal severities and confidences in a rule file that a finding cannot have."""
    code = _without_comments(source)
    allowed = tuple(severities)
    problems = []
    for match in _LITERAL.finditer(code):
        slot, value = match.group(1), match.group(2)
        line = code.count("\n", 0, match.start()) + 1
        if value.startswith("?") or value.startswith("$"):
            continue  # a variable: checked when the finding is made
        if slot == "severity":
            if value.strip('"').lower() not in allowed:
                problems.append(f"{file_name}:{line}: severity {value} is not one of {', '.join(allowed)}")
            continue
        try:
            number = float(value)
        except ValueError:
            number = None
        if number is None or not 0.0 <= number <= 1.0:
            problems.append(f"{file_name}:{line}: confidence {value} is not a number from 0 to 1")
    return problems


def _line_of(lines: list[str], template: str, start: int = 0) -> int:
    first = template.strip().splitlines()[0] if template.strip() else ""
    for number in range(start, len(lines)):
        if first and first in lines[number]:
            return number + 1
    return start + 1


class TemplateNames:
    """What each template uses (or why it does not compile), kept on disk between runs.

    Parsing every article's templates is most of a tiny case's knowledge loading, and the
    answer depends only on the template's text: it is kept in the cache folder, keyed by the
    text's hash (and the Jinja version). The file holds data only, is checked when read, and
    anything wrong with it (missing, damaged, unwritable) only costs the parsing.
    """

    def __init__(self, folder: Path | None) -> None:
        import jinja2

        self.path = folder / f"templates-{jinja2.__version__}.json" if folder else None
        self.known: dict[str, list] = {}
        self.added = False
        try:
            data = json.loads(self.path.read_text(encoding="utf-8")) if self.path else {}
            if isinstance(data, dict):
                self.known = {k: v for k, v in data.items() if _valid(v)}
        except (OSError, ValueError):
            pass

    def of(self, env, template: str) -> tuple[str | None, frozenset[str]]:
        """(the syntax error, or None; the names the template uses and does not assign)."""
        key = hashlib.sha256(template.encode("utf-8", "surrogatepass")).hexdigest()
        if key not in self.known:
            from jinja2 import TemplateSyntaxError, meta, nodes

            try:
                tree = env.parse(template)
            except TemplateSyntaxError as exc:
                self.known[key] = [exc.message or "syntax error", []]
            else:
                assigned = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
                self.known[key] = [None, sorted(meta.find_undeclared_variables(tree) - assigned)]
            self.added = True
        error, names = self.known[key]
        return error, frozenset(names)

    def save(self) -> None:
        if not (self.added and self.path):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
            partial.write_text(json.dumps(self.known), encoding="utf-8")
            partial.replace(self.path)
        except OSError:
            pass  # a cache that cannot be written only costs time


def _valid(value) -> bool:
    return (isinstance(value, list) and len(value) == 2 and (value[0] is None or isinstance(value[0], str))
            and isinstance(value[1], list) and all(isinstance(n, str) for n in value[1]))


def template_problems(article, known: Iterable[str], declared: Iterable[str] = (),
                      names: TemplateNames | None = None) -> list[str]:
    """Every template of ``article`` that does not compile or uses a name neither ``known`` (the
    pack's rules give it), ``declared`` nor :data:`GIVEN`, with the line of its file."""
    import difflib

    from hakb.findings import _sandbox

    env = _sandbox()
    known = set(known)
    allowed = known | set(declared) | GIVEN | set(env.globals)
    try:
        lines = article.path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []
    fix_at = next((n for n, text in enumerate(lines) if text.lstrip().lower().startswith("## fix")), 0)
    summary_at = next((n for n, text in enumerate(lines) if text.startswith("summary:")), 0)
    templates = [("summary", article.summary, summary_at + 1)]
    templates += [(f"fix step {n}", step, _line_of(lines, step, fix_at))
                  for n, step in enumerate(article.fix, start=1)]
    names = names or TemplateNames(None)
    problems = []
    for what, template, line in templates:
        error, used = names.of(env, template)
        if error is not None:
            problems.append(f"{article.path.name}:{line}: {what} is not a valid template: {error}")
            continue
        for name in sorted(used - allowed):
            close = difflib.get_close_matches(name, sorted(known), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            problems.append(f"{article.path.name}:{line}: {what} uses {name!r}, which no rule of the "
                            f"pack gives{hint}; fix the name, or declare it under vars: in the "
                            "front matter")
    return problems


#: Words that open a list inside a rule and are not fact patterns.
_NOT_PATTERNS = frozenset({
    "defrule", "deftemplate", "deffunction", "defglobal", "declare", "salience", "auto-focus",
    "not", "and", "or", "exists", "forall", "logical", "test", "slot", "multislot", "type",
    "default", "default-dynamic", "allowed-symbols", "allowed-strings", "allowed-values", "range",
    "cardinality", "allowed-numbers", "allowed-integers", "allowed-floats", "allowed-lexemes",
    "allowed-instance-names", "allowed-classes",
})


#: Lists whose direct children are fact patterns (or, for assert, facts).
_PATTERN_PARENTS = frozenset({"defrule", "not", "and", "or", "exists", "forall", "logical", "assert"})


def defined_templates(source: str) -> set[str]:
    """The deftemplate names a rule file defines."""
    return set(re.findall(r"\(\s*deftemplate\s+(?:MAIN::)?([^\s()]+)", _without_comments(source)))


def pattern_problems(source: str, file_name: str, templates: dict[str, frozenset[str]],
                     functions: Iterable[str], own: Iterable[str] = ()) -> list[str]:
    """Fact patterns in a rule file naming a fact type no one declares, or a slot its type
    lacks: ``file:line: fact type 'x' ...``. ``templates`` maps every fact type in play to its
    slots; ``functions`` are the names that call a function; ``own`` the pack's deftemplates
    (their slots are CLIPS's to check). Used to explain a file CLIPS refused, whose own message
    is "Check appropriate syntax for defrule"."""
    code = _without_comments(source)
    calls = set(functions) | _NOT_PATTERNS
    own = set(own) | defined_templates(source)
    problems: list[str] = []
    stack: list[str | None] = []  # the head word of each open list
    expect_head = False
    matches = list(re.finditer(r'"(?:[^"\\]|\\.)*"|[()]|[^\s()"]+', code))
    for at, match in enumerate(matches):
        token = match.group(0)
        if token == "(":
            stack.append(None)
            expect_head = True
            continue
        if token == ")":
            if stack:
                stack.pop()
            expect_head = False
            continue
        if not expect_head:
            continue
        expect_head = False
        stack[-1] = token
        if "defrule" not in stack[:-1]:
            continue
        line = code.count("\n", 0, match.start()) + 1
        parent = stack[-2] if len(stack) > 1 else None
        grandparent = stack[-3] if len(stack) > 2 else None
        if parent in templates and parent not in own and grandparent in _PATTERN_PARENTS:
            if token not in templates[parent]:
                problems.append(f"{file_name}:{line}: fact type '{parent}' has no slot '{token}' "
                                f"(its slots: {', '.join(sorted(templates[parent]))})")
            continue
        after = [m.group(0) for m in matches[at + 1:at + 3]]
        slots_follow = len(after) == 2 and after[0] == "(" and after[1] not in calls
        if (parent in _PATTERN_PARENTS and slots_follow and token not in templates
                and token not in calls and token not in own and _SYMBOL.match(token)):
            # (name (slot ...)): a template pattern. (name value ...) is an ordered fact,
            # which a pack may use without declaring it.
            problems.append(f"{file_name}:{line}: fact type '{token}' is declared by no plugin in play "
                            "(`hakb schemas` lists them; is its plugin installed?)")
    return list(dict.fromkeys(problems))
