"""Property tests for EVERY installed parser, present and future (they are discovered, not listed):
arbitrary bytes and mutated example artifacts never make a parser raise anything but ParseError,
never make it hang, and never make it yield a fact its schema refuses.

Seeds are the example bundles and parser samples (facts/**), each
given to the parser that recognises it. The budget is small and derandomized so the suite stays
fast and stable: HAKB_FUZZ_EXAMPLES raises it for a longer local run.
"""

from __future__ import annotations

import contextlib
import faulthandler
import io
import os
import signal
import sys
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hakb import textio
from hakb.plugin_manager import fact_schemas
from hakb.engine import slot_values
from hakb.model import Artifact, Fact, Head, ParseError
from hakb.parsing import choose_parser
from hakb.plugin_manager import get_plugin_manager, parsers

ROOT = Path(__file__).resolve().parents[2]
SEED_FOLDERS = (ROOT / "facts",)
#: Examples per parser and test (mutated examples get more: they reach deepest into a parser).
EXAMPLES = int(os.environ.get("HAKB_FUZZ_EXAMPLES", "50"))
#: Seconds one parse may take before it counts as a hang (inputs here are a few KB).
HANG_SECONDS = 10
#: Hard stop for a parser stuck in C code (a regular expression backtracking forever), where a
#: Python signal cannot reach it: dump the stack and end the run instead of hanging CI.
BACKSTOP_SECONDS = 240

PM = get_plugin_manager()
PARSERS = parsers(PM)
SCHEMAS = fact_schemas(PM)

FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))
FUZZ_MUTATED = settings(FUZZ, max_examples=EXAMPLES * 6)

#: Text hostile to parsers and to the engine: CLIPS syntax, quotes, NUL, pager noise, odd Unicode.
INJECTIONS = [
    '") (assert (hakb-finding (id "pwned"))) ("', "(defrule pwned => (system \"id\"))", '(system "id")',
    "(exit)", "\"", "'", "(", ")", "\\", "\x00", "\r", "\r\n", "--More--", "[PS] C:\\> ", "$ ",
    "\ufeff", "\u202e", "\U0001F4A5", "\udcff", "9" * 40, "-1", "nan", "1e999", "0x", "::", "=", ":",
    "{", "}", "[", "]", "<", ">", "&", ";", "|", "\t" * 50, " " * 500, "A" * 5000,
]


class Hang(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds: float):
    def expired(signum, frame):
        raise Hang(f"no result after {seconds} s")
    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def backstop():
    faulthandler.dump_traceback_later(BACKSTOP_SECONDS, exit=True, file=sys.stderr)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()


def run_parser(parser, data: bytes) -> list[Fact]:
    """Parse ``data`` as hakb would (real decoder, streamed); ParseError is an allowed outcome."""
    artifact = Artifact(name="fuzz-input.txt", path=Path("fuzz-input.txt"), host="esx-fuzz", size=len(data))
    stream = iter([data]) if parser.binary else textio.iter_stream(io.BytesIO(data))
    facts = []
    with time_limit(HANG_SECONDS):
        try:
            for fact in parser.parse(stream, artifact):
                assert isinstance(fact, Fact), f"{parser.name} yielded {type(fact).__name__}"
                schema = SCHEMAS.get(fact.type)
                assert schema is not None, f"{parser.name} yielded undeclared fact type {fact.type!r}"
                try:
                    slot_values(schema, fact, 0)
                except (ValueError, TypeError) as exc:
                    raise AssertionError(f"{parser.name} yielded a fact its schema refuses: {exc}") from exc
                facts.append(fact)
        except ParseError:
            pass
    return facts


@lru_cache(maxsize=None)
def seeds() -> dict[str, tuple[bytes, ...]]:
    """Example artifacts by the parser that recognises them."""
    found: dict[str, list[bytes]] = {}
    for folder in SEED_FOLDERS:
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
            if not path.is_file() or path.name.lower() == "readme.md" or path.stat().st_size > 200_000:
                continue
            text, _, binary, data = textio.head_text(path)
            candidates = [p for p in PARSERS if p.binary] if binary else PARSERS
            parser, _ = choose_parser(Head(name=path.name, text=text, data=data, binary=binary), candidates)
            if parser is not None:
                found.setdefault(parser.name, []).append(path.read_bytes())
    return {name: tuple(items) for name, items in found.items()}


