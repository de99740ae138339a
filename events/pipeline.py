"""The Python API behind the CLI: ingest articles, code them, or both (`run`).

    from events.pipeline import run
    result = run(["articles.jsonl"], db_path="events.duckdb")
    print(result.ingested, result.events)

Reading and coding stream in batches; each batch is written in one transaction, so a killed run loses at most the
batch in flight and a rerun picks up exactly where it stopped.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

import pyarrow as pa

from events import store
from events.coder import CodedArticle, Coder, CoderOptions, coder_version
from events.parse import load_model, model_label, parse_articles
from events.prefilter import prefilter
from events.read import Article, ReadOptions, Reject, read_inputs
from events.tables import articles_table, coded_tables, rejects_table

INGEST_BATCH = 1000
CODE_PAGE = 256  # articles fetched, coded and committed together
WORKER_CHUNK = 16  # articles sent to a worker process at once

Progress = Callable[[str, int, int | None], None]  # (stage, done, total)


def _no_progress(stage: str, done: int, total: int | None) -> None:
    pass


@dataclass
class RunResult:
    run_id: str = ""
    ingested: int = 0
    duplicates: int = 0
    rejected: int = 0
    coded: int = 0
    events: int = 0
    reject_reasons: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- ingest


def _batches(records: Iterator, size: int) -> Iterator[list]:
    while True:
        batch = list(islice(records, size))
        if not batch:
            return
        yield batch


def ingest_into(
    con,
    inputs: list[str],
    run_id: str,
    read_options: ReadOptions | None = None,
    progress: Progress = _no_progress,
) -> RunResult:
    result = RunResult(run_id=run_id)
    seen = 0
    for batch in _batches(read_inputs(inputs, read_options), INGEST_BATCH):
        articles = [r for r in batch if isinstance(r, Article)]
        rejects = [r for r in batch if isinstance(r, Reject)]
        with store.transaction(con):
            new = store.insert_ignoring_duplicates(con, "articles", articles_table(articles, run_id))
            store.insert_ignoring_duplicates(con, "rejects", rejects_table(rejects, run_id))
        result.ingested += new
        result.duplicates += len(articles) - new
        result.rejected += len(rejects)
        result.reject_reasons.extend(f"{r.source_file}:{r.line_number or '-'}: {r.reason}" for r in rejects)
        seen += len(batch)
        progress("ingest", seen, None)
    return result


def ingest(
    inputs: list[str],
    db_path: str | Path,
    read_options: ReadOptions | None = None,
    progress: Progress = _no_progress,
) -> RunResult:
    con = store.connect(db_path)
    run_id = store.start_run(con, "ingest", inputs)
    try:
        result = ingest_into(con, inputs, run_id, read_options, progress)
    except BaseException as exc:
        store.finish_run(con, run_id, "failed", {}, str(exc) or type(exc).__name__)
        raise
    store.finish_run(con, run_id, "succeeded", {"ingested": result.ingested, "rejected": result.rejected})
    con.close()
    return result


# ---------------------------------------------------------------- code

_worker_state: dict = {}


def _init_worker(model: str | None, options: CoderOptions) -> None:
    _worker_state["nlp"] = load_model(model)
    _worker_state["coder"] = Coder(options)


def code_articles(
    articles: list[Article], nlp=None, coder: Coder | None = None, use_prefilter: bool | None = None
) -> list[CodedArticle]:
    """Parse and code a list of articles (in this process)."""
    nlp = nlp or _worker_state["nlp"]
    coder = coder or _worker_state["coder"]
    if use_prefilter is None:
        use_prefilter = coder.options.prefilter
    keep = prefilter().keep if use_prefilter else None
    parsed = parse_articles(nlp, [a.text for a in articles], keep)
    return [coder.code(article, p) for article, p in zip(articles, parsed, strict=True)]


def _code_chunk(articles: list[Article]) -> tuple[list[str], pa.Table, pa.Table]:
    coded = code_articles(articles)
    sentences, events = coded_tables(coded, _worker_state["coder"].version)
    return [a.article_id for a in articles], sentences, events


def _pending_pages(con, version: str, page_size: int) -> Iterator[list[Article]]:
    """Articles not coded by `version`, a page at a time, in article_id order (keyset pagination)."""
    last = ""
    while True:
        rows = con.execute(
            "SELECT article_id, text, title, published_date, published_at, url, publisher, source_file, source_line "
            "FROM articles WHERE coder_version IS DISTINCT FROM ? AND article_id > ? ORDER BY article_id LIMIT ?",
            [version, last, page_size],
        ).fetchall()
        if not rows:
            return
        last = rows[-1][0]
        yield [Article(*row) for row in rows]


def count_pending(con, version: str) -> int:
    return store.scalar(
        con, "SELECT count(*) FROM articles WHERE coder_version IS DISTINCT FROM ?", [version]
    )


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def code_into(
    con,
    run_id: str,
    model: str | None = None,
    workers: int = 1,
    options: CoderOptions | None = None,
    progress: Progress = _no_progress,
) -> RunResult:
    options = options or CoderOptions()
    version = coder_version()
    result = RunResult(run_id=run_id)
    total = count_pending(con, version)
    if total == 0:
        return result
    workers = max(1, min(workers, (total + WORKER_CHUNK - 1) // WORKER_CHUNK))
    pool = None
    if workers > 1:
        pool = multiprocessing.get_context("spawn").Pool(workers, _init_worker, (model, options))
    else:
        _init_worker(model, options)
    try:
        for page in _pending_pages(con, version, CODE_PAGE):
            chunks = [page[i : i + WORKER_CHUNK] for i in range(0, len(page), WORKER_CHUNK)]
            outputs = pool.map(_code_chunk, chunks) if pool else [_code_chunk(chunk) for chunk in chunks]
            ids = [i for out in outputs for i in out[0]]
            sentences = pa.concat_tables([out[1] for out in outputs])
            events = pa.concat_tables([out[2] for out in outputs])
            store.replace_coding(con, ids, sentences, events, version)
            result.coded += len(ids)
            result.events += events.num_rows
            progress("code", result.coded, total)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    return result


def code(
    db_path: str | Path,
    model: str | None = None,
    workers: int = 1,
    options: CoderOptions | None = None,
    progress: Progress = _no_progress,
) -> RunResult:
    nlp = load_model(model)  # fail fast, before touching the database, when the model is missing
    con = store.connect(db_path)
    run_id = store.start_run(con, "code", coder_version=coder_version(), model=model_label(nlp))
    try:
        result = code_into(con, run_id, model, workers, options, progress)
    except BaseException as exc:
        store.finish_run(con, run_id, "failed", {}, str(exc) or type(exc).__name__)
        raise
    store.finish_run(con, run_id, "succeeded", {"coded": result.coded, "events": result.events})
    con.close()
    return result


def run(
    inputs: list[str],
    db_path: str | Path,
    model: str | None = None,
    workers: int = 1,
    options: CoderOptions | None = None,
    read_options: ReadOptions | None = None,
    progress: Progress = _no_progress,
) -> RunResult:
    """Ingest `inputs` and code every article not yet coded by this coder version."""
    nlp = load_model(model)
    con = store.connect(db_path)
    run_id = store.start_run(con, "run", inputs, coder_version(), model_label(nlp))
    try:
        result = ingest_into(con, inputs, run_id, read_options, progress)
        coded = code_into(con, run_id, model, workers, options, progress)
    except BaseException as exc:
        store.finish_run(con, run_id, "failed", {}, str(exc) or type(exc).__name__)
        raise
    result.coded, result.events = coded.coded, coded.events
    store.finish_run(
        con,
        run_id,
        "succeeded",
        {
            "ingested": result.ingested,
            "rejected": result.rejected,
            "coded": result.coded,
            "events": result.events,
        },
    )
    con.close()
    return result
