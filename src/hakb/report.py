"""Reports of a case: terminal text, JSON, Markdown and HTML, all from the case's JSON dict.

Working from the dict (not live objects) means ``hakb show`` prints a stored case exactly as
``hakb diagnose`` printed it.
"""

from __future__ import annotations

import html
import json
from typing import Callable

import click

SEVERITY_COLOURS = {"critical": "magenta", "error": "red", "warning": "yellow", "info": "cyan"}
KIND_LABELS = {"fault": "fault", "expected-behaviour": "expected behaviour", "design": "design"}


def _counts(report: dict) -> str:
    statuses = [a["status"] for a in report["artifacts"]]
    parts = [f"{statuses.count(s)} {s}" for s in ("parsed", "skipped", "error") if s in statuses]
    return f"{len(statuses)} artifacts ({', '.join(parts) or 'none'})"


def _collect(text: str) -> str:
    """What to collect, worded once: rules may or may not start their text with "collect"."""
    return text if text.lower().startswith("collect") else f"collect: {text}"


def _stories(report: dict) -> list[list[dict]]:
    stories: dict[int, list[dict]] = {}
    for finding in report["findings"]:
        stories.setdefault(finding.get("story", 0), []).append(finding)
    return list(stories.values())


def _silenced(finding: dict) -> str:
    """An acknowledged finding's line: by whom, when, why (see hakb.acks)."""
    from hakb.acks import describe

    text = describe(finding["silenced"])
    return text[:1].upper() + text[1:] + " (does not count for the exit status)"


def as_json(report: dict) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False)


def as_text(report: dict, colour: bool = False, show_skipped: bool = False) -> str:
    def style(text: str, **kw) -> str:
        return click.style(text, **kw) if colour else text

    out: list[str] = []
    out.append(style(f"hakb {report['hakb_version']}", bold=True)
               + f" · case {report['case_id']} · {_counts(report)}")
    findings = report["findings"]
    if not findings:
        out.append("")
        out.append(style("No known fault found.", fg="green", bold=True)
                   + (" (Nothing was recognised in the input.)"
                      if not any(a["status"] == "parsed" for a in report["artifacts"]) else ""))
    for story in _stories(report):
        out.append("")
        if len(story) > 1:
            out.append(style(f"── One story, {len(story)} findings ──", bold=True))
        for finding in story:
            severity = finding["severity"]
            label = style(f"{severity.upper():8}", fg=SEVERITY_COLOURS.get(severity), bold=True)
            kind = finding.get("kind", "fault")
            extra = f", {KIND_LABELS.get(kind, kind)}" if kind != "fault" else ""
            out.append(f"{label} {style(finding['title'], bold=True)}  "
                       f"[{finding['id']}, confidence {finding['confidence']:.2f}{extra}]")
            out.append(f"  {finding['summary']}")
            if finding.get("silenced"):
                out.append("  " + style(_silenced(finding), fg="green"))
            if finding["evidence"]:
                out.append("  Evidence:")
                for item in finding["evidence"]:
                    where = f"{item['artifact']}:{item['line']}" if item["line"] else item["artifact"]
                    out.append(f"    {style(where, fg='blue')}  {item['text'].strip()[:300]}")
            if finding["remediation"]:
                out.append("  Fix:")
                for number, step in enumerate(finding["remediation"], start=1):
                    out.append(f"    {number}. {step}")
            if finding.get("related"):
                names = ", ".join(f"{r['id']}" + (f" ({r['key']})" if r["key"] else "")
                                  for r in finding["related"])
                out.append(f"  Related: {names}")
            if finding["references"]:
                out.append("  References: " + " ".join(finding["references"]))
    unverified = report.get("unverified") or []
    if unverified:
        out.append("")
        out.append(style("Not verified (collect these to decide):", bold=True))
        for item in unverified:
            host = f" on {item['host']}" if item.get("host") else ""
            collect = f" — {_collect(item['collect'])}" if item.get("collect") else ""
            out.append(f"  - {item['check']}{host}{collect}")
    problems = [a for a in report["artifacts"] if a["status"] == "error"]
    if problems or report.get("errors"):
        out.append("")
        out.append(style("Problems:", fg="red", bold=True))
        for artifact in problems:
            out.append(f"  - {artifact['path']}: {artifact['message']}")
        for error in report.get("errors", []):
            out.append(f"  - {error['source']}: {error['message']}")
    skipped = [a for a in report["artifacts"] if a["status"] == "skipped"]
    if skipped:
        out.append("")
        if show_skipped:
            out.append("Skipped:")
            for artifact in skipped:
                out.append(f"  - {artifact['path']}: {artifact['message']}")
        else:
            out.append(f"{len(skipped)} artifact(s) skipped (no parser recognised them or not text); "
                       "--show-skipped lists them.")
    return "\n".join(out)