MUTATIONS = ("truncate", "flip", "insert", "inject", "delete-line", "duplicate-line", "swap-lines",
             "crlf", "utf16")


@st.composite
def mutated(draw, originals: tuple[bytes, ...]) -> bytes:
    """An example artifact, damaged the ways collected files are: cut, flipped, spliced, re-encoded.

    Positions come from a hypothesis-controlled Random, so damage lands anywhere in the file
    (integers drawn directly cluster at the ends, where parsers are least fragile).
    """
    rnd = draw(st.randoms(use_true_random=False))
    data = bytearray(draw(st.sampled_from(originals)))
    for _ in range(rnd.randint(1, 4)):
        action = rnd.choice(MUTATIONS)
        lines = bytes(data).split(b"\n")
        if action == "truncate" and data:
            del data[rnd.randrange(len(data)):]
        elif action == "flip" and data:
            for _ in range(rnd.randint(1, 8)):
                data[rnd.randrange(len(data))] = rnd.randrange(256)
        elif action == "insert":
            at = rnd.randint(0, len(data))
            data[at:at] = draw(st.binary(max_size=64))
        elif action == "inject":
            lines.insert(rnd.randint(0, len(lines)), rnd.choice(INJECTIONS).encode("utf-8", "surrogateescape"))
            data = bytearray(b"\n".join(lines))
        elif action == "delete-line" and len(lines) > 1:
            del lines[rnd.randrange(len(lines))]
            data = bytearray(b"\n".join(lines))
        elif action == "duplicate-line" and lines:
            at = rnd.randrange(len(lines))
            lines.insert(at, lines[at])
            data = bytearray(b"\n".join(lines))
        elif action == "swap-lines" and len(lines) > 1:
            a, b = rnd.randrange(len(lines)), rnd.randrange(len(lines))
            lines[a], lines[b] = lines[b], lines[a]
            data = bytearray(b"\n".join(lines))
        elif action == "crlf":
            data = bytearray(bytes(data).replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
        elif action == "utf16":
            data = bytearray(b"\xff\xfe" + bytes(data).decode("utf-8", "replace").encode("utf-16-le"))
    return bytes(data)


def ids(parser):
    return parser.name


@pytest.mark.parametrize("parser", PARSERS, ids=ids)
def test_arbitrary_bytes_raise_nothing_but_parse_error(parser):
    @FUZZ
    @given(st.one_of(st.binary(max_size=4000),
                     st.lists(st.sampled_from(INJECTIONS) | st.text(max_size=80), max_size=40)
                     .map(lambda parts: "\n".join(parts).encode("utf-8", "surrogateescape"))))
    def check(data):
        run_parser(parser, data)

    with backstop():
        check()


@pytest.mark.parametrize("parser", PARSERS, ids=ids)
def test_mutated_examples_raise_nothing_but_parse_error(parser):
    originals = seeds().get(parser.name)
    if not originals:
        pytest.skip(f"no example artifact is recognised by {parser.name}")
    for original in originals:  # the unharmed examples first: they must parse cleanly
        run_parser(parser, original)

    @FUZZ_MUTATED
    @given(mutated(originals))
    def check(data):
        run_parser(parser, data)

    with backstop():
        check()


@pytest.mark.parametrize("parser", PARSERS, ids=ids)
def test_recognise_never_raises(parser):
    @FUZZ
    @given(st.binary(max_size=3000), st.text(max_size=40))
    def check(data, name):
        text, _, binary, raw = textio.head_text_of(data)
        with time_limit(HANG_SECONDS):
            score = parser.recognise(Head(name=name, text=text, data=raw, binary=binary))
        assert int(score or 0) >= 0

    with backstop():
        check()
