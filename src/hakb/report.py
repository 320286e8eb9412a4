"""Reports of a case: terminal text, JSON, Markdown, HTML and SARIF, all from the case's JSON dict.

Working from the dict (not live objects) means ``hakb show`` prints a stored case exactly as
``hakb diagnose`` printed it. Every string in the dict may come from a stranger's bundle or a
third party's pack, so each renderer escapes for its medium (:mod:`hakb.safetext`), and the
human-readable ones show at most :data:`MAX_FINDINGS` findings and :data:`MAX_EVIDENCE` lines
of evidence each, saying how many more there are (JSON always has everything).
"""

from __future__ import annotations

import json
import re
from typing import Callable, Iterable

from hakb.safetext import code_span, is_web_link, markdown, markdown_prose, terminal

SEVERITY_COLOURS = {"critical": "magenta", "error": "red", "warning": "yellow", "info": "cyan"}
KIND_LABELS = {"fault": "fault", "expected-behaviour": "expected behaviour", "design": "design"}
#: Findings a human-readable report shows; the rest are counted ("and N more").
MAX_FINDINGS = 200
#: Evidence lines shown per finding or unverified check.
MAX_EVIDENCE = 20
#: Characters of one evidence line shown in text and Markdown (HTML wraps the whole line).
EVIDENCE_CHARS = 300
FORMAT_NAMES = ("text", "json", "markdown", "html", "sarif")


def counts(report: dict) -> str:
    statuses = [a["status"] for a in report["artifacts"]]
    parts = [f"{statuses.count(s)} {s}" for s in ("parsed", "skipped", "error") if s in statuses]
    return f"{len(statuses)} artifacts ({', '.join(parts) or 'none'})"


def case_label(report: dict) -> str:
    """"case <id>", or "case not saved" (``--no-save``: there is no id to look up)."""
    return f"case {report['case_id']}" if report.get("case_id") else "case not saved"


def collect_text(text: str) -> str:
    """What to collect, worded once: rules may or may not start their text with "collect"."""
    return text if text.lower().startswith("collect") else f"collect: {text}"


def completeness(report: dict) -> tuple[bool, list[str]]:
    """(complete, reasons). Reports without the state (older hakb) count as complete."""
    reasons = report.get("incomplete_reasons") or report.get("incomplete") or []
    if isinstance(reasons, str):
        reasons = [reasons]
    complete = report.get("complete")
    return (not reasons) if complete is None else bool(complete), [str(r) for r in reasons]


def stories(findings: Iterable[dict]) -> list[list[dict]]:
    grouped: dict[int, list[dict]] = {}
    for finding in findings:
        grouped.setdefault(finding.get("story", 0), []).append(finding)
    return list(grouped.values())


def limited(items: list, limit: int) -> tuple[list, int]:
    """The first ``limit`` items and how many were left out."""
    return items[:limit], max(0, len(items) - limit)


def where(item: dict) -> str:
    return f"{item['artifact']}:{item['line']}" if item.get("line") else item["artifact"]


def nothing_found(report: dict) -> str:
    complete, reasons = completeness(report)
    text = "No known fault found."
    if not complete:
        return text + " The diagnosis is incomplete: " + "; ".join(reasons or ["see Problems"]) + "."
    if not any(a["status"] == "parsed" for a in report["artifacts"]):
        text += " (Nothing was recognised in the input.)"
    return text


def silenced_line(finding: dict) -> str:
    """An acknowledged finding's line: by whom, when, why (see hakb.acks)."""
    from hakb.acks import describe

    text = describe(finding["silenced"])
    return text[:1].upper() + text[1:] + " (does not count for the exit status)"


def as_json(report: dict) -> str:
    """One JSON object; C1 control characters (which JSON may carry raw and some terminals
    obey) as \\u escapes, like the C0 ones."""
    text = json.dumps(report, indent=2, ensure_ascii=False)
    return re.sub(r"[\x7f-\x9f]", lambda m: f"\\u{ord(m.group()):04x}", text)


