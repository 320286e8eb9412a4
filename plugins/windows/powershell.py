"""The Windows shell parser: cluster.exe tables and the FailoverClusters, NLB, networking,
ServerManager, Azure and SQL Server cmdlets this plugin reads, in ``fl`` or table layout,
pasted alone or several in one file."""

from hakb.plugins.windows import azure_sql, cluster, network, nlb
from hakb.plugins.windows.shell import shell_parser

SHAPES = [*cluster.SHAPES, *network.SHAPES, *nlb.SHAPES, *azure_sql.SHAPES]

PARSERS = [shell_parser(
    "windows-shell", SHAPES,
    "cluster.exe and PowerShell output: cluster nodes, quorum, resource parameters, heartbeat "
    "settings, NLB, adapters, features, Azure load balancer endpoints, SQL listeners")]
