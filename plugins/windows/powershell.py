"""The Windows shell parser: cluster.exe tables and the FailoverClusters, NLB, networking,
and ServerManager cmdlets this plugin reads, in ``fl`` or table layout,
pasted alone or several in one file."""

from hakb.plugins.windows import cluster, network, nlb
from hakb.shapes import shell_parser

SHAPES = [*cluster.SHAPES, *network.SHAPES, *nlb.SHAPES]

PARSERS = [shell_parser(
    "windows-shell", SHAPES,
    "cluster.exe and PowerShell output: cluster nodes, quorum, resource parameters, heartbeat "
    "settings, NLB, adapters, features")]
