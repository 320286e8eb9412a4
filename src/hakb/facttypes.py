"""Slot types, checked: a value is of its slot's type when the fact is made, or it is an error.

Every fact takes this path (parsers, facts files, hand-made facts in tests, triage answers),
through :func:`hakb.engine.slot_values`, so what a rule matches is what ``hakb parse`` shows.
Nothing is guessed: ``"false"`` is not a bool (``bool("false")`` is True), ``"12"`` is not an
int, ``True`` is not a number, ``5`` is not text. A parser converts what it reads; text typed
by a person (a triage answer) is converted by :mod:`hakb.answers`, which says what it accepts.

=========  ==================================================================================
``str``    a ``str``
``int``    an ``int`` (not a bool); a float with no fraction (``12.0``) is taken as ``12``
``float``  an ``int`` or ``float`` (not a bool, not NaN)
``bool``   ``True`` or ``False`` only
``list``   a list or tuple of str, int, float and bool items (not nested)
=========  ==================================================================================

``None`` means "not known" for every type: the slot keeps its default (``""`` or ``nil``).
"""

from __future__ import annotations

import math
from typing import Any

#: The slot types a schema may use (the same as :data:`hakb.model.SLOT_TYPES`).
KINDS = ("str", "int", "float", "bool", "list")

_ITEM_TYPES = (str, int, float, bool)


class SlotTypeError(ValueError):
    """A value that is not of its slot's type. A ValueError, so every caller that refuses bad
    slot values already refuses these."""


def _shown(value: Any) -> str:
    try:
        text = repr(value)
    except ValueError:  # an int too long to print
        return f"a {type(value).__name__}"
    return text if len(text) <= 60 else text[:57] + "..."


def check_value(kind: str, value: Any, where: str = "value") -> Any:
    """``value`` if a slot of type ``kind`` may hold it (a float with no fraction for an int
    slot is taken as that int); raises :class:`SlotTypeError` naming ``where``
    (``"ntp-offset.offset_ms"``) when it is of another type. Range, Unicode and list items are
    the engine's to check (:func:`hakb.engine.slot_values`), with their own messages."""
    if value is None:
        return None
    if kind == "str":
        if isinstance(value, str):
            return value
    elif kind == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
    elif kind == "float":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if isinstance(value, float) and math.isnan(value):
                raise SlotTypeError(f"{where}: NaN is not a number a rule can compare")
            return value
    elif kind in ("bool", "list"):
        if kind == "list" or isinstance(value, bool):
            return value  # a list's shape and items: the engine's check
    else:
        raise SlotTypeError(f"{where}: {kind!r} is not a slot type ({', '.join(KINDS)})")
    hint = ""
    if isinstance(value, str):
        hint = " (it is text: convert it in the parser, text is never guessed at)"
    elif isinstance(value, bool):
        hint = " (it is a bool)"
    raise SlotTypeError(f"{where}: {_shown(value)} is not {'an' if kind == 'int' else 'a'} {kind} value{hint}")


def typed_slots(schema, slots) -> dict[str, Any]:
    """Every slot of a fact as its schema types it (what the engine gets); raises
    :class:`SlotTypeError` for the first that does not fit."""
    kinds = schema.slots
    return {name: check_value(kinds.get(name, ""), value, f"{schema.name}.{name}")
            for name, value in slots.items()}
