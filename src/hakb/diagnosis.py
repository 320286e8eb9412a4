"""The whole pipe for one case: inputs -> artifacts -> facts -> inference -> findings.

:func:`diagnose` is what the CLI calls; :func:`diagnose_facts` starts from facts (tests, the
facts-JSON input, and third-party rule tests use it).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Sequence

from hakb import __version__
from hakb.bundle import Limits, collect, display_name, work_folder
from hakb.findings import Finding, Unverified, assemble
from hakb.hosts import assign_hosts
from hakb.isolation import DEFAULT_MEMORY_MIB, DEFAULT_TIMEOUT, run_knowledge
from hakb.model import Artifact, Fact
from hakb.parsing import ArtifactResult, parse_artifact
from hakb.plugin_manager import PluginManager, fact_schemas, get_plugin_manager, knowledge_packs, parsers

SEVERITY_ORDER = ("info", "warning", "error", "critical")

def as_of_time(facts: Sequence[Fact], given: datetime | None, now: datetime) -> datetime:
    """--as-of, else the latest collection-time fact, else now."""
    if given is not None:
        return given if given.tzinfo else given.replace(tzinfo=timezone.utc)
    stamps = [f.slots.get("epoch") for f in facts if f.type == "collection-time"]
    stamps = [int(s) for s in stamps if isinstance(s, (int, float))]
    return datetime.fromtimestamp(max(stamps), timezone.utc) if stamps else now


def new_case_id(now: datetime) -> str:
    return f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


@dataclass
class Diagnosis:
    """One case: what was read, what was concluded, and what went wrong along the way."""

    case_id: str
    created: datetime
    inputs: list[str]
    artifacts: list[ArtifactResult] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    unverified: list[Unverified] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)  # {"source": ..., "message": ...}
    packs: list[str] = field(default_factory=list)
    as_of: datetime | None = None
    hakb_version: str = __version__

    @property
    def incomplete(self) -> list[str]:
        """Why the diagnosis is incomplete (a pack or parser failed or hit a limit); empty when
        it is complete. "No known fault found" only means healthy when this is empty."""
        reasons = [f"{a.artifact.name}: {a.message}" for a in self.artifacts
                   if a.status == "error" or getattr(a, "limited", False)]
        return reasons + [f"{e['source']}: {e['message']}" for e in self.errors]

    @property
    def complete(self) -> bool:
        return not self.incomplete

    @property
    def diagnosable(self) -> bool:
        """False when nothing could be diagnosed: no artifact parsed, or every pack failed."""
        return any(a.status == "parsed" for a in self.artifacts) and bool(self.packs)

    def worst_severity(self) -> str | None:
        levels = [SEVERITY_ORDER.index(f.severity) for f in self.findings]
        return SEVERITY_ORDER[max(levels)] if levels else None

    def as_dict(self) -> dict:
        return {
            "hakb_version": self.hakb_version,
            "case_id": self.case_id,
            "created": self.created.isoformat(timespec="seconds"),
            "inputs": list(self.inputs),
            "artifacts": [a.as_dict() for a in self.artifacts],
            "findings": [f.as_dict() for f in self.findings],
            "unverified": [u.as_dict() for u in self.unverified],
            "errors": list(self.errors),
            "packs": list(self.packs),
            "as_of": self.as_of.isoformat(timespec="seconds") if self.as_of else None,
            "complete": self.complete,
            "incomplete_reasons": self.incomplete,
        }


def _infer_into(case: Diagnosis, pm: PluginManager, facts: list[Fact], as_of: datetime | None,
                rule_timeout: float = DEFAULT_TIMEOUT, rule_memory: int = DEFAULT_MEMORY_MIB) -> None:
    schemas = fact_schemas(pm)
    case.as_of = as_of_time(facts, as_of, case.created)
    # Everything the packs contribute (their articles, rules and templates) runs in a worker
    # with time and memory limits; what comes back is plain data.
    run = run_knowledge(knowledge_packs(pm), schemas, facts, case.as_of, timeout=rule_timeout,
                        memory=rule_memory)
    case.errors.extend({"source": source, "message": message} for source, message in run.errors)
    case.packs = run.packs
    case.facts = facts
    case.findings = assemble(run.findings, run.relations)
    case.unverified = run.unverified
    for name, message in pm.load_errors.items():  # collected by every plugin call above
        case.errors.append({"source": f"plugin {name}", "message": message})


def diagnose_facts(facts: Sequence[Fact], pm: PluginManager | None = None,
                   now: datetime | None = None, as_of: datetime | None = None,
                   rule_timeout: float = DEFAULT_TIMEOUT, rule_memory: int = DEFAULT_MEMORY_MIB) -> Diagnosis:
    """Run the knowledge over facts given directly (no artifacts)."""
    now = now or datetime.now(timezone.utc)
    case = Diagnosis(case_id=new_case_id(now), created=now, inputs=[])
    _infer_into(case, pm or get_plugin_manager(), list(facts), as_of, rule_timeout, rule_memory)
    return case



def diagnose(arguments: list[str], *, host: str | None = None, pm: PluginManager | None = None,
             limits: Limits = Limits(), progress: Callable[..., None] | None = None,
             stdin=None, now: datetime | None = None, as_of: datetime | None = None,
             rule_timeout: float = DEFAULT_TIMEOUT, rule_memory: int = DEFAULT_MEMORY_MIB) -> Diagnosis:
    """Diagnose the folders, files, archives (or ``-`` for stdin) named in ``arguments``.

    ``progress(message, stage=..., **detail)`` is called per stage and artifact (see
    :mod:`hakb.cli.progress` for the details it is given).

    Raises :class:`hakb.bundle.InputError` when an argument does not exist at all; everything
    else that goes wrong is recorded in the returned case.
    """
    pm = pm or get_plugin_manager()
    now = now or datetime.now(timezone.utc)
    case = Diagnosis(case_id=new_case_id(now), created=now, inputs=[display_name(a) for a in arguments])
    schemas = fact_schemas(pm)
    available = parsers(pm, schemas)
    with work_folder() as workdir:
        if progress:
            progress("unpacking inputs", stage="collect")
        inventory = collect(arguments, workdir, limits=limits, stdin=stdin)
        for name, reason in inventory.errors:
            case.artifacts.append(ArtifactResult(Artifact(name=name, path=Path(name)), "error",
                                                 message=reason))
        for name, reason in inventory.skipped:
            case.artifacts.append(ArtifactResult(Artifact(name=name, path=Path(name)), "skipped",
                                                 message=reason))
        parsed: list[ArtifactResult] = []
        total = len(inventory.artifacts)
        for number, artifact in enumerate(inventory.artifacts, start=1):
            if progress:
                progress(f"[{number}/{total}] {artifact.name}", stage="read", done=number - 1,
                         total=total, size=artifact.size, path=artifact.path)
            parsed.append(parse_artifact(artifact, available, schemas))
    facts = assign_hosts(parsed, default=host)
    case.artifacts.extend(parsed)
    case.artifacts.sort(key=lambda a: a.artifact.name)
    if progress:
        progress("running the knowledge packs", stage="rules", done=total, total=total)
    _infer_into(case, pm, facts, as_of, rule_timeout, rule_memory)
    return case
