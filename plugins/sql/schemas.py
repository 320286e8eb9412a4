"""Fact types of the sql plugin: availability group listeners and the Azure load balancers in front of them."""

from hakb import FactSchema

SCHEMAS = [
    FactSchema("azure-lb-endpoint", {
        "vm": "str", "name": "str", "lbset": "str", "ilb": "str",
        "local_port": "int", "port": "int", "probe_port": "int", "probe_protocol": "str",
        "source": "str",             # Get-AzureEndpoint | Get-AzLoadBalancerProbeConfig
    }, "A load-balanced endpoint or probe of an Azure (internal) load balancer."),
    FactSchema("azure-ilb", {
        "name": "str", "ip": "str", "subnet": "str",
    }, "An Azure internal load balancer's front-end address."),
    FactSchema("sql-ag-listener", {
        "name": "str", "port": "int", "ip": "str",
    }, "A SQL Server availability group listener and its port."),
]
