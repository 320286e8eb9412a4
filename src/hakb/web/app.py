"""The triage page: a small Starlette application with server-rendered Jinja pages.

Every page reads the case store fresh (one connection per request, in a worker thread: SQLite
connections stay in their thread), so the page and the CLI always show the same cases.

Guards, in :class:`Gate`: with a token, every request must carry it (``?token=`` once, kept in an
HttpOnly cookie; or ``Authorization: Bearer``); bound to this machine only, requests must name
this machine in their Host header (a web page elsewhere cannot reach the page through a DNS
name it controls). Every form carries a per-process secret, so another site cannot post to it.
"""

from __future__ import annotations

import contextlib
import secrets
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from hakb.acks import AckError, annotate_from, describe, is_active, login_name, new_ack, pick_finding
from hakb.answers import MAX_PASTE
from hakb.bundle import Limits
from hakb.history import compare, same_host_cases, search_cases
from hakb.isolation import DEFAULT_TIMEOUT
from hakb.questions import evidence_present, open_checks, questions_for
from hakb.store import Store, StoreError
from hakb.web import jobs, render
from hakb.web.uploads import UploadRefused, limited, size_text, store_file

TOKEN_COOKIE = "hakb_token"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
KIND_LABELS = {"fault": "fault", "expected-behaviour": "expected behaviour", "design": "design"}


@dataclass(frozen=True)
class Config:
    db: Path
    token: str | None
    local: bool
    limits: Limits
    max_upload: int
    rule_timeout: float
    csrf: str


class Gate:
    """ASGI middleware: the token (when set) and, on a local bind, a local Host header."""

    def __init__(self, app, config: Config) -> None:
        self.app = app
        self.config = config

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = Request(scope)
        if self.config.local and self.config.token is None:
            host = request.headers.get("host", "")
            name = host.rsplit(":", 1)[0] if not host.startswith("[") else host.split("]")[0] + "]"
            if name.lower() not in LOCAL_HOSTS:
                return await PlainTextResponse("hakb serve answers to this machine's own address only",
                                               status_code=403)(scope, receive, send)
        token = self.config.token
        if token:
            header = request.headers.get("authorization", "")
            given = (header[7:].strip() if header.lower().startswith("bearer ") else None) \
                or request.query_params.get("token") or request.cookies.get(TOKEN_COOKIE)
            if not given or not secrets.compare_digest(given.encode(), token.encode()):
                page = ("<!doctype html><title>hakb: token needed</title><p>This hakb page needs its "
                        "token: open the address <code>hakb serve</code> printed (it ends in "
                        "<code>?token=...</code>), or send <code>Authorization: Bearer TOKEN</code>.</p>")
                return await HTMLResponse(page, status_code=401)(scope, receive, send)
            if request.query_params.get("token") and request.method == "GET":
                rest = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
                target = request.url.path + (f"?{urlencode(rest)}" if rest else "")
                response = RedirectResponse(target, status_code=303)
                response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
                return await response(scope, receive, send)
        return await self.app(scope, receive, send)


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("hakb.web", "templates"),
                      autoescape=select_autoescape(["html"]))
    env.globals.update(inline=render.inline, markdown=render.markdown, describe=describe,
                       kind_label=lambda k: KIND_LABELS.get(k, k), size_text=size_text)
    return env


def _stories(findings: list[dict]) -> list[list[dict]]:
    stories: dict[int, list[dict]] = {}
    for finding in findings:
        stories.setdefault(finding.get("story", 0), []).append(finding)
    return list(stories.values())


