"""``hakb ack``, ``hakb acks``, ``hakb unack``: silence a known finding, with who, when and why."""

from __future__ import annotations

from datetime import datetime, timezone

import click

from hakb.cli.common import db_option, dumps, echo, open_store


def _fail(message: str) -> None:
    echo(f"hakb: error: {message}", err=True)
    raise SystemExit(2)


@click.command()
@click.argument("case")
@click.argument("finding")
@click.option("--reason", required=True, help="Why it is acknowledged (shown in every report).")
@click.option("--until", metavar="WHEN", help="Expiry: a date (2026-12-31, at 00:00 UTC), an ISO "
              "time, or 30d / 12h / 2w from now. Default: until removed with `hakb unack`.")
@click.option("--by", metavar="NAME", help="Who acknowledges it (default: your login name).")
@click.option("--host", metavar="NAME", help="The host it applies to (default: the host most of its "
              "evidence comes from; '' for any host).")
@click.option("--json", "as_json", is_flag=True, help="Print the acknowledgement as JSON.")
@db_option
def ack(case, finding, reason, until, by, host, as_json, db) -> None:
    """Acknowledge (silence) FINDING of CASE in later diagnoses of the same host and key.

    \b
    FINDING is its number in the case's report (1 = first), its fault id, or id@key:
        hakb ack latest 1 --reason "known; change CHG0042 on Friday" --until 2026-12-05
        hakb ack 20261120-0915 vmware-locked-vmdk --reason "backup vendor ticket 77" --by ana
    A silenced finding is still shown, marked as silenced (by whom, when, why), and does not
    make `hakb diagnose` exit 1, until the acknowledgement expires or `hakb unack` removes it.
    """
    from hakb.acks import AckError, new_ack, pick_finding

    store = open_store(db)
    report = store.report(case)
    try:
        chosen = pick_finding(report, finding)
        row = new_ack(report, chosen, reason, by=by, until=until, host=host)
    except AckError as exc:
        _fail(str(exc))
    row["id"] = store.add_ack(row)
    if as_json:
        echo(dumps(row), raw=True)
        return
    where = f" on {row['host']}" if row["host"] else " on any host"
    until_text = f" until {row['until']}" if row["until"] else " until removed"
    echo(f"Acknowledged {row['fault']} ({row['key'] or 'no key'}){where}{until_text}, "
               f"by {row['by']}: {row['reason']} (ack {row['id']}; `hakb unack {row['id']}` removes it)")


@click.command()
@click.option("--all", "show_all", is_flag=True, help="Also expired and removed acknowledgements.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@db_option
def acks(show_all, as_json, db) -> None:
    """List acknowledgements in force (with --all: also expired and removed ones)."""
    from hakb.acks import is_active

    now = datetime.now(timezone.utc)
    rows = open_store(db).acks(include_removed=show_all)
    rows = [{**r, "active": is_active(r, now)} for r in rows if show_all or is_active(r, now)]
    if as_json:
        echo(dumps(rows), raw=True)
        return
    if not rows:
        echo("No acknowledgements" + (" at all." if show_all else " in force. (--all shows expired ones)"))
    for r in rows:
        state = "" if r["active"] else (" [removed]" if r["removed"] else " [expired]")
        until = f" until {r['until'][:16]}" if r["until"] else ""
        echo(f"{r['id']:>4}  {r['fault']} ({r['key'] or 'no key'}) on {r['host'] or 'any host'}"
                   f"  by {r['by']} {r['created'][:10]}{until}{state}: {r['reason']}")


@click.command()
@click.argument("numbers", nargs=-1, type=int, required=True)
@click.option("--by", metavar="NAME", help="Who removes it (default: your login name).")
@db_option
def unack(numbers, by, db) -> None:
    """Remove acknowledgements by number (`hakb acks` lists them); the findings count again."""
    from hakb.acks import login_name

    store = open_store(db)
    when = datetime.now(timezone.utc).isoformat(timespec="seconds")
    for number in numbers:
        row = store.remove_ack(number, by or login_name(), when)
        echo(f"Removed ack {number}: {row['fault']} ({row['key'] or 'no key'}) counts again.")
