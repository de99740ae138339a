"""Arrow schemas of the stored tables, and conversion of the pipeline's dataclasses into Arrow batches.

The `EVENTS` schema is the contract analysts rely on: the same names and types in DuckDB and in every Parquet
export (CAMEO codes are strings that keep their leading zeros, dates are DATE, flags are BOOLEAN).
"""

from __future__ import annotations

import pyarrow as pa

from events.cameo import lookup
from events.coder import CodedArticle, EventMention, SentenceRow
from events.read import Article, Reject
from events.store import utcnow

ARTICLES = pa.schema(
    [
        ("article_id", pa.string()),
        ("title", pa.string()),
        ("text", pa.string()),
        ("published_date", pa.date32()),
        ("published_at", pa.timestamp("us")),
        ("url", pa.string()),
        ("publisher", pa.string()),
        ("source_file", pa.string()),
        ("source_line", pa.int64()),
        ("ingested_at", pa.timestamp("us")),
        ("ingest_run_id", pa.string()),
    ]
)

SENTENCES = pa.schema(
    [
        ("article_id", pa.string()),
        ("sentence_index", pa.int32()),
        ("paragraph_index", pa.int32()),
        ("char_start", pa.int32()),
        ("char_end", pa.int32()),
        ("text", pa.string()),
    ]
)

EVENTS = pa.schema(
    [
        ("event_id", pa.string()),
        ("article_id", pa.string()),
        ("sentence_index", pa.int32()),
        ("event_date", pa.date32()),
        ("date_precision", pa.string()),
        ("published_date", pa.date32()),
        ("source_code", pa.string()),
        ("source_name", pa.string()),
        ("source_country", pa.string()),
        ("source_role", pa.string()),
        ("target_code", pa.string()),
        ("target_name", pa.string()),
        ("target_country", pa.string()),
        ("target_role", pa.string()),
        ("event_code", pa.string()),
        ("event_base_code", pa.string()),
        ("event_root_code", pa.string()),
        ("quad_class", pa.int8()),
        ("goldstein", pa.float64()),
        ("action_text", pa.string()),
        ("is_root_event", pa.bool_()),
        ("attribution", pa.string()),
        ("modality", pa.string()),
        ("confidence", pa.float64()),
        ("location_name", pa.string()),
        ("location_country", pa.string()),
        ("location_admin1", pa.string()),
        ("latitude", pa.float64()),
        ("longitude", pa.float64()),
        ("coder_version", pa.string()),
        ("source_start", pa.int32()),
        ("source_end", pa.int32()),
        ("target_start", pa.int32()),
        ("target_end", pa.int32()),
        ("action_start", pa.int32()),
        ("action_end", pa.int32()),
        ("pattern", pa.string()),
        ("how_found", pa.string()),
        ("date_text", pa.string()),
        ("location_feature_id", pa.string()),
        ("location_type", pa.string()),
        ("location_rule", pa.string()),
        ("source_rule", pa.string()),
        ("target_rule", pa.string()),
    ]
)

REJECTS = pa.schema(
    [
        ("reject_id", pa.string()),
        ("run_id", pa.string()),
        ("source_file", pa.string()),
        ("line_number", pa.int64()),
        ("byte_offset", pa.int64()),
        ("record_id", pa.string()),
        ("reason", pa.string()),
        ("excerpt", pa.string()),
        ("rejected_at", pa.timestamp("us")),
        ("severity", pa.string()),
    ]
)


def articles_table(articles: list[Article], run_id: str) -> pa.Table:
    now = utcnow()
    rows = [
        {
            "article_id": a.article_id,
            "title": a.title,
            "text": a.text,
            "published_date": a.published_date,
            "published_at": a.published_at,
            "url": a.url,
            "publisher": a.publisher,
            "source_file": a.source_file,
            "source_line": a.source_line,
            "ingested_at": now,
            "ingest_run_id": run_id,
        }
        for a in articles
    ]
    return pa.Table.from_pylist(rows, schema=ARTICLES)


def rejects_table(rejects: list[Reject], run_id: str) -> pa.Table:
    now = utcnow()
    rows = [
        {
            "reject_id": r.reject_id,
            "run_id": run_id,
            "source_file": r.source_file,
            "line_number": r.line_number,
            "byte_offset": r.byte_offset,
            "record_id": r.record_id,
            "reason": r.reason,
            "excerpt": r.excerpt,
            "rejected_at": now,
            "severity": r.severity,
        }
        for r in rejects
    ]
    return pa.Table.from_pylist(rows, schema=REJECTS)


def sentences_table(sentences: list[SentenceRow]) -> pa.Table:
    return pa.Table.from_pylist([s.__dict__ for s in sentences], schema=SENTENCES)


def event_row(event: EventMention, article: Article, coder_version: str) -> dict:
    code = lookup(event.code)
    source, target = event.source, event.target
    when = event.when
    # No date expression: the event is dated by publication, to the day.
    event_date = when.date if when else article.published_date
    precision = when.precision if when else ("day" if article.published_date else None)
    place, place_reason = event.where if event.where else (None, None)
    return {
        "event_id": event.event_id,
        "article_id": event.article_id,
        "sentence_index": event.sentence_index,
        "event_date": event_date,
        "date_precision": precision,
        "published_date": article.published_date,
        "source_code": source.code if source else None,
        "source_name": source.name if source else None,
        "source_country": source.country if source else None,
        "source_role": source.role if source else None,
        "target_code": target.code if target else None,
        "target_name": target.name if target else None,
        "target_country": target.country if target else None,
        "target_role": target.role if target else None,
        "event_code": code.code,
        "event_base_code": code.base,
        "event_root_code": code.root,
        "quad_class": code.quad_class,
        "goldstein": code.goldstein,
        "action_text": event.action_text,
        "is_root_event": event.is_root_event,
        "attribution": event.attribution,
        "modality": event.modality,
        "confidence": event.confidence,
        "location_name": place.name if place else None,
        "location_country": place.country if place else None,
        "location_admin1": place.admin1 if place else None,
        "latitude": place.latitude if place else None,
        "longitude": place.longitude if place else None,
        "coder_version": coder_version,
        "source_start": source.start if source else None,
        "source_end": source.end if source else None,
        "target_start": target.start if target else None,
        "target_end": target.end if target else None,
        "action_start": event.action_start,
        "action_end": event.action_end,
        "pattern": event.pattern,
        "how_found": event.how_found,
        "date_text": when.text if when else None,
        "location_feature_id": place.feature_id if place else None,
        "location_type": place.type if place else None,
        "location_rule": place_reason,
        "source_rule": source.rule if source else None,
        "target_rule": target.rule if target else None,
    }


def coded_tables(coded: list[CodedArticle], coder_version: str) -> tuple[pa.Table, pa.Table]:
    """(sentences, events) Arrow tables for a batch of coded articles."""
    sentences = [s for c in coded for s in c.sentences]
    events = [event_row(e, c.article, coder_version) for c in coded for e in c.events]
    return sentences_table(sentences), pa.Table.from_pylist(events, schema=EVENTS)
