"""Azure load balancers and SQL Server availability group listeners as objects, in any shape
(``fl``, tables, ``Export-Csv``, ``ConvertTo-Json``, ``Export-Clixml``; sqlcmd and SSMS output):

    LBSetName     : ListenerEndpointLB              (Get-AzureVM | Get-AzureEndpoint | fl)
    LocalPort     : 1433
    ProbePort     : 59999
    InternalLoadBalancerName : ILB1

* classic (ASM): ``Get-AzureEndpoint``, ``Get-AzureInternalLoadBalancer``;
* Az / AzureRM: ``Get-AzLoadBalancerProbeConfig``, ``Get-AzLoadBalancerFrontendIpConfig``,
  ``Get-AzLoadBalancerRuleConfig``, and ``Get-AzLoadBalancer`` itself, whose probes, front ends
  and rules come as arrays (JSON, Clixml) or as JSON text (``ProbesText`` ... in ``fl``);
* the listener: ``sys.availability_group_listeners`` (sqlcmd in any layout, Invoke-Sqlcmd, an
  SSMS grid copied with headers) and ``Get-SqlAvailabilityGroupListener``.
"""

from __future__ import annotations

import json
import re
from typing import Iterator

from hakb import Fact
from hakb.formats import parse_int
from hakb.reading import Record
from hakb.shapes import evidence, shape

from hakb.plugins.sql.records import first
from hakb.shapes import object_parser

_SUBNET = re.compile(r"/subnets/(?P<name>[^/\"'\s}]+)", re.I)
_DASHES = re.compile(r"^-+$")


def endpoint(item: Record) -> Iterator[Fact]:
    line, text = evidence(item, "ProbePort", "LBSetName", "Name")
    yield Fact("azure-lb-endpoint", {
        "vm": first(item, "VM", "RoleName"), "name": first(item, "Name"),
        "lbset": first(item, "LBSetName"), "ilb": first(item, "InternalLoadBalancerName"),
        "local_port": parse_int(item.get("LocalPort")), "port": parse_int(item.get("Port")),
        "probe_port": parse_int(item.get("ProbePort")), "probe_protocol": first(item, "ProbeProtocol"),
        "source": "Get-AzureEndpoint"}, line=line, text=text)


def _probe(name: str, port: str | None, protocol: str, line: int, text: str) -> Fact:
    return Fact("azure-lb-endpoint", {"name": name, "probe_port": parse_int(port), "probe_protocol": protocol,
                                      "source": "Get-AzLoadBalancerProbeConfig"}, line=line, text=text)


def probe(item: Record) -> Iterator[Fact]:
    line, text = evidence(item, "Port", "Name")
    yield _probe(first(item, "Name"), item.get("Port"), first(item, "Protocol"), line, text)


def _subnet_name(value: str) -> str:
    match = _SUBNET.search(value or "")
    return match.group("name") if match else (value or "").strip()


def _frontend(name: str, ip: str, subnet: str, line: int, text: str) -> Fact:
    return Fact("azure-ilb", {"name": name, "ip": ip, "subnet": _subnet_name(subnet)}, line=line, text=text)


def ilb(item: Record) -> Iterator[Fact]:
    line, text = evidence(item, "IPAddress", "InternalLoadBalancerName")
    yield Fact("azure-ilb", {"name": first(item, "InternalLoadBalancerName"), "ip": first(item, "IPAddress"),
                             "subnet": first(item, "SubnetName")}, line=line, text=text)


def frontend(item: Record) -> Iterator[Fact]:
    line, text = evidence(item, "PrivateIpAddress", "Name")
    yield _frontend(first(item, "Name"), first(item, "PrivateIpAddress"),
                    first(item, "Subnet.Id", "Subnet"), line, text)


def _rule(name: str, frontend_port: str | None, backend_port: str | None, line: int, text: str) -> Fact:
    return Fact("azure-lb-endpoint", {"name": name, "port": parse_int(frontend_port),
                                      "local_port": parse_int(backend_port),
                                      "source": "Get-AzLoadBalancerRuleConfig"}, line=line, text=text)


