"""The VMs a collection shows, as objects: which is the Manager and vCenter, their memory and adapters.

Each shape maps one kind of object the core's reading layer gives (:mod:`hakb.reading`), so a
pasted session of several commands feeds every one of them:

* ``vim-cmd vmsvc/getallvms``: one row per registered VM (``vm-inventory``), which
  ``snapshot.get <vmid>`` on the same host is joined to. vim-cmd does not align its rows with its
  header (and prints a multi-line annotation as it is), so the row's own words are split
  (``<vmid> <name> [<datastore>] <path>.vmx <guest> vmx-NN <annotation>``); continuation lines
  of an annotation are not VMs;
* ``vim-cmd vmsvc/get.summary <vmid>`` (``vim.vm.Summary``) and ``vmsvc/get.config <vmid>``
  (``vim.vm.ConfigInfo``, with the virtual devices): memory, CPUs, annotation, network adapters;
* PowerCLI ``Get-VM`` (``MemoryGB``/``MemoryMB``, ``NumCpu``, ``Notes``) and
  ``Get-NetworkAdapter`` (``Type``: e1000, Vmxnet3 ...), in any shape; the VM of an adapter is its
  ``Parent``, or the one VM the command line names (``Get-VM "vShield Manager" | Get-NetworkAdapter``).

A version in the Manager's annotation (``vCloud Networking and Security Manager 5.5.4``) is an
``nsx-version`` fact too, as with the .vmx.
"""

from __future__ import annotations

import re
from typing import Iterator

from hakb import Fact
from hakb.reading import Record
from hakb.shapes import evidence, object_parser, shape
from hakb.plugins.nsx.common import (command_vms, integer, number, present,
                                     role_of)
from hakb.plugins.nsx.version import version_in

_ROW = re.compile(r"^\s*(?P<vmid>\d+)\s+(?P<name>.+?)\s+\[(?P<ds>[^\]]+)\]\s+(?P<file>.+?\.vmx)\s+"
                  r"(?P<guest>\S+)\s+(?P<version>vmx-\d+)(?:\s+(?P<annotation>.*?))?\s*$")
_MOREF = re.compile(r"vim\.VirtualMachine:(?P<id>\d+)")
_PATH = re.compile(r"^\[(?P<ds>[^\]]+)\]\s*(?P<file>.+)$")
#: vim.vm.device types of network adapters, and the .vmx virtualDev each one is.
_NIC_TYPES = {"virtuale1000": "e1000", "virtuale1000e": "e1000e", "virtualvmxnet3": "vmxnet3",
              "virtualvmxnet3vrdma": "vmxnet3", "virtualvmxnet2": "vmxnet2", "virtualvmxnet": "vmxnet",
              "virtualpcnet32": "vlance", "virtualsriovethernetcard": "sriov"}
#: PowerCLI's adapter Type names that are not the .vmx's.
_POWERCLI_TYPES = {"enhancedvmxnet": "vmxnet2", "flexible": "vlance", "sriovethernetcard": "sriov"}


def _stem(path: str) -> str:
    return re.sub(r"\.vmx$", "", path.replace("\\", "/").rsplit("/", 1)[-1], flags=re.I)


def _hw_version(text: str) -> str:
    """``vmx-07`` / ``v7`` -> ``7``, as the .vmx's virtualHW.version says it."""
    match = re.fullmatch(r"(?:vmx-|v)0*(\d+)", present(text), re.I)
    return match.group(1) if match else present(text)


def _version_fact(role: str, record: Record, *names: str) -> Iterator[Fact]:
    if role != "nsx-manager":
        return
    for name in names:
        found = version_in(present(record.get(name)))
        if found:
            line, text = evidence(record, name)
            yield Fact("nsx-version", {**found, "source": "vim-cmd" if record.shape == "vmodl" else "powercli"},
                       line=line, text=text)
            return


# --- vim-cmd ---------------------------------------------------------------------------------


def getallvms(record: Record) -> Iterator[Fact]:
    row = _ROW.match(record.text("Vmid"))
    if row is None:  # a continuation line of a multi-line annotation, or a damaged row
        return
    name, annotation = row.group("name").strip(), row.group("annotation") or ""
    role = role_of(name, annotation, row.group("file"))
    yield Fact("vm-inventory", {
        "vmid": row.group("vmid"), "vm": name, "file": row.group("file"), "datastore": row.group("ds"),
        "guest_os": row.group("guest"), "version": row.group("version"), "annotation": annotation,
        "role": role}, line=record.line("Vmid"), text=record.text("Vmid"))


def _config(record: Record, vm: str, path: str, memory: str, cpus: str, guest: str, annotation: str,
            version: str) -> tuple[str, Fact]:
    name = present(record.get(vm))
    note = present(record.get(annotation))
    stem = _stem(_PATH.sub(r"\g<file>", present(record.get(path))))
    role = role_of(name, note, stem)
    line, text = evidence(record, memory, vm)
    return role, Fact("vm-config", {
        "vm": name or stem, "file": stem, "memsize": integer(record.get(memory)),
        "numvcpus": integer(record.get(cpus)), "guest_os": present(record.get(guest)), "annotation": note,
        "hw_version": _hw_version(record.get(version) or ""), "role": role, "source": "vim-cmd"},
        line=line, text=text)


