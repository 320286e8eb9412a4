"""Acknowledged findings: silenced, with who, when and why, until they expire.

An acknowledgement names a fault id, a finding key and a host (the host most of the finding's
evidence comes from; "" for any host). While it is active (not removed, expiry not reached), every
report of a finding with that id and key on that host shows it as silenced, by whom, when and
why, and it does not count for the exit status. Short names and FQDNs are one host here
(``esx01`` matches ``esx01.lab.example``).
"""

from __future__ import annotations

import getpass
import re
from collections import Counter
from datetime import datetime, timedelta, timezone


class AckError(ValueError):
    """An acknowledgement that cannot be made (unknown finding, bad date); says why."""


def login_name() -> str:
    try:
        return getpass.getuser() or "unknown"
    except (OSError, KeyError, ImportError):
        return "unknown"


def short_host(host: str) -> str:
    """``esx01.lab.example`` -> ``esx01``; IP addresses stay whole.

    >>> short_host("ESX01.lab.example"), short_host("10.0.0.5")
    ('esx01', '10.0.0.5')
    """
    host = (host or "").strip().lower()
    if re.fullmatch(r"[\d.]+|[0-9a-f:]+", host):
        return host
    return host.split(".", 1)[0]


def finding_hosts(finding: dict, report: dict) -> list[str]:
    """The hosts a finding's evidence comes from, the most frequent first."""
    hosts = {a["path"]: a.get("host") for a in report.get("artifacts", [])}
    counts = Counter(hosts[e["artifact"]] for e in finding.get("evidence", [])
                     if hosts.get(e["artifact"]))
    return [host for host, _ in counts.most_common()]


def parse_until(text: str | None, now: datetime) -> str | None:
    """An expiry as ISO time (UTC): ``2026-12-31`` (that day at 00:00 UTC), an ISO time, or
    ``30d`` / ``12h`` from now. None for no expiry."""
    if not text:
        return None
    relative = re.fullmatch(r"\s*(\d{1,5})\s*([dhw])\s*", text.lower())
    if relative:
        amount, unit = int(relative.group(1)), relative.group(2)
        delta = {"h": timedelta(hours=amount), "d": timedelta(days=amount), "w": timedelta(weeks=amount)}[unit]
        return (now + delta).astimezone(timezone.utc).isoformat(timespec="seconds")
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise AckError(f"--until {text!r}: use a date (2026-12-31), an ISO time or 30d/12h/2w") from None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    if moment <= now:
        raise AckError(f"--until {text!r} is already past")
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def is_active(ack: dict, now: datetime) -> bool:
    if ack.get("removed"):
        return False
    until = ack.get("until")
    return not until or now < datetime.fromisoformat(until)


def matches(ack: dict, finding: dict, hosts: list[str]) -> bool:
    if ack["fault"] != finding["id"] or (ack.get("key") or "") != (finding.get("key") or ""):
        return False
    return not ack.get("host") or short_host(ack["host"]) in {short_host(h) for h in hosts}


def annotate(report: dict, acks: list[dict], now: datetime | None = None) -> dict:
    """``report`` with ``silenced`` ({ack, by, at, reason, until}) on every finding an active
    acknowledgement covers. The report is changed in place and returned."""
    now = now or datetime.now(timezone.utc)
    active = [a for a in acks if is_active(a, now)]
    for finding in report.get("findings", []):
        finding.pop("silenced", None)
        hosts = finding_hosts(finding, report)
        for ack in active:
            if matches(ack, finding, hosts):
                finding["silenced"] = {"ack": ack["id"], "by": ack["by"], "at": ack["created"],
                                       "reason": ack["reason"], "until": ack.get("until")}
                break
    return report


def annotate_from(store, report: dict) -> dict:
    """:func:`annotate` with the store's acknowledgements (none without a store)."""
    return annotate(report, store.acks()) if store is not None else report


def pick_finding(report: dict, ref: str) -> dict:
    """A finding of a case by its number in the report (1 = first), its fault id (when only
    one finding has it) or ``id@key``."""
    findings = report.get("findings", [])
    if ref.isdigit():
        number = int(ref)
        if 1 <= number <= len(findings):
            return findings[number - 1]
        raise AckError(f"case {report['case_id']} has {len(findings)} finding(s); no number {number}")
    fault, _, key = ref.partition("@")
    chosen = [f for f in findings if f["id"] == fault and (not key or f.get("key") == key)]
    if len(chosen) == 1:
        return chosen[0]
    listing = "; ".join(f"{n} = {f['id']}@{f.get('key', '')}" for n, f in enumerate(findings, start=1))
    if not chosen:
        raise AckError(f"no finding {ref!r} in case {report['case_id']} ({listing or 'it has none'})")
    raise AckError(f"{ref!r} names several findings; give its number or id@key ({listing})")


def new_ack(report: dict, finding: dict, reason: str, by: str | None = None,
            until: str | None = None, host: str | None = None,
            now: datetime | None = None) -> dict:
    """The row for acknowledging ``finding`` of ``report``."""
    now = now or datetime.now(timezone.utc)
    reason = " ".join((reason or "").split())
    if not reason:
        raise AckError("an acknowledgement needs a reason (--reason)")
    hosts = finding_hosts(finding, report)
    return {"fault": finding["id"], "key": finding.get("key") or "",
            "host": host if host is not None else (hosts[0] if hosts else ""),
            "reason": reason[:2000], "by": (by or login_name()).strip()[:200] or login_name(),
            "created": now.isoformat(timespec="seconds"), "until": parse_until(until, now),
            "case_id": report["case_id"], "title": finding.get("title", "")}


def describe(silenced: dict) -> str:
    """One line for a report: by whom, when, why, until when.

    >>> describe({"by": "ana", "at": "2026-12-01T10:00:00+00:00", "reason": "change 42",
    ...           "until": "2026-12-15T00:00:00+00:00", "ack": 3})
    'silenced by ana on 2026-12-01 until 2026-12-15 (ack 3): change 42'
    """
    until = f" until {silenced['until'][:10]}" if silenced.get("until") else ""
    return f"silenced by {silenced['by']} on {silenced['at'][:10]}{until} (ack {silenced['ack']}): {silenced['reason']}"
