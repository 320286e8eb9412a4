"""``hakb cases``, ``hakb show`` and ``hakb export``: reading stored cases (never creating a
database: a read-only command on a path with no database says so and writes nothing)."""

from __future__ import annotations

import click

from hakb.cli.common import (check_writable, db_option, dumps, echo, emit, open_store,
                             parse_moment, store_path)
from hakb.cli.completion import complete_case, complete_fault, complete_host
from hakb.cli.diagnose import format_option, print_report, show_skipped_option

case_argument = click.argument("case", shell_complete=complete_case)


def _existing_store(db: str | None):
    from hakb.store import StoreError

    store = open_store(db, write=False)
    if store is None:
        raise StoreError(f"no case database at {store_path(db)} yet; run `hakb diagnose` first "
                         "(or give --db)")
    return store


@click.command()
@click.option("-n", "--limit", type=click.IntRange(min=1), default=20, show_default=True,
              help="How many cases.")
@click.option("--host", metavar="NAME", shell_complete=complete_host,
              help="Only cases with an artifact of this host (short name or FQDN).")
@click.option("--fault", metavar="ID", shell_complete=complete_fault,
              help="Only cases with a finding of this fault id.")
@click.option("--since", metavar="WHEN", help="Only cases made at or after this ISO date or time.")
@click.option("--until", metavar="WHEN", help="Only cases made before this ISO date or time.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (a list of objects).")
@db_option
def cases(limit: int, host, fault, since, until, as_json: bool, db: str | None) -> None:
    """List recent cases, newest first: worst finding, hosts, inputs."""
    since_at, until_at = parse_moment(since, "--since"), parse_moment(until, "--until")
    store = open_store(db, write=False)
    rows = store.recent(limit, host=host, fault=fault, since=since_at, until=until_at) if store else []
    if as_json:
        echo(dumps(rows), raw=True)
        return
    if not rows:
        filtered = any((host, fault, since, until))
        echo("No case matches." if filtered and store else
             "No cases yet. Run `hakb diagnose PATH` first.")
    for row in rows:
        worst = (row["worst_severity"] or "-").upper()
        title = row["worst_title"] or "no finding"
        if row["findings"] > 1:
            title += f" (+{row['findings'] - 1} more)"
        hosts = ", ".join(row["hosts"]) or "-"
        echo(f"{row['id']}  {row['created'][:16].replace('T', ' ')}  {worst:8} {title}  "
             f"[{hosts}]  {', '.join(row['inputs'])}")


@click.command()
@case_argument
@format_option
@click.option("-o", "--output", metavar="FILE", help="Write the report to FILE instead of stdout.")
@show_skipped_option
@click.option("--facts", is_flag=True, help="Print the case's facts (JSON lines) instead of the report.")
@db_option
def show(case: str, fmt: str, output: str | None, show_skipped: bool, facts: bool, db: str | None) -> None:
    """Print a stored case again. CASE is an id, a unique prefix of one, or 'latest'."""
    check_writable(output)
    store = _existing_store(db)
    if facts:
        emit("\n".join(dumps(row, indent=None) for row in store.facts(case)), output, raw=True)
        return
    from hakb.acks import annotate_from

    print_report(annotate_from(store, store.report(case)), fmt, output, show_skipped)


@click.command()
@case_argument
@click.option("--anonymize", is_flag=True,
              help="Replace host names, domains, IPs, MACs, accounts and local folder names "
                   "with consistent pseudonyms.")
@click.option("-o", "--output", metavar="FILE", help="Write the export to FILE instead of stdout.")
@click.option("--map", "map_file", metavar="FILE",
              help="With --anonymize: write which pseudonym stands for what to FILE (keep it in-house).")
@db_option
def export(case: str, anonymize: bool, output: str | None, map_file: str | None, db: str | None) -> None:
    """Print a stored case as one JSON object (report and facts), e.g. to send to a vendor.

    \b
    Secrets were already redacted when the case was made. With --anonymize the same value
    always gets the same pseudonym (esx01 -> host-1 everywhere), so the diagnosis still reads;
    the replacement is heuristic: read the export before it leaves the company.
    The JSON follows hakb/schemas/report.schema.json (a report plus "facts").
    """
    if map_file and not anonymize:
        raise click.UsageError("--map only makes sense with --anonymize")
    check_writable(output)
    check_writable(map_file, "--map")
    data = _existing_store(db).export(case)
    if anonymize:
        from hakb.anonymize import anonymize as make_anonymous

        data, anonymizer = make_anonymous(data)
        if map_file:
            emit(dumps(anonymizer.mapping()), map_file, raw=True)
    emit(dumps(data), output, raw=True)