def create_app(db: Path, *, token: str | None = None, local: bool = True, limits: Limits = Limits(),
               max_upload: int = 2 * 1024**3, rule_timeout: float = DEFAULT_TIMEOUT) -> Starlette:
    """The triage page over the case store at ``db``."""
    config = Config(db=Path(db), token=token or None, local=local, limits=limits,
                    max_upload=max_upload, rule_timeout=rule_timeout, csrf=secrets.token_urlsafe(24))
    templates = Jinja2Templates(env=_environment())
    workers = jobs.Workers()

    def store() -> Store:
        return Store(config.db)

    def recent() -> list[dict]:
        return search_cases(store(), limit=10)

    def page(request: Request, name: str, status: int = 200, **context) -> Response:
        context.setdefault("note", request.query_params.get("note", ""))
        return templates.TemplateResponse(request, name, {"csrf": config.csrf, **context},
                                          status_code=status)

    def problem(request: Request, message: str, status: int) -> Response:
        return page(request, "error.html", status=status, message=message)

    async def checked_form(request: Request, limit: int):
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > limit:
            raise UploadRefused(f"the upload is larger than {size_text(limit)}; refused "
                                "(hakb serve --max-upload raises the limit)", 413)
        form = await Request(request.scope, limited(request.receive, limit)).form(
            max_files=100_000, max_fields=50, max_part_size=MAX_PASTE)
        if not secrets.compare_digest(str(form.get("csrf", "")), config.csrf):
            await form.close()
            raise UploadRefused("this form is out of date (or came from another site); reload the "
                                "page and send it again", 403)
        return form

    # -- pages -------------------------------------------------------------------------------

    def index(request: Request) -> Response:
        return page(request, "index.html", recent=recent(), max_upload=config.max_upload)

    async def upload(request: Request) -> Response:
        workdir = Path(tempfile.mkdtemp(prefix="hakb-web-"))
        folder = workdir / "upload"
        folder.mkdir()
        try:
            try:
                form = await checked_form(request, config.max_upload)
                names = []
                budget = [config.max_upload]
                try:
                    for item in form.getlist("files"):
                        if getattr(item, "filename", None):
                            names.append(await store_file(item, folder, budget))
                finally:
                    await form.close()
                pasted = str(form.get("paste") or "")
                if pasted.strip():
                    (folder / "pasted.txt").write_text(pasted, encoding="utf-8")
                    names.append("pasted text")
                symptom = " ".join(str(form.get("symptom") or "").split())
                host = " ".join(str(form.get("host") or "").split()) or None
                if not names and not symptom:
                    raise UploadRefused("nothing to diagnose: choose files or a bundle, paste some "
                                        "output, or say what the ticket reports")
            except UploadRefused as exc:
                return page(request, "index.html", status=exc.status, error=str(exc),
                            recent=await run_in_threadpool(recent),
                            max_upload=config.max_upload)
            case_id, refused = await workers.run(jobs.start, config, folder, names, symptom, host)
            if refused:
                return page(request, "index.html", status=400, error="the upload was refused: " + refused,
                            recent=await run_in_threadpool(recent),
                            max_upload=config.max_upload)
            return RedirectResponse(f"/cases/{case_id}", status_code=303)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)

    def cases(request: Request) -> Response:
        q = request.query_params
        found = search_cases(store(), q.get("q", ""), q.get("host", ""), q.get("fault", ""))
        return page(request, "cases.html", cases=found, q=q.get("q", ""), host=q.get("host", ""),
                    fault=q.get("fault", ""))

    def case(request: Request) -> Response:
        db = store()
        try:
            report = annotate_from(db, db.report(request.path_params["case_id"]))
        except StoreError as exc:
            return problem(request, str(exc), 404)
        state = db.triage(report["case_id"]) or {}
        counts = open_checks(report)
        measures = {(f["id"], f["key"]): evidence_present(f, counts.get(f["id"], 0)) for f in report["findings"]}
        return page(request, "case.html", report=report, stories=_stories(report["findings"]),
                    measures=measures, counts=counts,
                    positions={(f["id"], f["key"]): n for n, f in enumerate(report["findings"], start=1)},
                    questions=questions_for(report, state.get("candidates") or []),
                    answers=state.get("answers") or [], candidates=state.get("candidates") or [],
                    symptom=state.get("symptom") or "", others=same_host_cases(db, report["case_id"]),
                    problems=[a for a in report["artifacts"] if a["status"] == "error"],
                    skipped=[a for a in report["artifacts"] if a["status"] == "skipped"])

    async def answer(request: Request) -> Response:
        case_id = request.path_params["case_id"]
        try:
            form = await checked_form(request, MAX_PASTE + 1024 * 1024)
            text = str(form.get("text") or "")
            upload = form.get("file")
            if getattr(upload, "filename", None):
                text = (await upload.read(MAX_PASTE + 1)).decode("utf-8", "replace")
            await form.close()
        except UploadRefused as exc:
            return problem(request, str(exc), exc.status)
        note = await workers.run(jobs.answer, config, case_id, str(form.get("question") or ""), text)
        return RedirectResponse(f"/cases/{case_id}?{urlencode({'note': note})}#questions", status_code=303)

    async def ack(request: Request) -> Response:
        case_id = request.path_params["case_id"]
        try:
            form = await checked_form(request, 64 * 1024)
        except UploadRefused as exc:
            return problem(request, str(exc), exc.status)
        note = await run_in_threadpool(_ack, config, case_id, {k: str(v) for k, v in form.items()})
        return RedirectResponse(f"/cases/{case_id}?{urlencode({'note': note})}", status_code=303)

    def acks(request: Request) -> Response:
        now = datetime.now(timezone.utc)
        rows = [{**r, "active": is_active(r, now)} for r in store().acks(include_removed=True)]
        return page(request, "acks.html", acks=rows)

    async def unack(request: Request) -> Response:
        try:
            form = await checked_form(request, 64 * 1024)
        except UploadRefused as exc:
            return problem(request, str(exc), exc.status)
        number = int(request.path_params["number"])
        by = str(form.get("by") or "") or login_name()

        def remove():
            store().remove_ack(number, by, datetime.now(timezone.utc).isoformat(timespec="seconds"))
        try:
            await run_in_threadpool(remove)
        except StoreError as exc:
            return problem(request, str(exc), 404)
        return RedirectResponse(f"/acks?{urlencode({'note': f'ack {number} removed'})}", status_code=303)

    def comparison(request: Request) -> Response:
        db = store()
        try:
            older, newer = db.report(request.query_params.get("a", "")), db.report(request.query_params.get("b", ""))
        except StoreError as exc:
            return problem(request, str(exc), 404)
        if older["created"] > newer["created"]:
            older, newer = newer, older
        return page(request, "compare.html", older=older, newer=newer, diff=compare(older, newer))

    def knowledge(request: Request) -> Response:
        query = request.query_params.get("q", "").strip()
        articles = _articles()
        if query:
            db = store()
            db.index_articles(articles.values())
            found = [articles[r["id"]] for r in db.search_articles(query, limit=100) if r["id"] in articles]
        else:
            found = sorted(articles.values(), key=lambda a: (a.pack, a.id))
        return page(request, "kb.html", articles=found, q=query, total=len(articles))

    def article(request: Request) -> Response:
        from hakb.cli.kb import load_knowledge

        wanted = request.path_params["article_id"]
        knowledge = load_knowledge(texts={wanted: (None, "")})  # written out in the worker
        chosen = knowledge.articles.get(wanted)
        if chosen is None:
            return problem(request, f"no article {wanted!r}", 404)
        summary, body = knowledge.texts.get(wanted, (chosen.title, ""))
        return page(request, "article.html", article=chosen, body=render.markdown(body), summary=summary)

    routes = [
        Route("/", index), Route("/upload", upload, methods=["POST"]),
        Route("/cases", cases), Route("/cases/{case_id}", case),
        Route("/cases/{case_id}/answer", answer, methods=["POST"]),
        Route("/cases/{case_id}/ack", ack, methods=["POST"]),
        Route("/acks", acks), Route("/acks/{number:int}/remove", unack, methods=["POST"]),
        Route("/compare", comparison), Route("/kb", knowledge), Route("/kb/{article_id}", article),
        Mount("/static", StaticFiles(packages=[("hakb.web", "static")]), name="static"),
    ]

    async def failure(request: Request, exc: Exception) -> Response:
        return PlainTextResponse(f"hakb: internal error: {type(exc).__name__}: {exc}", status_code=500)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        workers.close()

    app = Starlette(routes=routes, exception_handlers={Exception: failure}, lifespan=lifespan)
    app.add_middleware(Gate, config=config)
    app.state.config = config
    return app


def _articles():
    from hakb.cli.kb import load_articles

    return load_articles()


def _ack(config: Config, case_id: str, form: dict) -> str:
    db = Store(config.db)
    report = db.report(case_id)
    try:
        finding = pick_finding(report, form.get("finding", ""))
        row = new_ack(report, finding, form.get("reason", ""), by=form.get("by") or None,
                      until=form.get("until") or None)
    except AckError as exc:
        return f"not acknowledged: {exc}"
    number = db.add_ack(row)
    return f"acknowledged as ack {number}: {finding['title']}"
