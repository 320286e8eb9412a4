"""SQL listener and Azure load balancer output, read through the real pipe (one file holds
Get-AzureEndpoint, Get-ClusterParameter and sqlcmd output: three plugins' shapes)."""

from hakb.model import Artifact
from hakb.parsing import parse_artifact
from hakb.plugin_manager import fact_schemas, get_plugin_manager, parsers

from .conftest import SAMPLES


def pipe_facts(path):
    pm = get_plugin_manager()
    schemas = fact_schemas(pm)
    result = parse_artifact(Artifact(path.name, path), parsers(pm, schemas), schemas)
    assert result.status == "parsed", result.message
    return result.facts


def test_azure_endpoint_cluster_ip_and_listener_port():
    facts = pipe_facts(SAMPLES / "azure-sql-listener.txt")
    endpoint = next(f for f in facts if f.type == "azure-lb-endpoint")
    assert endpoint.slots["probe_port"] == 59999 and endpoint.slots["local_port"] == 1433
    assert endpoint.slots["ilb"] == "ILB1"
    params = {f.slots["name"]: f.slots for f in facts if f.type == "cluster-parameter"}
    assert params["ProbePort"]["number"] == 0 and params["SubnetMask"]["value"] == "255.255.255.0"
    assert params["Network"]["value"] == "Cluster Network 1"
    listeners = [f.slots for f in facts if f.type == "sql-ag-listener"]
    assert listeners == [{"name": "aglistener", "port": 0, "ip": ""}]  # "(1 rows affected)" is not a row
