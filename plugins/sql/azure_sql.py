"""Azure load balancer and SQL Server listener output (shapes for the windows shell parser).

    LBSetName     : ListenerEndpointLB              (Get-AzureVM | Get-AzureEndpoint | fl)
    LocalPort     : 1433
    ProbePort     : 59999
    InternalLoadBalancerName : ILB1

plus ``Get-AzureInternalLoadBalancer``, the Az module's probe and front-end configs, and the
listener port from ``sys.availability_group_listeners`` (sqlcmd) or the SQL Server provider.
"""

from __future__ import annotations

from typing import Iterator

from hakb import Fact
from hakb.formats import parse_int
from hakb.shapes import Item, evidence, shape, shell_parser


def endpoint(item: Item) -> Iterator[Fact]:
    line, text = evidence(item, "ProbePort", "LBSetName", "Name")
    yield Fact("azure-lb-endpoint", {
        "vm": item.get("VM") or item.get("RoleName") or "", "name": item.get("Name") or "",
        "lbset": item.get("LBSetName") or "", "ilb": item.get("InternalLoadBalancerName") or "",
        "local_port": parse_int(item.get("LocalPort")), "port": parse_int(item.get("Port")),
        "probe_port": parse_int(item.get("ProbePort")), "probe_protocol": item.get("ProbeProtocol") or "",
        "source": "Get-AzureEndpoint"}, line=line, text=text)


def probe(item: Item) -> Iterator[Fact]:
    line, text = evidence(item, "Port", "Name")
    yield Fact("azure-lb-endpoint", {
        "name": item.get("Name") or "", "probe_port": parse_int(item.get("Port")),
        "probe_protocol": item.get("Protocol") or "", "source": "Get-AzLoadBalancerProbeConfig"},
        line=line, text=text)


def ilb(item: Item) -> Iterator[Fact]:
    line, text = evidence(item, "IPAddress", "InternalLoadBalancerName")
    yield Fact("azure-ilb", {"name": item.get("InternalLoadBalancerName") or "",
                             "ip": item.get("IPAddress") or "", "subnet": item.get("SubnetName") or ""},
               line=line, text=text)


def frontend(item: Item) -> Iterator[Fact]:
    line, text = evidence(item, "PrivateIpAddress", "Name")
    yield Fact("azure-ilb", {"name": item.get("Name") or "", "ip": item.get("PrivateIpAddress") or "",
                             "subnet": item.get("Subnet") or ""}, line=line, text=text)


def listener(item: Item) -> Iterator[Fact]:
    port = parse_int(item.get("port") or item.get("PortNumber"))
    line, text = evidence(item, "port", "PortNumber", "dns_name", "Name")
    yield Fact("sql-ag-listener", {"name": item.get("dns_name") or item.get("Name") or "", "port": port,
                                   "ip": item.get("ip_address") or ""}, line=line, text=text)


SHAPES = [
    shape("Get-AzureEndpoint", {"probeport", "localport"}, endpoint),
    shape("Get-AzLoadBalancerProbeConfig", {"name", "port", "numberofprobes"}, probe),
    shape("Get-AzureInternalLoadBalancer", {"internalloadbalancername", "ipaddress"}, ilb),
    shape("Get-AzLoadBalancerFrontendIpConfig", {"privateipaddress", "privateipallocationmethod"}, frontend),
    shape("sys.availability_group_listeners", {"dns_name", "port"}, listener),
    shape("AvailabilityGroupListener", {"name", "portnumber"}, listener),
]


PARSERS = [shell_parser(
    "sql-shell", SHAPES,
    "Azure load balancer endpoints and probes (Get-AzureEndpoint, Get-AzLoadBalancer*), SQL "
    "availability group listeners (Get-SqlAvailabilityGroupListener, sqlcmd)")]
