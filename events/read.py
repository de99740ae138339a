"""Read articles: JSONL/NDJSON, CSV, Parquet, text files, folders and stdin, streamed one record at a time.

Every input record becomes either an `Article` or a `Reject` (with file, line and reason); nothing raises on bad
input, so the good records of a file always land.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}
CSV_SUFFIXES = {".csv"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
TEXT_SUFFIXES = {".txt", ".text"}
SUPPORTED_SUFFIXES = JSONL_SUFFIXES | CSV_SUFFIXES | PARQUET_SUFFIXES | TEXT_SUFFIXES
DEFAULT_MAX_CHARS = 1_000_000
EXCERPT_BYTES = 1024


@dataclass(frozen=True)
class Article:
    article_id: str
    text: str
    title: str | None = None
    published_date: dt.date | None = None
    published_at: dt.datetime | None = None
    url: str | None = None
    publisher: str | None = None
    source_file: str | None = None
    source_line: int | None = None


@dataclass(frozen=True)
class Reject:
    source_file: str
    reason: str
    line_number: int | None = None
    byte_offset: int | None = None
    record_id: str | None = None
    excerpt: str | None = None
    severity: str = "error"  # or "warning": the record was kept, with a problem

    @property
    def reject_id(self) -> str:
        key = f"{self.source_file}\x1f{self.line_number}\x1f{self.byte_offset}\x1f{self.reason}"
        return hashlib.sha256(key.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class ReadOptions:
    max_chars: int = DEFAULT_MAX_CHARS
    encoding_errors: str = "strict"  # or "replace": keep records with invalid UTF-8, with U+FFFD


Record = Article | Reject | tuple[Article, Reject]  # an article kept with a warning comes with it


def text_id(text: str) -> str:
    """Article id for input without one: a hash of the whitespace-normalised text."""
    normalised = " ".join(text.split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:16]


def parse_published(value: Any) -> tuple[dt.date | None, dt.datetime | None]:
    """Publication date and, when a time of day is given, timestamp (UTC-naive). Raises ValueError."""
    if value is None or value == "":
        return None, None
    if isinstance(value, dt.datetime):
        return value.date(), value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return value, None
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return dt.date.fromisoformat(text), None
    try:
        stamp = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        stamp = _parse_loose_date(text)
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(dt.UTC).replace(tzinfo=None)
    return stamp.date(), stamp


def _parse_loose_date(text: str) -> dt.datetime:
    import dateparser  # imported lazily: it is slow to import and most feeds use ISO dates

    parsed = dateparser.parse(
        text, settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]}
    )
    if parsed is None:
        raise ValueError(f"unreadable date {text[:40]!r}")
    return parsed


def _excerpt(raw: bytes | str) -> str:
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "replace")
    return raw[:EXCERPT_BYTES].decode("utf-8", "replace")


def article_from_record(
    record: Any,
    source: str,
    line: int | None,
    options: ReadOptions,
    offset: int | None = None,
    raw: bytes | str = b"",
) -> Record:
    """Validate one mapping (a JSON object, CSV row or Parquet row) and turn it into an Article."""

    def reject(reason: str, record_id: str | None = None) -> Reject:
        return Reject(source, reason, line, offset, record_id, _excerpt(raw))

    if not isinstance(record, dict):
        return reject(f"record is a JSON {type(record).__name__}, not an object")
    record_id = record.get("id")
    record_id = None if record_id in (None, "") else str(record_id)
    text = record.get("text")
    if text is None:
        return reject("missing text field", record_id)
    if not isinstance(text, str):
        return reject(f"text is a {type(text).__name__}, not a string", record_id)
    if not text.strip():
        return reject("empty text", record_id)
    if len(text) > options.max_chars:
        return reject(
            f"text has {len(text):,} characters, over the limit of {options.max_chars:,}", record_id
        )
    published = record.get("published", record.get("date"))
    try:
        published_date, published_at = parse_published(published)
    except (ValueError, TypeError, OverflowError):
        # The article is kept, with no date, and the problem is recorded as a warning.
        published_date, published_at = None, None
        warning = Reject(
            source,
            f"unreadable published date {str(published)[:40]!r}: stored as NULL",
            line,
            offset,
            record_id,
            _excerpt(raw),
            "warning",
        )
    else:
        warning = None
    article = Article(
        article_id=record_id or text_id(text),
        text=text,
        title=_optional_str(record.get("title")),
        published_date=published_date,
        published_at=published_at,
        url=_optional_str(record.get("url")),
        publisher=_optional_str(record.get("publisher")),
        source_file=source,
        source_line=line,
    )
    return (article, warning) if warning else article


def _optional_str(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


# ---------------------------------------------------------------- formats


def read_jsonl(stream: BinaryIO, source: str, options: ReadOptions) -> Iterator[Record]:
    offset = 0
    for line_number, raw in enumerate(stream, start=1):
        start, offset = offset, offset + len(raw)
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8", options.encoding_errors)
        except UnicodeDecodeError as exc:
            yield Reject(
                source, f"invalid UTF-8 at byte {exc.start}", line_number, start, None, _excerpt(raw)
            )
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Reject(
                source,
                f"malformed JSON: {exc.msg} at column {exc.colno}",
                line_number,
                start,
                None,
                _excerpt(raw),
            )
            continue
        yield article_from_record(record, source, line_number, options, start, raw)


def read_csv(path: Path, options: ReadOptions) -> Iterator[Record]:
    source = str(path)
    with path.open("rb") as handle:
        data = handle.read()
    try:
        content = data.decode("utf-8-sig", options.encoding_errors)
    except UnicodeDecodeError as exc:
        yield Reject(source, f"invalid UTF-8 at byte {exc.start}", None, exc.start, None, _excerpt(data))
        return
    reader = csv.DictReader(io.StringIO(content, newline=""))
    fields = [name.strip().lower() for name in (reader.fieldnames or [])]
    if "text" not in fields:
        yield Reject(source, "CSV has no text column", None, None, None, _excerpt(content))
        return
    reader.fieldnames = fields
    previous_line = 1
    for row in reader:
        line = previous_line + 1
        previous_line = reader.line_num
        record = {k: v for k, v in row.items() if k is not None}
        yield article_from_record(record, source, line, options, None, ",".join(str(v) for v in row.values()))


def read_parquet(path: Path, options: ReadOptions) -> Iterator[Record]:
    import pyarrow.parquet as pq

    source = str(path)
    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for corrupt files
        yield Reject(source, f"unreadable Parquet file: {str(exc).splitlines()[0]}")
        return
    if "text" not in parquet.schema_arrow.names:
        yield Reject(source, "Parquet file has no text column")
        return
    row_number = 0
    for batch in parquet.iter_batches(batch_size=1024):
        for record in batch.to_pylist():
            row_number += 1
            yield article_from_record(
                record, source, row_number, options, None, json.dumps(record, default=str)
            )


def read_text_file(path: Path, options: ReadOptions) -> Iterator[Record]:
    source = str(path)
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        yield Reject(source, "binary file, not text", None, None, None, None)
        return
    try:
        text = data.decode("utf-8-sig", options.encoding_errors)
    except UnicodeDecodeError as exc:
        yield Reject(source, f"invalid UTF-8 at byte {exc.start}", None, exc.start, None, _excerpt(data))
        return
    yield article_from_record({"text": text, "title": None}, source, None, options, None, data)


def read_path(path_text: str, options: ReadOptions | None = None) -> Iterator[Record]:
    """Every record of one input: a file, a folder (walked for supported files) or `-` (JSONL on stdin)."""
    options = options or ReadOptions()
    if path_text == "-":
        yield from read_jsonl(sys.stdin.buffer, "-", options)
        return
    path = Path(path_text)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
        for file in files:
            yield from read_path(str(file), options)
        return
    if not path.exists():
        yield Reject(path_text, "no such file or folder")
        return
    suffix = path.suffix.lower()
    try:
        if suffix in JSONL_SUFFIXES:
            with path.open("rb") as handle:
                if _looks_binary(handle):
                    yield Reject(path_text, "binary file, not JSON lines")
                    return
                yield from read_jsonl(handle, path_text, options)
        elif suffix in CSV_SUFFIXES:
            yield from read_csv(path, options)
        elif suffix in PARQUET_SUFFIXES:
            yield from read_parquet(path, options)
        elif suffix in TEXT_SUFFIXES:
            yield from read_text_file(path, options)
        else:
            yield Reject(
                path_text,
                f"unknown file type {suffix or '(no extension)'}: use .jsonl, .csv, .parquet or .txt",
            )
    except OSError as exc:
        yield Reject(path_text, f"cannot read file: {exc.strerror or exc}")


def _looks_binary(handle: BinaryIO) -> bool:
    head = handle.read(8192)
    handle.seek(0)
    return b"\x00" in head


def read_inputs(paths: list[str], options: ReadOptions | None = None) -> Iterator[Article | Reject]:
    """Every record of every input, in order: articles, rejects, and warnings right after their article."""
    for path in paths:
        for record in read_path(path, options):
            if isinstance(record, tuple):
                yield from record
            else:
                yield record
