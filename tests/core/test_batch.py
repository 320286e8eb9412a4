"""`hakb batch`: each bundle its own case, in worker processes or on a Dask cluster; one table
or JSON lines; cases saved by one writer; exit status over the worst bundle."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import datetime, timezone

import pytest
from click.testing import CliRunner

from bundles import example
from hakb.batch import BatchError, BundleResult, batch_exit_code, bundles_of
from hakb.cli import cli
from hakb.diagnosis import Diagnosis
from hakb.store import Store


@pytest.fixture
def incoming(tmp_path):
    """A folder of three bundles: a locked disk, its healthy counterpart, and one nobody reads."""
    folder = tmp_path / "incoming"
    folder.mkdir()
    shutil.copytree(example("locked-vmdk"), folder / "ticket-1")
    shutil.copytree(example("locked-vmdk-healthy"), folder / "ticket-2")
    (folder / "ticket-3").mkdir()
    (folder / "ticket-3" / "notes.txt").write_text("the customer says it is slow\n")
    return folder


def test_bundles_from_a_folder_a_list_and_a_glob(incoming):
    names = [str(incoming / n) for n in ("ticket-1", "ticket-2", "ticket-3")]
    assert bundles_of([str(incoming)]) == names
    assert bundles_of(names[:2]) == names[:2]
    assert bundles_of([str(incoming / "ticket-[12]")]) == names[:2]
    with pytest.raises(BatchError, match="no such file"):
        bundles_of([str(incoming / "nope")])
    with pytest.raises(BatchError, match="matches nothing"):
        bundles_of([str(incoming / "*.zip")])


def test_batch_table_cases_and_exit_status(incoming, tmp_path):
    db = tmp_path / "cases.db"
    result = CliRunner().invoke(cli, ["batch", "--jobs", "2", "--db", str(db), str(incoming)])
    assert result.exit_code == 1, result.output  # a bundle has an error-level finding
    rows = {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines()
            if line.startswith(str(incoming))}
    assert rows[str(incoming / "ticket-1")][:3] == ["error", "1", "findings"]
    assert rows[str(incoming / "ticket-2")][:4] == ["-", "0", "no", "known"]
    assert rows[str(incoming / "ticket-3")][:4] == ["-", "0", "not", "diagnosable"]
    saved = Store(db).recent(10)
    inputs = [r["inputs"] if isinstance(r["inputs"], list) else json.loads(r["inputs"]) for r in saved]
    assert sorted(i[0] for i in inputs) == sorted(rows)


def test_json_lines_and_the_same_findings_with_one_or_two_jobs(incoming):
    def run(jobs):
        out = CliRunner().invoke(cli, ["batch", "--format", "json", "--no-save", "--jobs", str(jobs),
                                       str(incoming)])
        lines = [json.loads(line) for line in out.stdout.splitlines()]
        return out.exit_code, {l["bundle"]: (l["status"], [f["key"] for f in l["findings"]]) for l in lines}

    one, two = run(1), run(2)
    assert one == two
    code, by_bundle = one
    assert code == 1 and by_bundle[str(incoming / "ticket-1")] == ("findings", ["app01-000001"])


def case_with(errors=(), findings=(), parsed=True):
    from hakb.model import Artifact
    from hakb.parsing import ArtifactResult
    from pathlib import Path

    now = datetime.now(timezone.utc)
    case = Diagnosis(case_id="c", created=now, inputs=["b"], errors=list(errors), packs=["vmware"],
                     artifacts=[ArtifactResult(Artifact("a", Path("a")), "parsed" if parsed else "skipped")])
    case.findings = list(findings)
    return case


def test_exit_status_is_the_worst_bundle_and_incomplete_is_never_clean():
    class F:
        severity, id, key, title = "error", "x", "k", "t"

    clean = BundleResult("a", case=case_with())
    timed_out = BundleResult("b", case=case_with(errors=[{"source": "pack vmware",
                                                          "message": "rules did not finish within 10 s"}]))
    unreadable = BundleResult("c", case=case_with(parsed=False))
    found = BundleResult("d", case=case_with(findings=[F()]))
    assert timed_out.status() == "incomplete" and timed_out.exit_code() == 3
    assert batch_exit_code([clean]) == 0
    assert batch_exit_code([clean, timed_out]) == 3
    assert batch_exit_code([clean, timed_out, unreadable]) == 2
    assert batch_exit_code([clean, timed_out, unreadable, found]) == 1
    assert batch_exit_code([BundleResult("e", error="corrupt archive")]) == 2


#: Run in a fresh interpreter: a Dask cluster leaves threads behind (its offload executor), and
#: a process with threads starts its knowledge workers with spawn instead of fork for the rest
#: of the test session.
DASK_RUN = """
import json, sys
from dask.distributed import LocalCluster
from hakb.batch import DaskExecutor, LocalExecutor, Options, bundles_of, run_batch

bundles = bundles_of([sys.argv[1]])[:2]
local = {r.bundle: [[f.id, f.key] for f in r.case.findings] for r in run_batch(bundles, LocalExecutor(1), Options())}
with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
    remote = {r.bundle: [[f.id, f.key] for f in r.case.findings]
              for r in run_batch(bundles, DaskExecutor(cluster.scheduler_address), Options())}
print(json.dumps({"local": local, "remote": remote, "first": bundles[0]}))
"""


def test_dask_executor_gives_what_the_local_one_gives(incoming):
    pytest.importorskip("dask.distributed", reason="the hakb[dask] extra is not installed")

    done = subprocess.run([sys.executable, "-c", DASK_RUN, str(incoming)], capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["remote"] == result["local"]
    assert result["local"][result["first"]] == [["vmware-locked-vmdk", "app01-000001"]]


def test_dask_without_a_scheduler_is_one_line(incoming):
    result = CliRunner().invoke(cli, ["batch", "--executor", "dask", str(incoming)])
    assert result.exit_code == 2 and "needs --scheduler" in result.output
