"""Which host an artifact is about, as it says itself: ``esxcli system hostname get``, ``Get-VMHost``.

A NIC listing that names no host (``Get-VMHostNetworkAdapter | ft`` has no VMHost column) belongs
to the host its artifact or folder names (:mod:`hakb.hosts`); these objects name it. A
``Get-VMHost`` listing several hosts names none of them as the artifact's own (the core
decides that).
"""

from __future__ import annotations

from typing import Iterator

from hakb import Fact
from hakb.reading import Record
from hakb.shapes import evidence, object_parser, shape
from hakb.plugins.vmware.common import present


def _named(record: Record, name: str, source: str, *evidence_names: str) -> Iterator[Fact]:
    if not name or record.is_truncated(evidence_names[0]):
        return
    line, text = evidence(record, *evidence_names)
    yield Fact("host-name", {"name": name, "source": source}, line=line, text=text, host=name)


def hostname_get(record: Record) -> Iterator[Fact]:
    fqdn = present(record.get("Fully Qualified Domain Name"))
    short = present(record.get("Host Name"))
    yield from _named(record, fqdn or short, "esxcli system hostname get",
                      "Fully Qualified Domain Name" if fqdn else "Host Name")


def vmhost(record: Record) -> Iterator[Fact]:
    yield from _named(record, present(record.get("Name")), "Get-VMHost", "Name")


SHAPES = (
    shape("esxcli system hostname get", {"Host Name", "Domain Name"}, hostname_get,
          commands=("esxcli system hostname get", "localcli system hostname get")),
    shape("Get-VMHost", {"Name", "ConnectionState", "PowerState", "NumCpu"}, vmhost),
)

PARSERS = [
    object_parser("vmware-host-identity", SHAPES,
                  "esxcli system hostname get, PowerCLI Get-VMHost -> host-name "
                  "(the artifact's host)"),
]
