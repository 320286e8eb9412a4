"""Azure load balancer and listener objects in every shape: classic and Az cmdlets as fl, tables,
CSV, JSON; the listener port from sqlcmd in its layouts, Invoke-Sqlcmd, an SSMS grid copy and
Get-SqlAvailabilityGroupListener. All inputs are synthetic, laid out as the tools print them."""

import tempfile
from pathlib import Path

import pytest

from hakb.model import Artifact
from hakb.parsing import parse_artifact
from hakb.plugin_manager import fact_schemas, get_plugin_manager, parsers


def pipe(data, kind=None):
    pm = get_plugin_manager()
    schemas = fact_schemas(pm)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pasted.txt"
        path.write_bytes(raw)
        result = parse_artifact(Artifact("pasted.txt", path, size=len(raw)), parsers(pm, schemas), schemas)
    assert result.status == "parsed", (result.message, [s.as_dict() for s in result.sections])
    return [f for f in result.facts if kind is None or f.type == kind]


def utf16(text):
    return b"\xff\xfe" + text.replace("\n", "\r\n").encode("utf-16-le")


ENDPOINT_FL = """PS C:\\> Get-AzureVM -ServiceName sqlsvc -Name SQL01 | Get-AzureEndpoint | fl

LBSetName                : ListenerEndpointLB
LocalPort                : 1433
Name                     : ListenerEndpoint
Port                     : 1433
Protocol                 : tcp
Vip                      : 198.51.100.100
ProbePath                :
ProbePort                : 59999
ProbeProtocol            : tcp
ProbeIntervalInSeconds   : 10
InternalLoadBalancerName : ILB1
"""
ENDPOINT_CSV = ('#TYPE Microsoft.WindowsAzure.Commands.ServiceManagement.Model.InputEndpointContext\n'
                '"LBSetName","LocalPort","Name","Port","Protocol","Vip","ProbePath","ProbePort","ProbeProtocol",'
                '"ProbeIntervalInSeconds","ProbeTimeoutInSeconds","EnableDirectServerReturn","InternalLoadBalancerName"\n'
                '"ListenerEndpointLB","1433","ListenerEndpoint","1433","tcp","198.51.100.100","","59999","tcp",'
                '"10","31","True","ILB1"\n'
                '"","3389","RemoteDesktop","53389","tcp","198.51.100.100","","","","","","False",""\n')
ENDPOINT_JSON = ('[\n    {\n        "LBSetName":  "ListenerEndpointLB",\n        "LocalPort":  1433,\n'
                 '        "Name":  "ListenerEndpoint",\n        "Port":  1433,\n        "Protocol":  "tcp",\n'
                 '        "ProbePort":  59999,\n        "ProbeProtocol":  "tcp",\n'
                 '        "InternalLoadBalancerName":  "ILB1"\n    }\n]\n')


@pytest.mark.parametrize("shape", ["fl", "Export-Csv", "Export-Csv -UseCulture UTF-16", "ConvertTo-Json"])
def test_every_get_azureendpoint_shape(shape):
    data = {"fl": ENDPOINT_FL, "Export-Csv": ENDPOINT_CSV,
            "Export-Csv -UseCulture UTF-16": utf16(ENDPOINT_CSV.replace('","', '";"')),
            "ConvertTo-Json": ENDPOINT_JSON}[shape]
    listener = next(f for f in pipe(data, "azure-lb-endpoint") if f.slots["name"] == "ListenerEndpoint")
    assert (listener.slots["local_port"], listener.slots["port"], listener.slots["probe_port"],
            listener.slots["ilb"]) == (1433, 1433, 59999, "ILB1")


def test_an_endpoint_without_a_probe_has_no_probe_port():
    rdp = next(f for f in pipe(ENDPOINT_CSV, "azure-lb-endpoint") if f.slots["name"] == "RemoteDesktop")
    assert rdp.slots["probe_port"] is None