def as_text(report: dict, colour: bool = False, show_skipped: bool = False) -> str:
    """The terminal report. Every string from the case is escaped before styling, so the only
    escape sequences in the result are the colours added here."""
    def style(text: str, **kw) -> str:
        return _style(terminal(str(text)), colour, **kw)

    t = lambda text: terminal(str(text))  # noqa: E731
    out: list[str] = [style(f"hakb {report['hakb_version']}", bold=True)
                      + t(f" · {case_label(report)} · {counts(report)}")]
    complete, reasons = completeness(report)
    if not complete:
        out += ["", style("INCOMPLETE: ", fg="red", bold=True)
                + t("; ".join(reasons or ["a pack or parser failed (see Problems)"]))]
    findings, hidden = limited(report["findings"], MAX_FINDINGS)
    if not findings:
        out += ["", style(nothing_found(report), fg="green" if complete else "red", bold=True)]
    for story in stories(findings):
        out.append("")
        if len(story) > 1:
            out.append(style(f"── One story, {len(story)} findings ──", bold=True))
        for finding in story:
            severity = finding["severity"]
            label = style(f"{severity.upper():8}", fg=SEVERITY_COLOURS.get(severity), bold=True)
            kind = finding.get("kind", "fault")
            extra = f", {KIND_LABELS.get(kind, kind)}" if kind != "fault" else ""
            pack = f", pack {finding['pack']}" if finding.get("pack") else ""
            out.append(f"{label} {style(finding['title'], bold=True)}  "
                       + t(f"[{finding['id']}{pack}, confidence {finding['confidence']:.2f}{extra}]"))
            out.append(f"  {t(finding['summary'])}")
            if finding.get("silenced"):
                out.append("  " + style(t(silenced_line(finding)), fg="green"))
            evidence, more = limited(finding["evidence"], MAX_EVIDENCE)
            if evidence:
                out.append("  Evidence:")
                for item in evidence:
                    out.append(f"    {style(where(item), fg='blue')}  "
                               f"{t(item['text'].strip()[:EVIDENCE_CHARS])}")
                if more:
                    out.append(f"    ... and {more} more evidence line(s) (--format json has all)")
            if finding["remediation"]:
                out.append("  Fix:")
                for number, step in enumerate(finding["remediation"], start=1):
                    out.append(f"    {number}. {t(step)}")
            if finding.get("related"):
                names = ", ".join(f"{r['id']}" + (f" ({r['key']})" if r["key"] else "")
                                  for r in finding["related"])
                out.append(f"  Related: {t(names)}")
            if finding["references"]:
                out.append("  References: " + t(" ".join(finding["references"])))
    if hidden:
        out += ["", style(f"... and {hidden} more finding(s) not shown (--format json has all).",
                          bold=True)]
    unverified = report.get("unverified") or []
    if unverified:
        out.append("")
        out.append(style("Not verified (collect these to decide):", bold=True))
        shown, more = limited(unverified, MAX_FINDINGS)
        for item in shown:
            host = f" on {item['host']}" if item.get("host") else ""
            collect = f" — {collect_text(item['collect'])}" if item.get("collect") else ""
            out.append(t(f"  - {item['check']}{host}{collect}"))
        if more:
            out.append(f"  ... and {more} more")
    problems = [a for a in report["artifacts"] if a["status"] == "error"]
    if problems or report.get("errors"):
        out.append("")
        out.append(style("Problems:", fg="red", bold=True))
        for artifact in problems:
            out.append(t(f"  - {artifact['path']}: {artifact['message']}"))
        for error in report.get("errors", []):
            out.append(t(f"  - {error['source']}: {error['message']}"))
    skipped = [a for a in report["artifacts"] if a["status"] == "skipped"]
    if skipped:
        out.append("")
        if show_skipped:
            out.append("Skipped:")
            for artifact in skipped:
                out.append(t(f"  - {artifact['path']}: {artifact['message']}"))
        else:
            out.append(f"{len(skipped)} artifact(s) skipped (no parser recognised them or not text); "
                       "--show-skipped lists them.")
    return "\n".join(out)


def _style(text: str, colour: bool, **kw) -> str:
    if not colour:
        return text
    import click

    return click.style(text, **kw)


