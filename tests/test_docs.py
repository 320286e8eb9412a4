"""Documentation that cannot drift: docs/plugins.md covers every hook with its arguments and
return value, every public name of ``hakb`` and ``hakb.testing``, every pytest fixture, and the
templates hakb defines with their slots (a test fails when one is missing)."""

import inspect
import re
from pathlib import Path

import pytest

import hakb
import hakb.testing
from hakb import hookspecs, pytest_plugin

DOC = (Path(__file__).resolve().parent.parent / "docs" / "plugins.md").read_text(encoding="utf-8")

HOOKS = [name for name, value in vars(hookspecs).items()
         if callable(value) and hasattr(value, "hakb_spec")]


def section(heading: str) -> str:
    """The text under a ``### heading`` up to the next heading of that level or above."""
    match = re.search(rf"^###\s+`?{re.escape(heading)}(?![\w-])[^\n]*\n(.*?)(?=^#{{1,3}}\s|\Z)", DOC, re.M | re.S)
    assert match, f"docs/plugins.md has no '### {heading}' section"
    return match.group(1)


def test_hooks_are_found():
    assert set(HOOKS) >= {"hakb_fact_schemas", "hakb_parsers", "hakb_knowledge_packs"}


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_is_documented_with_its_arguments_and_return(hook):
    text = section(hook)
    for argument in inspect.signature(getattr(hookspecs, hook)).parameters:
        assert f"`{argument}`" in text, f"docs/plugins.md: {hook} does not describe its argument {argument}"
    assert "Returns" in text, f"docs/plugins.md: {hook} does not say what it returns"


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hookspec_docstring_has_a_param_per_argument_and_a_return(hook):
    doc = inspect.getdoc(getattr(hookspecs, hook))
    for argument in inspect.signature(getattr(hookspecs, hook)).parameters:
        assert f":param {argument}:" in doc, f"hookspecs.{hook}: no :param {argument}:"
    assert ":return:" in doc


@pytest.mark.parametrize("name", [n for n in hakb.__all__ if n != "__version__"])
def test_every_public_name_of_hakb_is_documented(name):
    assert f"`{name}`" in DOC or f"`hakb.{name}`" in DOC, f"docs/plugins.md does not mention hakb.{name}"


@pytest.mark.parametrize("name", hakb.testing.__all__)
def test_every_public_name_of_hakb_testing_is_documented(name):
    assert re.search(rf"`{name}\b", DOC), f"docs/plugins.md does not mention hakb.testing.{name}"


FIXTURES = [name for name, value in vars(pytest_plugin).items()
            if name.startswith("hakb_") and hasattr(value, "_fixture_function_marker")
            or name.startswith("hakb_") and type(value).__name__ == "FixtureFunctionDefinition"]


def test_fixtures_are_found():
    assert {"hakb_parse", "hakb_diagnose", "hakb_golden"} <= set(FIXTURES)


@pytest.mark.parametrize("fixture", FIXTURES)
def test_every_pytest_fixture_is_documented(fixture):
    assert f"`{fixture}`" in DOC


def _core_templates():
    from hakb.engine import CORE_CONSTRUCTS

    for source in CORE_CONSTRUCTS:
        name = re.search(r"deftemplate\s+(\S+)", source).group(1)
        yield name, re.findall(r"\((?:slot|multislot)\s+([\w-]+)", source)


@pytest.mark.parametrize("template, slots", list(_core_templates()))
def test_every_core_template_and_its_slots_are_documented(template, slots):
    text = section(template)
    for slot in slots:
        assert f"`{slot}`" in text, f"docs/plugins.md: {template} does not describe its slot {slot}"


def test_the_documented_model_fields_exist():
    """Every field of the classes a plugin uses is described in its section."""
    import dataclasses

    for cls in (hakb.Parser, hakb.FactSchema, hakb.KnowledgePack, hakb.Head, hakb.Artifact, hakb.Fact):
        text = section(cls.__name__)
        for field in dataclasses.fields(cls):
            assert f"`{field.name}`" in text, f"docs/plugins.md: {cls.__name__} does not describe {field.name}"