AZ_PROBE_FL = """PS C:\\> Get-AzLoadBalancer -Name ILB1 -ResourceGroupName sql-rg | Get-AzLoadBalancerProbeConfig

Name                 : SQLAlwaysOnEndPointProbe
Protocol             : Tcp
Port                 : 59999
IntervalInSeconds    : 5
NumberOfProbes       : 2
RequestPath          :
LoadBalancingRules   : {/subscriptions/0000/resourceGroups/sql-rg/providers/Microsoft.Network/loadBalancers/ILB1/loadBalancingRules/SQLAlwaysOnEndPointListener}
ProvisioningState    : Succeeded
"""
AZ_FRONTEND_FL = """PS C:\\> Get-AzLoadBalancer -Name ILB1 -ResourceGroupName sql-rg | Get-AzLoadBalancerFrontendIpConfig

Name                      : LoadBalancerFrontEnd
PrivateIpAddress          : 198.51.100.40
PrivateIpAllocationMethod : Static
Subnet                    : {
                              "Id": "/subscriptions/0000/resourceGroups/sql-rg/providers/Microsoft.Network/virtualNetworks/sql-vnet/subnets/sql-subnet"
                            }
ProvisioningState         : Succeeded
"""
AZ_RULE_FL = """PS C:\\> Get-AzLoadBalancer -Name ILB1 -ResourceGroupName sql-rg | Get-AzLoadBalancerRuleConfig

Name                    : SQLAlwaysOnEndPointListener
Protocol                : Tcp
FrontendPort            : 1433
BackendPort             : 1433
EnableFloatingIP        : True
IdleTimeoutInMinutes    : 4
"""
AZ_LB_JSON = """PS C:\\> Get-AzLoadBalancer -Name ILB1 -ResourceGroupName sql-rg | ConvertTo-Json -Depth 5
{
    "Name":  "ILB1",
    "FrontendIpConfigurations":  [
                                     {
                                         "Name":  "LoadBalancerFrontEnd",
                                         "PrivateIpAddress":  "198.51.100.40",
                                         "PrivateIpAllocationMethod":  "Static",
                                         "Subnet":  {
                                                        "Id":  "/subscriptions/0000/resourceGroups/sql-rg/providers/Microsoft.Network/virtualNetworks/sql-vnet/subnets/sql-subnet"
                                                    }
                                     }
                                 ],
    "LoadBalancingRules":  [
                               {
                                   "Name":  "SQLAlwaysOnEndPointListener",
                                   "FrontendPort":  1433,
                                   "BackendPort":  1433,
                                   "EnableFloatingIP":  true
                               }
                           ],
    "Probes":  [
                   {
                       "Name":  "SQLAlwaysOnEndPointProbe",
                       "Protocol":  "Tcp",
                       "Port":  59999,
                       "IntervalInSeconds":  5,
                       "NumberOfProbes":  2
                   }
               ]
}
"""
AZ_LB_FL = """PS C:\\> Get-AzLoadBalancer -Name ILB1 -ResourceGroupName sql-rg

Name                         : ILB1
ResourceGroupName            : sql-rg
FrontendIpConfigurationsText : [
                                 {
                                   "Name": "LoadBalancerFrontEnd",
                                   "PrivateIpAddress": "198.51.100.40",
                                   "PrivateIpAllocationMethod": "Static",
                                   "Subnet": {
                                     "Id": "/subscriptions/0000/resourceGroups/sql-rg/providers/Microsoft.Network/virtualNetworks/sql-vnet/subnets/sql-subnet"
                                   }
                                 }
                               ]
ProbesText                   : [
                                 {
                                   "Name": "SQLAlwaysOnEndPointProbe",
                                   "Protocol": "Tcp",
                                   "Port": 59999,
                                   "IntervalInSeconds": 5,
                                   "NumberOfProbes": 2
                                 }
                               ]
"""


def test_az_probe_frontend_and_rule_configs():
    (probe,) = pipe(AZ_PROBE_FL, "azure-lb-endpoint")
    assert (probe.slots["name"], probe.slots["probe_port"]) == ("SQLAlwaysOnEndPointProbe", 59999)
    (front,) = pipe(AZ_FRONTEND_FL, "azure-ilb")
    assert (front.slots["ip"], front.slots["subnet"]) == ("198.51.100.40", "sql-subnet")
    (rule,) = pipe(AZ_RULE_FL, "azure-lb-endpoint")
    assert (rule.slots["port"], rule.slots["local_port"], rule.slots.get("probe_port")) == (1433, 1433, None)


@pytest.mark.parametrize("data", [AZ_LB_JSON, AZ_LB_FL], ids=["ConvertTo-Json", "fl with the *Text properties"])
def test_get_azloadbalancer_gives_its_probe_and_front_end(data):
    facts = pipe(data)
    probes = [f.slots.get("probe_port") for f in facts if f.type == "azure-lb-endpoint" and f.slots.get("probe_port")]
    assert probes == [59999]
    assert [(f.slots["ip"], f.slots["subnet"]) for f in facts if f.type == "azure-ilb"] == [("198.51.100.40", "sql-subnet")]


LISTENER_SHAPES = {
    "sqlcmd": ('C:\\>sqlcmd -S SQL01 -E -Q "select dns_name, port from sys.availability_group_listeners"\n'
               "dns_name                port\n----------------------- -----------\naglistener              1434\n\n"
               "(1 rows affected)\n"),
    "sqlcmd -W": ('C:\\>sqlcmd -S SQL01 -E -W -Q "select dns_name, port from sys.availability_group_listeners"\n'
                  "dns_name port\n-------- ----\naglistener 1434\n\n(1 rows affected)\n"),
    "sqlcmd -s , -W": ('C:\\>sqlcmd -S SQL01 -E -s "," -W -Q "select dns_name, port from sys.availability_group_listeners"\n'
                       "dns_name,port\n--------,----\naglistener,1434\n\n(1 rows affected)\n"),
    "Invoke-Sqlcmd | fl": ('PS C:\\> Invoke-Sqlcmd -ServerInstance SQL01 -Query "select dns_name, port from '
                           'sys.availability_group_listeners" | fl\n\ndns_name : aglistener\nport     : 1434\n'),
    "SSMS grid copied with headers": "dns_name\tport\naglistener\t1434\n",
    "Get-SqlAvailabilityGroupListener": (
        "PS SQLSERVER:\\> Get-SqlAvailabilityGroupListener -Path SQLSERVER:\\SQL\\SQL01\\DEFAULT\\AvailabilityGroups\\AG1\n\n"
        "Name                 PortNumber ClusterIPConfiguration\n----                 ---------- ----------------------\n"
        "aglistener           1434       ('IP Address: 198.51.100.40')\n"),
}


@pytest.mark.parametrize("shape", sorted(LISTENER_SHAPES))
def test_every_listener_shape_gives_name_and_port(shape):
    (listener,) = pipe(LISTENER_SHAPES[shape], "sql-ag-listener")
    assert (listener.slots["name"], listener.slots["port"]) == ("aglistener", 1434)
