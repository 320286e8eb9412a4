"""Pieces the datastore and VM-folder parsers share."""

from __future__ import annotations

import re

from hakb.formats import human_size, size_bytes  # noqa: F401 (re-exported to the storage parsers)
from hakb.sections import split_command  # noqa: F401

#: UUID-style VMFS volume names: ``5a1b2c3d-1a2b3c4d-5e6f-001122334455`` (and NFS ``1a2b3c4d-5e6f7a8b``).
VOLUME_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{8}(?:-[0-9a-f]{4}-[0-9a-f]{12})?$", re.I)


