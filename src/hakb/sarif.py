"""A case as SARIF 2.1.0, the format code-scanning dashboards and ticket integrations read.

One rule per fault id (its article as help), one result per finding with every evidence line as
a location (file, line, the line's text as snippet), severity as level (critical and error ->
``error``, warning -> ``warning``, info -> ``note``). Checks that could not be decided are
results of kind ``open`` (SARIF's "could not tell pass from fail").

Fix steps go in the result's ``message.markdown`` (and, as a list, ``properties.fix``): SARIF's
own ``fixes`` objects describe edits to files (``artifactChanges`` are required), which is not
what a helpdesk fix is, so none are made up.
"""

from __future__ import annotations

from urllib.parse import quote

from hakb.report import completeness, case_label, collect_text
from hakb.safetext import is_web_link

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"critical": "error", "error": "error", "warning": "warning", "info": "note"}
#: Bounds for machines (larger than the human reports' bounds), with the rest counted.
MAX_RESULTS = 1000
MAX_LOCATIONS = 200


def uri(path: str) -> str:
    """An artifact path as a URI reference: absolute paths as file URIs, relative ones relative
    (``bundle.tgz:member`` keeps its colon escaped, so it is never read as a URI scheme).

    >>> uri("esx03/esxcfg-nics -l.txt"), uri("b.tgz:var/log/x"), uri("/tmp/a b")
    ('esx03/esxcfg-nics%20-l.txt', 'b.tgz%3Avar/log/x', 'file:///tmp/a%20b')
    """
    quoted = quote(path.replace("\\", "/"), safe="/")
    return f"file://{quoted}" if path.startswith("/") else quoted


def _location(item: dict) -> dict:
    physical: dict = {"artifactLocation": {"uri": uri(item["artifact"])}}
    if item.get("line"):
        physical["region"] = {"startLine": item["line"], "snippet": {"text": item["text"]}}
    return {"physicalLocation": physical}


def _rule(finding: dict, article: dict | None) -> dict:
    title = (article or {}).get("title") or finding["title"]
    help_text = (article or {}).get("markdown") or f"{title}\n\n{finding['summary']}"
    references = [r for r in finding["references"] if is_web_link(r)]
    rule = {
        "id": finding["id"],
        "shortDescription": {"text": title},
        "help": {"text": help_text, "markdown": help_text},
        "defaultConfiguration": {"level": LEVELS.get(finding["severity"], "warning")},
        "properties": {"kind": finding.get("kind", "fault"),
                       "tags": [finding.get("kind", "fault"), finding["severity"]]},
    }
    if references:
        rule["helpUri"] = references[0]
    if finding.get("pack"):
        rule["properties"]["pack"] = finding["pack"]
    return rule


def _message(finding: dict, more: int) -> dict:
    lines = [finding["summary"]]
    if finding["remediation"]:
        lines += ["", "**Fix**", ""] + [f"{n}. {s}" for n, s in enumerate(finding["remediation"], 1)]
    if more:
        lines += ["", f"... and {more} more evidence line(s)."]
    return {"text": finding["summary"], "markdown": "\n".join(lines)}


def as_sarif(report: dict, articles: dict[str, dict] | None = None) -> dict:
    """The SARIF log (a dict) of ``report``; ``articles`` maps fault id to ``{"title",
    "markdown"}`` for the rules' help (without it, the finding's own title and summary)."""
    articles = articles or {}
    rules: list[dict] = []
    index: dict[str, int] = {}
    results: list[dict] = []
    for finding in report["findings"][:MAX_RESULTS]:
        if finding["id"] not in index:
            index[finding["id"]] = len(rules)
            rules.append(_rule(finding, articles.get(finding["id"])))
        evidence = finding["evidence"][:MAX_LOCATIONS]
        properties = {"severity": finding["severity"], "kind": finding.get("kind", "fault"),
                      "confidence": finding["confidence"], "key": finding["key"],
                      "story": finding.get("story", 0), "fix": list(finding["remediation"])}
        if finding.get("pack"):
            properties["pack"] = finding["pack"]
        result = {
            "ruleId": finding["id"], "ruleIndex": index[finding["id"]], "kind": "fail",
            "level": LEVELS.get(finding["severity"], "warning"),
            "message": _message(finding, len(finding["evidence"]) - len(evidence)),
            "locations": [_location(item) for item in evidence],
            "partialFingerprints": {"hakbFinding/v1": f"{finding['id']}:{finding['key']}"},
            "properties": properties,
        }
        if finding.get("silenced"):  # acknowledged (hakb ack): SARIF's own word for it
            ack = finding["silenced"]
            result["suppressions"] = [{"kind": "external", "status": "accepted",
                                       "justification": f"{ack['reason']} ({ack['by']}, {ack['at']}"
                                                        + (f", until {ack['until']})" if ack.get("until") else ")")}]
        results.append(result)
    for item in report.get("unverified") or []:
        text = item["check"] + (f" on {item['host']}" if item.get("host") else "")
        if item.get("collect"):
            text += f": {collect_text(item['collect'])}"
        results.append({"ruleId": item["rule"], "kind": "open", "level": "none",
                        "message": {"text": text},
                        "locations": [_location(e) for e in item.get("evidence", [])[:MAX_LOCATIONS]]})
    complete, reasons = completeness(report)
    notifications = [{"level": "error", "message": {"text": f"{e['source']}: {e['message']}"}}
                     for e in report.get("errors", [])]
    notifications += [{"level": "error", "message": {"text": f"{a['path']}: {a['message']}"}}
                      for a in report["artifacts"] if a["status"] == "error"]
    run = {
        "tool": {"driver": {"name": "hakb", "version": report["hakb_version"],
                            "semanticVersion": report["hakb_version"], "rules": rules}},
        "invocations": [{"executionSuccessful": complete and not notifications,
                         "toolExecutionNotifications": notifications}],
        "artifacts": [{"location": {"uri": uri(a["path"])},
                       "properties": {"status": a["status"], "parser": a["parser"],
                                      "facts": a["facts"], "message": a["message"]}}
                      for a in report["artifacts"]],
        "results": results,
        "properties": {"case": case_label(report), "case_id": report.get("case_id"),
                       "created": report.get("created"), "as_of": report.get("as_of"),
                       "packs": report.get("packs", []), "complete": complete,
                       "incomplete_reasons": reasons,
                       "findings_not_shown": max(0, len(report["findings"]) - MAX_RESULTS)},
    }
    if report.get("case_id"):
        run["automationDetails"] = {"id": f"hakb/{report['case_id']}"}
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
