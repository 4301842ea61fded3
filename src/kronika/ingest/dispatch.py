"""Which reader reads what: walking paths, choosing a format, unpacking ``.gz``.

Why a guard around every file: one bad file must never end a batch of thousands. Each
reader already turns the bad records it knows about into ``IngestProblem``s; anything a
reader did not foresee (a library raising on strange bytes) is caught at the file level,
recorded as a problem for that file, and the walk goes on. Only a path that does not exist
raises, before anything is read, because that is a typo to fix, not bad data.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from kronika.config import Settings
from kronika.errors import IngestError, KronikaError
from kronika.ingest.decode import decode_bytes
from kronika.ingest.records import K_DECODE, K_EMPTY, K_FILE, K_OUTSIDE, K_TOO_LONG, checked
from kronika.ingest.tabular import LongLine, read_csv, read_json, read_jsonl
from kronika.ingest.text import read_text_article
from kronika.ingest.web import read_feed, read_html, read_url, sniff_markup
from kronika.model import Article, IngestProblem

Record = Article | IngestProblem

# Suffix (after any ".gz") → format. Directory walks read only these (and suffix-less
# files); a file named explicitly is read whatever its suffix, by sniffing its content.
FORMATS: dict[str, str] = {
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv", ".tsv": "tsv",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".rss": "feed", ".atom": "feed",
    ".xml": "sniff", ".txt": "text", ".text": "text", "": "sniff",
    ".tml": "timeml", ".te3input": "timeml",
}
_URL = re.compile(r"https?://", re.I)
STDIN_LABEL = "<stdin>"


def iter_records(
    paths: Iterable[Path | str], settings: Settings, *, stdin: BinaryIO | None = None,
) -> Iterator[Record]:
    """Every article (or problem) under ``paths``: files, directories (recursive, sorted,
    hidden entries skipped), ``.gz`` files, ``-`` for stdin, ``http(s)://`` feed/page URLs.

    Raises ``IngestError`` (K100) up front when a path does not exist; never for bad data.
    """
    # ``Path("-")`` (what a CLI argument typed as a path gives) means stdin too.
    items = [str(p) if not isinstance(p, Path) or str(p) == "-" else p for p in paths]
    for item in items:
        if isinstance(item, str) and (item == "-" or _URL.match(item)):
            continue
        if not Path(item).exists():
            raise IngestError(f"no such file or directory: {item}", code="K100")
    for item in items:
        if item == "-":
            yield from _guarded(_read_stdin(stdin, settings), STDIN_LABEL)
        elif isinstance(item, str) and _URL.match(item):
            yield from _guarded(read_url(item, settings), item)
        elif Path(item).is_dir():
            for f in walk(Path(item), settings):
                if isinstance(f, IngestProblem):
                    yield f
                else:
                    yield from _guarded(read_file(f, settings), str(f))
        else:
            yield from _guarded(read_file(Path(item), settings), str(item))


def walk(root: Path, settings: Settings | None = None) -> Iterator[Path | IngestProblem]:
    """Readable files under ``root`` in sorted order, skipping hidden files and folders and
    files whose suffix is not a known article format (READMEs, images).

    The walk never leaves ``root`` unasked: a symlinked file or folder that resolves outside
    ``root`` is skipped and reported as a K109 problem (``2019-05-30-x.txt -> /etc/passwd``
    must not become an article; a folder silently left out would look like missing data)
    unless ``settings.allow_outside_symlinks``, when it is read too (each real folder once,
    so a symlink loop ends). A symlinked folder inside ``root`` is not entered: its files
    are read where they really are."""
    allow = settings is not None and settings.allow_outside_symlinks
    seen: set[Path] = set()
    yield from _walk(root, root, allow, seen)


def _walk(root: Path, top: Path, allow: bool, seen: set[Path]) -> Iterator[Path | IngestProblem]:
    try:
        real = top.resolve()
    except (OSError, RuntimeError):
        return
    if real in seen:
        return
    seen.add(real)
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        here = Path(dirpath)
        for d in dirnames:
            sub = here / d
            if sub.is_symlink() and leaves_root(root, sub):
                if allow:
                    yield from _walk(root, sub, allow, seen)
                else:
                    yield IngestProblem(str(sub), "symlink to a folder outside the folder being read; "
                                        "skipped (set allow_outside_symlinks to read it)", K_OUTSIDE)
        for name in sorted(filenames):
            if not name.startswith(".") and format_of(name, strict=True) is not None:
                path = here / name
                if not allow and leaves_root(root, path):
                    yield IngestProblem(str(path), "symlink to a file outside the folder being read; "
                                        "skipped (set allow_outside_symlinks to read it)", K_OUTSIDE)
                    continue
                yield path


def leaves_root(root: Path, path: Path) -> bool:
    """True when ``path`` (under ``root``) resolves outside ``root``: it is, or sits in a
    folder that is, a symlink leading out."""
    try:
        base, target = root.resolve(), path.resolve()
    except (OSError, RuntimeError):  # a symlink loop: nowhere safe to go
        return True
    return target != base and base not in target.parents


def format_of(name: str, *, strict: bool = False) -> str | None:
    """The format a file name implies ("jsonl", "csv", …, "sniff"); None for an unknown
    suffix when ``strict``, else "sniff"."""
    inner = name[:-3] if name.lower().endswith(".gz") else name
    suffix = Path(inner).suffix.lower()
    if suffix and not re.fullmatch(r"\.[a-z0-9]+", suffix):
        suffix = ""  # "report.2019" or "v1.final draft": not a real suffix
    fmt = FORMATS.get(suffix)
    if fmt is None and not strict:
        return "sniff"
    return fmt


def read_file(path: Path, settings: Settings) -> Iterator[Record]:
    """The records of one file, chosen by suffix (``.gz`` unpacked) or by content."""
    label = str(path)
    gz = path.name.lower().endswith(".gz")
    name = path.name[:-3] if gz else path.name
    fmt = format_of(path.name) or "sniff"
    if fmt == "timeml":
        yield _read_timeml(path, settings)
        return
    try:
        if fmt == "jsonl":
            with open_input(path, gz, settings) as f:
                any_record = False
                for rec in read_jsonl(lines_of(f, byte_cap("text", settings)), settings, label=label):
                    any_record = True
                    yield rec
            if not any_record:  # no line held anything: say so rather than nothing at all
                yield empty_file(label)
            return
        cap = byte_cap(fmt, settings)
        size = path.stat().st_size
        if not gz and size > cap:  # refused before a byte is read: memory stays flat
            yield too_big(label, fmt, size, cap, settings)
            return
        with open_input(path, gz, settings) as f:
            data = _read_capped(f, cap)
    except DecompressedTooLarge as exc:
        yield IngestProblem(label, f"file too large: {exc}; not read further", K_TOO_LONG)
        return
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        yield IngestProblem(label, f"broken gzip file: {exc}", K_FILE)
        return
    except OSError as exc:
        yield IngestProblem(label, f"cannot read file: {exc}", K_FILE)
        return
    if len(data) > cap:
        yield too_big(label, fmt, len(data), cap, settings, unpacked=True)
        return
    if not data.strip():
        yield empty_file(label)
        return
    yield from read_bytes(data, fmt, settings, label=label, name=name)


def empty_file(label: str) -> IngestProblem:
    """The K104 problem for a file (or stdin) holding nothing but whitespace: said as such,
    not as the missing date or CSV header a reader would otherwise complain about."""
    what = "empty input (nothing on stdin)" if label == STDIN_LABEL else "empty file"
    return IngestProblem(label, what, K_EMPTY)


# Formats read whole that hold one article; the others (csv, tsv, json, feed) hold many.
_SINGLE_ARTICLE = ("text", "html", "sniff")


def byte_cap(fmt: str, settings: Settings) -> int:
    """The most bytes a file read whole may have. One article: 4 bytes per allowed
    character (UTF-8's widest) plus room for markup and a header; a file of many
    articles (CSV, JSON, feeds): ``max_file_bytes`` (1 GiB unless configured)."""
    if fmt in _SINGLE_ARTICLE:
        return 4 * settings.max_article_chars + (1 << 20)
    return settings.ingest.max_file_bytes


def too_big(label: str, fmt: str, size: int, cap: int, settings: Settings, *, unpacked: bool = False) -> IngestProblem:
    """The K105 problem for a file refused by size, naming the file, its size and the limit."""
    what = f"unpacks to more than {cap} bytes" if unpacked else f"is {size} bytes > limit {cap} bytes"
    if fmt in _SINGLE_ARTICLE:
        return IngestProblem(f"{label}:1", f"article too long: file {what} "
                             f"(max_article_chars {settings.max_article_chars}); not read", K_TOO_LONG)
    return IngestProblem(label, f"file too large: {what} (max_file_bytes); not read", K_TOO_LONG)


class DecompressedTooLarge(Exception):
    """A ``.gz`` file unpacked to more than ``settings.max_decompressed_bytes``."""


class _CappedGzip(io.RawIOBase):
    """A gzip stream that counts the bytes it unpacks and raises ``DecompressedTooLarge``
    once they pass ``cap``: a bomb costs at most ``cap`` bytes of work, never memory
    beyond what the reader above asked for."""

    def __init__(self, path: Path, cap: int) -> None:
        self._src = gzip.open(path, "rb")
        self._cap = cap
        self._seen = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        # At most 64 KiB per call: gzip's own large reads overshoot (zlib grows its buffers)
        data = self._src.read(min(len(buffer), 1 << 16))
        n = len(data)
        memoryview(buffer).cast("B")[:n] = data
        self._seen += n
        if self._seen > self._cap:
            raise DecompressedTooLarge(
                f"unpacks to more than {self._cap} bytes (max_decompressed_bytes)")
        return n

    def close(self) -> None:
        if not self.closed:
            self._src.close()
        super().close()


def open_input(path: Path, gz: bool, settings: Settings) -> BinaryIO:
    """THE way ingest opens a file: plain, or a ``.gz`` unpacked as a stream whose unpacked
    size is capped by ``settings.max_decompressed_bytes`` (every format goes through here)."""
    if not gz:
        return path.open("rb")
    return io.BufferedReader(_CappedGzip(path, settings.max_decompressed_bytes), buffer_size=1 << 16)


_CHUNK = 1 << 20


def _read_capped(f: BinaryIO, cap: int) -> bytes:
    """The stream's bytes, at most ``cap + 1`` of them, read a chunk at a time: a caller
    seeing more than ``cap`` knows the file is over the limit without holding it."""
    buf = bytearray()
    while len(buf) <= cap:
        chunk = f.read(min(_CHUNK, cap + 1 - len(buf)))
        if not chunk:
            break
        buf += chunk
    return bytes(buf) if len(buf) <= cap else bytes(buf[: cap + 1])


def lines_of(f: BinaryIO, limit: int) -> Iterator[bytes]:
    """The lines of ``f``, none held longer than ``limit`` bytes: a longer one is skipped to
    its end and stands as a ``LongLine`` (its reader reports it, K105), so one endless line
    (a bomb of zeros has no newline) never fills memory."""
    while True:
        line = f.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            size, start = len(line), line[:64]
            del line  # hold no more than one piece of the long line at a time
            while True:
                rest = f.readline(1 << 16)
                size += len(rest)
                if not rest or rest.endswith(b"\n"):
                    size -= rest.endswith(b"\n")
                    break
            yield LongLine(size, limit, start)
            continue
        yield line


def read_bytes(data: bytes, fmt: str, settings: Settings, *, label: str, name: str | None) -> Iterator[Record]:
    """Records from a whole document already in memory; ``fmt`` as ``format_of`` gives."""
    if fmt in ("sniff", "feed", "html"):
        kind = sniff_markup(data) or (fmt if fmt != "sniff" else None)
        if kind == "feed":
            yield from read_feed(data, settings, label=label)
            return
        if kind == "html":
            yield read_html(data, settings, origin=f"{label}:1", name=name)
            return
    decoded = decode_bytes(data)
    if decoded.text is None:
        yield IngestProblem(f"{label}:1", decoded.reason or "undecodable", K_DECODE)
        return
    text = decoded.text
    if fmt in ("csv", "tsv"):
        yield from read_csv(text, settings, label=label, delimiter="\t" if fmt == "tsv" else None)
    elif fmt == "json" or (fmt == "sniff" and text.lstrip()[:1] in ("{", "[")):
        yield from read_json(text, settings, label=label)
    else:
        yield read_text_article(text, settings, origin=f"{label}:1", name=name)


def _read_stdin(stream: BinaryIO | None, settings: Settings) -> Iterator[Record]:
    """``-``: JSON lines (streamed) when the first line is an object, else one document.

    Bounded like a file: no line is held past the JSON-line limit and a single document
    past the one-article byte cap is refused (K105) without reading the rest into memory."""
    import sys

    src = stream if stream is not None else sys.stdin.buffer
    cap = byte_cap("sniff", settings)
    lines = lines_of(src, byte_cap("text", settings))
    head: list[bytes] = []  # blank lines before the first content line, kept for offsets
    first = next(lines, b"")
    while first and not first.strip():
        head.append(first)
        first = next(lines, b"")
    long_first = isinstance(first, LongLine)
    head.append(first)
    if not first and not long_first:
        yield empty_file(STDIN_LABEL)
        return
    opening = first.start if isinstance(first, LongLine) else first
    if opening.lstrip(b"\xef\xbb\xbf \t").startswith(b"{"):
        yield from read_jsonl(_prepend(head, lines), settings, label=STDIN_LABEL)
        return
    if long_first:
        yield _stdin_too_long(cap, settings)
        return
    data = bytearray(b"".join(head))
    for line in lines:
        if isinstance(line, LongLine) or len(data) + len(line) > cap:
            yield _stdin_too_long(cap, settings)
            return
        data += line
    yield from read_bytes(bytes(data), "sniff", settings, label=STDIN_LABEL, name=None)


def _stdin_too_long(cap: int, settings: Settings) -> IngestProblem:
    return IngestProblem(f"{STDIN_LABEL}:1", f"article too long: stdin holds more than {cap} bytes "
                         f"(max_article_chars {settings.max_article_chars}); not read", K_TOO_LONG)


def _prepend(head: list[bytes], rest: Iterator[bytes]) -> Iterator[bytes]:
    yield from head
    yield from rest


def _read_timeml(path: Path, settings: Settings) -> Record:
    """A TimeML file, read by ``kronika.timeml`` (which also writes TIMEX3 tags back through the
    same character map); imported only when one is met."""
    from kronika.timeml import read_timeml_article

    try:
        return checked(read_timeml_article(path), settings)
    except KronikaError as exc:
        return IngestProblem(str(path), str(exc.args[0]), exc.code)
    except (ValueError, OverflowError) as exc:  # e.g. a character reference out of range
        return IngestProblem(str(path), f"malformed TimeML: {exc}", "K102")


def _guarded(records: Iterator[Record], origin: str) -> Iterator[Record]:
    """Pass ``records`` through; an exception no reader foresaw becomes one problem."""
    try:
        yield from records
    except Exception as exc:  # noqa: BLE001 - the contract: bad input never ends a batch
        yield IngestProblem(origin, f"unexpected {type(exc).__name__} while reading: {exc}", K_FILE)
