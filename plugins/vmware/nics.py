"""Which host owns a MAC address: ESXi NIC listings and PowerCLI network adapters, as objects.

A VMFS lock names its holder only by the MAC in the owner UUID; these listings turn it into a
host. Each shape below maps one kind of object, whatever text shape the core read it from
(:mod:`hakb.reading`): the default table or ``Key: value`` blocks, ``esxcli --formatter=csv``,
``keyvalue``, ``xml`` or ``json``, a column table, or a PowerCLI object as ``Format-List``,
``Format-Table``, ``Export-Csv`` (``#TYPE`` or not, ``,`` or ``;``), ``ConvertTo-Json`` or
``Export-Clixml``:

* ``esxcli network nic list`` (Name, PCI Device, MAC Address, MTU, ...) and ``esxcfg-nics -l``;
* ``esxcli network ip interface list`` (vmk interfaces: netstack, portgroup, VDS) and
  ``esxcfg-vmknic -l`` (with the address);
* ``esxcli network ip interface ipv4 get``: the address of each vmk, as its own ``host-ip`` fact
  (it is another command's output, so it cannot be joined to the interface here);
* PowerCLI ``Get-VMHostNetworkAdapter``: physical and VMkernel adapters; the ``VMHost`` property
  names the host of each object.

MACs are normalised (lower case, colons) so they compare whatever notation a tool printed.
"""

from __future__ import annotations

from typing import Iterator

from hakb import Fact
from hakb.reading import Record
from hakb.shapes import evidence, object_parser, shape
from hakb.plugins.vmware.common import integer, normalise_mac, present

_MAC_NAMES = ("MAC Address", "Mac")


def _nic(record: Record, source: str, name: str, host: str | None = None, **slots) -> Iterator[Fact]:
    mac = normalise_mac(record.first(*_MAC_NAMES) or "")
    if not mac:
        return
    line, text = evidence(record, *_MAC_NAMES)
    values = {"name": name, "mac": mac, "source": source, "netstack": "", "portgroup": "",
              "vds": "", "ip": ""}
    values.update({k: v for k, v in slots.items() if v is not None})
    yield Fact("host-nic", values, line=line, text=text, host=host or None)


def esxcli_nic(record: Record) -> Iterator[Fact]:
    yield from _nic(record, "esxcli-nic-list", present(record.get("Name")), mtu=integer(record.get("MTU")))


def esxcfg_nic(record: Record) -> Iterator[Fact]:
    yield from _nic(record, "esxcfg-nics", present(record.get("Name")), mtu=integer(record.get("MTU")))


def ip_interface(record: Record) -> Iterator[Fact]:
    yield from _nic(record, "esxcli-ip-interface", present(record.get("Name")) or record.title,
                    mtu=integer(record.get("MTU")), netstack=present(record.get("Netstack Instance")),
                    portgroup=present(record.get("Portgroup")), vds=present(record.get("VDS Name")))


def _portgroup(record: Record) -> str:
    """esxcfg-vmknic names its port group column by ESXi version (``Port Group/DVPort``,
    ``Port Group/DVPort/Opaque Network``)."""
    for name, value in record.items():
        if name.replace(" ", "").lower().startswith("portgroup"):
            return present(value)
    return ""


def vmknic(record: Record) -> Iterator[Fact]:
    """One row per address family; the IPv6 row repeats the interface of its IPv4 row above."""
    if (record.get("IP Family") or "").strip().lower() == "ipv6":
        return
    yield from _nic(record, "esxcfg-vmknic", present(record.get("Interface")), mtu=integer(record.get("MTU")),
                    netstack=present(record.get("NetStack")), portgroup=_portgroup(record),
                    ip=present(record.get("IP Address")))


def ipv4_address(record: Record) -> Iterator[Fact]:
    ip = present(record.get("IPv4 Address"))
    if not ip:
        return
    line, text = evidence(record, "IPv4 Address")
    yield Fact("host-ip", {"name": present(record.get("Name")), "ip": ip,
                           "netmask": present(record.get("IPv4 Netmask")), "family": "IPv4",
                           "source": "esxcli-ipv4"}, line=line, text=text)


def powercli_adapter(record: Record) -> Iterator[Fact]:
    """``Get-VMHostNetworkAdapter``: the host is the object's VMHost (absent from the default
    table; a value the table cut short with ``...`` names no host)."""
    host = present(record.get("VMHost"))
    if host and record.is_truncated("VMHost"):
        host = ""
    yield from _nic(record, "Get-VMHostNetworkAdapter", present(record.get("Name")), host=host,
                    mtu=integer(record.get("Mtu")), portgroup=present(record.get("PortGroupName")),
                    ip=present(record.get("IP")))


def _esxcli(command: str) -> tuple[str, str]:
    return f"esxcli {command}", f"localcli {command}"


SHAPES = (
    shape("esxcli network nic list", {"Name", "PCI Device", "MAC Address"}, esxcli_nic,
          commands=_esxcli("network nic list")),
    shape("esxcfg-nics -l", {"Name", "PCI", "MAC Address"}, esxcfg_nic),
    shape("esxcli network ip interface list", {"Name", "MAC Address", "Netstack Instance"}, ip_interface,
          commands=_esxcli("network ip interface list")),
    shape("esxcfg-vmknic -l", {"Interface", "IP Address", "MAC Address"}, vmknic),
    shape("esxcli network ip interface ipv4 get", {"Name", "IPv4 Address", "IPv4 Netmask"}, ipv4_address,
          commands=_esxcli("network ip interface ipv4 get")),
    shape("Get-VMHostNetworkAdapter", {"Name", "Mac"}, powercli_adapter),
)

PARSERS = [
    object_parser("vmware-nics", SHAPES,
                  "esxcfg-nics -l, esxcli network nic / ip interface list / ipv4 get, "
                  "esxcfg-vmknic -l, PowerCLI Get-VMHostNetworkAdapter, in any shape -> "
                  "host-nic, host-ip"),
]