def summary(record: Record) -> Iterator[Fact]:
    """``vim-cmd vmsvc/get.summary``: the config summary, and the VM as the inventory knows it."""
    if record.type_name != "vim.vm.Summary":
        return
    role, config = _config(record, "config.name", "config.vmPathName", "config.memorySizeMB", "config.numCpu",
                           "config.guestId", "config.annotation", "config.hwVersion")
    yield config
    vmid = _MOREF.search(record.get("vm") or "")
    where = _PATH.match(present(record.get("config.vmPathName")))
    if vmid and where:
        line, text = evidence(record, "vm")
        yield Fact("vm-inventory", {
            "vmid": vmid.group("id"), "vm": config.slots["vm"], "file": where.group("file"),
            "datastore": where.group("ds"), "guest_os": config.slots["guest_os"],
            "version": present(record.get("config.hwVersion")), "annotation": config.slots["annotation"],
            "role": role}, line=line, text=text)
    yield from _version_fact(role, record, "config.name", "config.annotation")


def config_info(record: Record) -> Iterator[Fact]:
    """``vim-cmd vmsvc/get.config``: memory and CPUs, and each virtual network adapter."""
    if record.type_name != "vim.vm.ConfigInfo":
        return
    role, config = _config(record, "name", "files.vmPathName", "hardware.memoryMB", "hardware.numCPU",
                           "guestId", "annotation", "version")
    yield config
    vm = config.slots["vm"]
    for index, device in enumerate(record.values("hardware.device")):
        kind = _NIC_TYPES.get(device.rsplit(".", 1)[-1].lower())
        if kind is None:
            continue
        prefix = f"hardware.device[{index}]."
        label = present(record.get(prefix + "deviceInfo.label")) or f"device {index}"
        line, text = evidence(record, prefix + "deviceInfo.label", prefix + "key")
        yield Fact("vm-nic-config", {
            "vm": vm, "role": role, "adapter": label, "device": kind,
            "network": present(record.first(prefix + "backing.deviceName", prefix + "deviceInfo.summary")),
            "source": "vim-cmd"}, line=line, text=text)
    yield from _version_fact(role, record, "name", "annotation")


# --- PowerCLI --------------------------------------------------------------------------------


def powercli_vm(record: Record) -> Iterator[Fact]:
    name = present(record.get("Name"))
    if not name:
        return
    memory = integer(record.get("MemoryMB"))
    if memory is None and number(record.get("MemoryGB")) is not None:
        memory = int(round(number(record.get("MemoryGB")) * 1024))
    notes = present(record.get("Notes"))
    role = role_of(name, notes)
    line, text = evidence(record, "MemoryMB", "MemoryGB", "Name")
    yield Fact("vm-config", {
        "vm": name, "file": "", "memsize": memory, "numvcpus": integer(record.first("NumCpu", "Num CPUs")),
        "guest_os": present(record.get("GuestId")), "annotation": notes,
        "hw_version": _hw_version(record.first("HardwareVersion", "Version") or ""), "role": role,
        "source": "powercli"}, line=line, text=text)
    yield from _version_fact(role, record, "Name", "Notes")


def powercli_adapter(record: Record) -> Iterator[Fact]:
    vm = present(record.first("Parent", "Parent.Name"))
    if not vm:
        named = command_vms(record.command)
        vm = named[0] if len(named) == 1 else ""
    device = present(record.get("Type")).lower()
    if not vm or not device:
        return
    line, text = evidence(record, "Type", "Name")
    yield Fact("vm-nic-config", {
        "vm": vm, "role": role_of(vm), "adapter": present(record.get("Name")),
        "device": _POWERCLI_TYPES.get(device, device),
        "network": "" if record.is_truncated("NetworkName") else present(record.get("NetworkName")),
        "source": "powercli"}, line=line, text=text)


SHAPES = (
    shape("vim-cmd vmsvc/getallvms", {"Vmid", "Name", "File"}, getallvms),
    shape("vim-cmd vmsvc/get.summary", {"config.name", "config.memorySizeMB"}, summary),
    shape("vim-cmd vmsvc/get.config", {"name", "hardware.memoryMB"}, config_info),
    shape("Get-NetworkAdapter", {"Name", "Type", "NetworkName"}, powercli_adapter),
    # Get-VM starts many pipelines (``Get-VM x | Get-Snapshot``): known by its properties only
    shape("Get-VM", {"Name", "MemoryGB"}, powercli_vm, commands=()),
    shape("Get-VM", {"Name", "MemoryMB", "NumCpu"}, powercli_vm, commands=()),
)

PARSERS = [
    object_parser(
        "nsx-vms", SHAPES,
        "vim-cmd vmsvc/getallvms, get.summary, get.config; PowerCLI Get-VM and Get-NetworkAdapter, "
        "in any shape: the Manager's and vCenter's VM, memory and network adapters"),
]