def as_markdown(report: dict) -> str:
    """Markdown for tickets and wikis. Bundle text is escaped (a ``<img onerror=...>`` VM name
    stays text), evidence is code, links are http(s) only."""
    e = markdown
    out = [f"# hakb {e(case_label(report))}", "",
           f"hakb {e(report['hakb_version'])}, {e(report.get('created', ''))}, {e(counts(report))}.", ""]
    complete, reasons = completeness(report)
    if not complete:
        out += [f"**Incomplete:** {e('; '.join(reasons or ['a pack or parser failed']))}", ""]
    findings, hidden = limited(report["findings"], MAX_FINDINGS)
    if not findings:
        out += [e(nothing_found(report)), ""]
    for number, story in enumerate(stories(findings), start=1):
        if len(story) > 1:
            out += [f"## Story {number}: one cause, {len(story)} findings", ""]
        for finding in story:
            level = "###" if len(story) > 1 else "##"
            out += [f"{level} {e(finding['severity'].upper())}: {e(finding['title'])}", "",
                    f"{code_span(finding['id'])} · kind {e(finding.get('kind', 'fault'))}"
                    + (f" · pack {e(finding['pack'])}" if finding.get("pack") else "")
                    + f" · confidence {finding['confidence']:.2f}", "",
                    markdown_prose(finding["summary"]), ""]
            if finding.get("silenced"):
                out += [f"*{e(silenced_line(finding))}*", ""]
            evidence, more = limited(finding["evidence"], MAX_EVIDENCE)
            if evidence:
                out += ["**Evidence**", ""]
                out += [f"- {code_span(where(x))} — {code_span(x['text'].strip()[:EVIDENCE_CHARS])}"
                        for x in evidence]
                if more:
                    out.append(f"- … and {more} more")
                out.append("")
            if finding["remediation"]:
                out += ["**Fix**", ""]
                out += [f"{n}. {markdown_prose(step)}"
                        for n, step in enumerate(finding["remediation"], start=1)]
                out.append("")
            if finding["references"]:
                out += ["**References**", ""] + [
                    f"- <{r}>" if is_web_link(r) else f"- {code_span(r)}" for r in finding["references"]] + [""]
    if hidden:
        out += [f"… and {hidden} more finding(s) not shown (the JSON report has all).", ""]
    if report.get("unverified"):
        out += ["## Not verified", ""]
        out += [f"- {e(u['check'])}" + (f" ({e(u['host'])})" if u.get("host") else "")
                + (f" — {markdown_prose(collect_text(u['collect']))}" if u.get("collect") else "")
                for u in report["unverified"][:MAX_FINDINGS]]
        out.append("")
    out += ["## Artifacts", "", "| path | status | parser | facts | message |", "|---|---|---|---|---|"]
    for a in report["artifacts"]:
        out.append(f"| {e(a['path'])} | {e(a['status'])} | {e(a['parser'] or '')} | {a['facts']} "
                   f"| {e(a['message'] or '')} |")
    if report.get("errors"):
        out += ["", "## Problems", ""] + [f"- {e(x['source'])}: {e(x['message'])}" for x in report["errors"]]
    return "\n".join(out) + "\n"


def as_html(report: dict) -> str:
    from hakb.html_report import as_html as render

    return render(report)


def as_sarif(report: dict, articles: dict | None = None) -> str:
    from hakb.sarif import as_sarif as render

    return json.dumps(render(report, articles), indent=2, ensure_ascii=False)


FORMATS: dict[str, Callable[[dict], str]] = {
    "json": as_json, "markdown": as_markdown, "html": as_html, "sarif": as_sarif,
}


def render(fmt: str, report: dict, *, colour: bool = False, show_skipped: bool = False,
           articles: dict | None = None) -> str:
    """The report in format ``fmt`` (one of :data:`FORMAT_NAMES`)."""
    if fmt == "text":
        return as_text(report, colour=colour, show_skipped=show_skipped)
    if fmt == "sarif":
        return as_sarif(report, articles)
    return FORMATS[fmt](report)
