"""Windows plugin: systeminfo, failover clustering, NLB, event logs, networking, the registry,
Kerberos SPNs (setspn), DNS lookups and Windows Firewall output in; the windows pack
(clustering, NLB) out."""

from importlib.resources import files

from hakb import KnowledgePack, Plugin
from hakb.plugins.windows import clusterlog, events, firewall, network, nlb, nslookup, powershell, regedit, schemas, setspn, systeminfo

plugin = Plugin(
    modules=(schemas, systeminfo, powershell, network, nlb, clusterlog, events, regedit, setspn, nslookup,
           firewall),
    packs=[KnowledgePack("windows", files("hakb.kb") / "windows",
                                "Windows failover clustering and Network Load Balancing faults")],
)
