"""The reading layer: objects in any shape a tool prints them, as :class:`Record` objects.

Parsers map records (by command, type or property set) to facts; they never read a text shape
themselves. :func:`read_records` picks the reader for a section's lines by their shape.
"""

from hakb.reading.record import Record, Value, key

__all__ = ["Record", "Value", "key"]
