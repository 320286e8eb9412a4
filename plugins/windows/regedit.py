r"""regedit exports (``.reg``, ``reg export``; ``REGEDIT4`` and version 5.00, UTF-16LE or ANSI) as
``registry-key`` and ``registry-value`` facts.

The core reads the export (:mod:`hakb.reading.registry`: one record per key, each value decoded
by its type with what rebuilds it exactly); this module maps those records::

    [HKEY_CURRENT_USER\Software\Microsoft\Transporter\Preferences]
    "ImapFetchBatchSize"=dword:000001f4

gives a ``registry-key`` fact for the heading and a ``registry-value`` fact (``number`` 500) for
the value, so rules can ask "what is ImapFetchBatchSize" without knowing how regedit spells it.
Other plugins may map the same records (the exchange plugin reads Office's uninstall keys).
"""

from __future__ import annotations

from typing import Iterator

from hakb import Fact
from hakb.reading import Record
from hakb.reading.registry import SHAPE, key_path, reg_values, split_key, value_slots

from hakb.plugins.windows.objects import guarded
from hakb.shapes import object_parser

#: registry-value slots (the schema's), filled from a value's decoded form.
VALUE_SLOTS = ("name", "reg_type", "value", "number", "items", "data", "decoded", "literal", "form", "deleted")


def registry_key(record: Record) -> Iterator[Fact]:
    key, deleted = key_path(record)
    hive, user, subkey = split_key(key)
    where = {"key": key, "hive": hive, "user": user, "subkey": subkey}
    yield Fact("registry-key", {**where, "deleted": deleted}, line=record.first_line,
               text=f"[{record.type_name}]")
    for value in reg_values(record):
        slots = value_slots(value)
        yield Fact("registry-value", {**where, **{k: slots[k] for k in VALUE_SLOTS if k in slots}},
                   line=value.line, text=value.text)


SHAPES = [guarded("regedit export", (), registry_key, lambda record: record.shape == SHAPE)]

PARSERS = [object_parser("regedit-export", SHAPES,
                         "regedit / reg export files (REGEDIT4 and version 5.00): keys and typed values")]