def rule(item: Record) -> Iterator[Fact]:
    line, text = evidence(item, "BackendPort", "Name")
    yield _rule(first(item, "Name"), item.get("FrontendPort"), item.get("BackendPort"), line, text)


def _members(item: Record, array: str) -> Iterator[tuple[dict, int, str]]:
    """The objects of ``array`` (``Probes``): flattened ``Probes[0].Port`` names (JSON, Clixml), or
    the JSON text Az prints in ``fl`` (``ProbesText``)."""
    index = 0
    while any(n.lower().startswith(f"{array}[{index}].".lower()) for n in item.names()):
        prefix = f"{array}[{index}]."
        values = {n[len(prefix):]: v for n, v in item.items() if n.lower().startswith(prefix.lower())}
        name = next((n for n in item.names() if n.lower() == (prefix + "Name").lower()), prefix + "Name")
        yield values, item.line(name), item.text(name)
        index += 1
    if index:
        return
    value = item.value(f"{array}Text")
    if value is None or not value.value:
        return
    # its lines, as printed (a list joins them with blanks, a Key: value block keeps them apart)
    text = "\n".join(value.items) if value.items else value.value
    try:
        parsed = json.loads(text)
    except ValueError:
        return
    for member in parsed if isinstance(parsed, list) else [parsed]:
        if isinstance(member, dict):
            yield ({k: json.dumps(v) if isinstance(v, (dict, list)) else str(v) for k, v in member.items()},
                   item.line(f"{array}Text"), item.text(f"{array}Text"))


def load_balancer(item: Record) -> Iterator[Fact]:
    """``Get-AzLoadBalancer``: its probes, front ends and rules."""
    for values, line, text in _members(item, "Probes"):
        yield _probe(values.get("Name", ""), values.get("Port"), values.get("Protocol", ""), line, text)
    for values, line, text in _members(item, "FrontendIpConfigurations"):
        if values.get("PrivateIpAddress"):
            yield _frontend(values.get("Name", ""), values["PrivateIpAddress"],
                            values.get("Subnet.Id") or values.get("Subnet", ""), line, text)
    for values, line, text in _members(item, "LoadBalancingRules"):
        yield _rule(values.get("Name", ""), values.get("FrontendPort"), values.get("BackendPort"), line, text)


def listener(item: Record) -> Iterator[Fact]:
    name = first(item, "dns_name", "Name")
    if not name or _DASHES.match(name):  # sqlcmd -s "," prints its dash rule as a row
        return
    port = parse_int(first(item, "port", "PortNumber"))
    line, text = evidence(item, "port", "PortNumber", "dns_name", "Name")
    yield Fact("sql-ag-listener", {"name": name, "port": port, "ip": first(item, "ip_address")},
               line=line, text=text)


SHAPES = [
    shape("Get-AzureEndpoint", {"probeport", "localport"}, endpoint),
    shape("Get-AzLoadBalancerProbeConfig", {"name", "port", "numberofprobes"}, probe),
    shape("Get-AzLoadBalancerProbeConfig", {"name", "port", "intervalinseconds", "protocol"}, probe),
    shape("Get-AzureInternalLoadBalancer", {"internalloadbalancername", "ipaddress"}, ilb),
    shape("Get-AzLoadBalancerFrontendIpConfig", {"privateipaddress", "privateipallocationmethod"}, frontend),
    shape("Get-AzLoadBalancerRuleConfig", {"frontendport", "backendport"}, rule),
    shape("Get-AzLoadBalancer", {"probes", "frontendipconfigurations"}, load_balancer),
    shape("Get-AzLoadBalancer", {"probestext", "frontendipconfigurationstext"}, load_balancer),
    shape("sys.availability_group_listeners", {"dns_name", "port"}, listener),
    shape("Get-SqlAvailabilityGroupListener", {"name", "portnumber"}, listener),
]


PARSERS = [object_parser(
    "sql-shell", SHAPES,
    "Azure load balancer endpoints, probes, front ends and rules (Get-AzureEndpoint, Get-AzLoadBalancer*), "
    "SQL availability group listeners (sqlcmd, Invoke-Sqlcmd, Get-SqlAvailabilityGroupListener)")]
