"""The HTML report: one self-contained page (inline CSS, no network, prints well).

Findings are grouped by story, each with its severity and kind, evidence as a table (file:line,
text; long lines wrap), fix steps rendered from Markdown (markdown-it-py with raw HTML off and
links limited to http(s)), not-verified checks with what to collect, and the artifacts and
skipped files folded away. The page template is autoescaped; a Content-Security-Policy allows
no script but the one that unfolds everything before printing, and no request at all.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache

from markupsafe import Markup

from hakb.report import (KIND_LABELS, MAX_EVIDENCE, MAX_FINDINGS, case_label, collect_text,
                         completeness, counts, limited, nothing_found, silenced_line, stories, where)
from hakb.safetext import is_web_link, terminal

#: Unfolds every <details> before printing, so the printed report has everything.
_SCRIPT = ("addEventListener('beforeprint',function(){"
           "document.querySelectorAll('details').forEach(function(d){d.open=true})})")
_SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(_SCRIPT.encode()).digest()).decode()


@lru_cache(maxsize=1)
def markdown_renderer():
    """The one Markdown renderer of hakb's pages (this report and ``hakb serve``)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.validateLink = is_web_link  # no javascript:, data:, file: or relative links
    return md


def inline_markdown(text: str) -> Markup:
    """One line of article Markdown (with the case's values in it) as safe HTML."""
    return Markup(markdown_renderer().renderInline(terminal(text or "")))


@lru_cache(maxsize=1)
def _template():
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("hakb", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True, finalize=_printable)
    return env.get_template("report.html")


def _printable(value):
    """Every value the page shows: control characters from bundles and packs as escapes."""
    return terminal(value) if isinstance(value, str) and not isinstance(value, Markup) else value


def _finding(finding: dict, number: int) -> dict:
    evidence, more = limited(finding["evidence"], MAX_EVIDENCE)
    kind = finding.get("kind", "fault")
    return {
        **finding, "number": number, "kind_label": KIND_LABELS.get(kind, kind),
        "summary_html": inline_markdown(finding["summary"]),
        "evidence": [{"where": where(e), "text": e["text"]} for e in evidence],
        "more_evidence": more,
        "fix": [inline_markdown(step) for step in finding["remediation"]],
        "references": [{"url": r, "link": is_web_link(r)} for r in finding["references"]],
        "silenced_line": silenced_line(finding) if finding.get("silenced") else "",
    }


def as_html(report: dict) -> str:
    shown, hidden = limited(report["findings"], MAX_FINDINGS)
    findings, grouped, number = [], [], 0
    for story in stories(shown):
        entries = []
        for finding in story:
            number += 1
            entries.append(_finding(finding, number))
        findings += entries
        grouped.append({"findings": entries})
    complete, reasons = completeness(report)
    problems = [{"source": a["path"], "message": a["message"]}
                for a in report["artifacts"] if a["status"] == "error"] + list(report.get("errors", []))
    unverified = [{**u, "collect_html": inline_markdown(collect_text(u["collect"])) if u.get("collect") else ""}
                  for u in (report.get("unverified") or [])[:MAX_FINDINGS]]
    return _template().render(
        report=report, label=case_label(report), counts=counts(report), complete=complete,
        reasons=reasons, findings=findings, stories=grouped, hidden=hidden,
        nothing_found=nothing_found(report), unverified=unverified, problems=problems,
        skipped=[a for a in report["artifacts"] if a["status"] == "skipped"],
        script=Markup(_SCRIPT), script_hash=_SCRIPT_HASH)
