"""Windows plugin: systeminfo, failover clustering, NLB, installed features, event logs,
networking, the registry, Kerberos SPNs (setspn), DNS lookups, Windows Firewall and port probes
(portqry, Test-NetConnection) in; the windows pack (clustering, NLB) out."""

from importlib.resources import files

from hakb import KnowledgePack, Plugin
from hakb.plugins.windows import (cluster, clusterlog, event_records, events, features, firewall, firewall_records,
                                  network, nlb, nslookup, ports, regedit, schemas, setspn, systeminfo)

plugin = Plugin(
    modules=(schemas, systeminfo, cluster, clusterlog, events, event_records, network, nlb, features, regedit,
             setspn, nslookup, firewall, firewall_records, ports),
    packs=[KnowledgePack("windows", files("hakb.kb") / "windows",
                         "Windows failover clustering and Network Load Balancing faults")],
)