def _code(text: str) -> str:
    """Evidence text safe inside Markdown backticks."""
    return text.strip()[:300].replace("`", "'")


def as_markdown(report: dict) -> str:
    out = [f"# hakb case {report['case_id']}", "",
           f"hakb {report['hakb_version']}, {report.get('created', '')}, {_counts(report)}.", ""]
    if not report["findings"]:
        out += ["No known fault found.", ""]
    for finding in report["findings"]:
        out += [f"## {finding['severity'].upper()}: {finding['title']}", "",
                f"`{finding['id']}` · kind {finding.get('kind', 'fault')} · confidence "
                f"{finding['confidence']:.2f} · story {finding.get('story', 0)}", "",
                finding["summary"], ""]
        if finding.get("silenced"):
            out += [f"*{_silenced(finding).replace('*', '')}*", ""]
        if finding["evidence"]:
            out += ["**Evidence**", ""]
            out += [f"- `{e['artifact']}:{e['line']}` — `{_code(e['text'])}`" for e in finding["evidence"]]
            out.append("")
        if finding["remediation"]:
            out += ["**Fix**", ""]
            out += [f"{n}. {step}" for n, step in enumerate(finding["remediation"], start=1)]
            out.append("")
        if finding["references"]:
            out += ["**References**", ""] + [f"- <{r}>" for r in finding["references"]] + [""]
    if report.get("unverified"):
        out += ["## Not verified", ""]
        out += [f"- {u['check']}" + (f" ({u['host']})" if u.get("host") else "")
                + (f" — {_collect(u['collect'])}" if u.get("collect") else "") for u in report["unverified"]]
        out.append("")
    out += ["## Artifacts", "", "| path | status | parser | facts | message |", "|---|---|---|---|---|"]
    for a in report["artifacts"]:
        out.append(f"| {a['path']} | {a['status']} | {a['parser'] or ''} | {a['facts']} | {a['message'] or ''} |")
    if report.get("errors"):
        out += ["", "## Problems", ""] + [f"- {e['source']}: {e['message']}" for e in report["errors"]]
    return "\n".join(out) + "\n"


def as_html(report: dict) -> str:
    e = html.escape
    parts = ["<!doctype html><html><head><meta charset='utf-8'>",
             f"<title>hakb case {e(report['case_id'])}</title>",
             "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}"
             ".critical{color:#a0a}.error{color:#c00}.warning{color:#b80}.info{color:#06a}"
             "code{background:#f4f4f4}</style></head><body>",
             f"<h1>hakb case {e(report['case_id'])}</h1>",
             f"<p>hakb {e(report['hakb_version'])} · {e(_counts(report))}</p>"]
    if not report["findings"]:
        parts.append("<p>No known fault found.</p>")
    for f in report["findings"]:
        parts.append(f"<h2 class='{e(f['severity'])}'>{e(f['severity'].upper())}: {e(f['title'])}</h2>")
        parts.append(f"<p><code>{e(f['id'])}</code> · {e(f.get('kind', 'fault'))} · confidence "
                     f"{f['confidence']:.2f}</p><p>{e(f['summary'])}</p>")
        if f.get("silenced"):
            parts.append(f"<p class='silenced'>{e(_silenced(f))}</p>")
        if f["evidence"]:
            parts.append("<h3>Evidence</h3><ul>" + "".join(
                f"<li><code>{e(x['artifact'])}:{x['line']}</code> <code>{e(x['text'][:300])}</code></li>"
                for x in f["evidence"]) + "</ul>")
        if f["remediation"]:
            parts.append("<h3>Fix</h3><ol>" + "".join(f"<li>{e(s)}</li>" for s in f["remediation"]) + "</ol>")
        if f["references"]:
            parts.append("<h3>References</h3><ul>" + "".join(
                f"<li><a href='{e(r)}'>{e(r)}</a></li>" for r in f["references"]) + "</ul>")
    if report.get("unverified"):
        parts.append("<h2>Not verified</h2><ul>" + "".join(
            f"<li>{e(u['check'])} — {e(_collect(u.get('collect') or ''))}</li>" for u in report["unverified"]) + "</ul>")
    parts.append("<h2>Artifacts</h2><table><tr><th>path</th><th>status</th><th>parser</th><th>facts</th>"
                 "<th>message</th></tr>" + "".join(
                     f"<tr><td>{e(a['path'])}</td><td>{e(a['status'])}</td><td>{e(a['parser'] or '')}</td>"
                     f"<td>{a['facts']}</td><td>{e(a['message'] or '')}</td></tr>" for a in report["artifacts"])
                 + "</table>")
    if report.get("errors"):
        parts.append("<h2>Problems</h2><ul>" + "".join(
            f"<li>{e(x['source'])}: {e(x['message'])}</li>" for x in report["errors"]) + "</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)


FORMATS: dict[str, Callable[[dict], str]] = {
    "json": as_json, "markdown": as_markdown, "html": as_html,
}
