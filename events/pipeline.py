"""The Python API behind the CLI: ingest articles, code them, or both (`run`).

    from events.pipeline import run
    result = run(["articles.jsonl"], db_path="events.duckdb")
    print(result.ingested, result.events)

Reading and coding stream in batches; each batch is written in one transaction, so a killed run loses at most the
batch in flight and a rerun picks up exactly where it stopped.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from multiprocessing.pool import AsyncResult
from pathlib import Path

import pyarrow as pa

from events import store
from events.aggregate import refresh_dimensions
from events.coder import CodedArticle, Coder, CoderOptions, coder_version
from events.parse import load_model, model_label, parse_articles
from events.places import Gazetteer
from events.prefilter import prefilter
from events.read import Article, ReadOptions, Reject, read_inputs
from events.tables import articles_table, coded_tables, rejects_table

INGEST_BATCH = 1000
CODE_PAGE = 256  # articles fetched and committed together
WORKER_CHUNK = 8  # articles sent to a worker process at once

Progress = Callable[[str, int, int | None], None]  # (stage, done, total)


def _no_progress(stage: str, done: int, total: int | None) -> None:
    pass


@dataclass
class RunResult:
    run_id: str = ""
    ingested: int = 0
    duplicates: int = 0
    rejected: int = 0
    warnings: int = 0
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
    result: RunResult,
    read_options: ReadOptions | None = None,
    progress: Progress = _no_progress,
) -> RunResult:
    """Store every good record of `inputs` and every reject, a batch per transaction; counts go to `result`."""
    run_id = result.run_id
    seen = 0
    for batch in _batches(read_inputs(inputs, read_options), INGEST_BATCH):
        articles = [r for r in batch if isinstance(r, Article)]
        rejects = [r for r in batch if isinstance(r, Reject)]
        with store.transaction(con):
            new = store.insert_ignoring_duplicates(con, "articles", articles_table(articles, run_id))
            store.insert_ignoring_duplicates(con, "rejects", rejects_table(rejects, run_id))
        result.ingested += new
        result.duplicates += len(articles) - new
        result.rejected += sum(r.severity == "error" for r in rejects)
        result.warnings += sum(r.severity == "warning" for r in rejects)
        result.reject_reasons.extend(
            f"{r.severity}: {r.source_file}:{r.line_number or '-'}: {r.reason}" for r in rejects
        )
        seen += len(batch)
        progress("ingest", seen, None)
    return result


@contextmanager
def recorded_run(con, command: str, inputs: list[str] = (), model: str | None = None) -> Iterator[RunResult]:
    """A row in `runs` for the work done inside: running, then succeeded with the counts of the yielded result,
    or failed with the error (a killed process leaves it running; the next run marks it failed)."""
    coding = command != "ingest"
    run_id = store.start_run(
        con,
        command,
        inputs,
        coder_version() if coding else None,
        model_label(load_model(model)) if coding else None,
    )
    result = RunResult(run_id=run_id)
    try:
        yield result
    except BaseException as exc:
        store.finish_run(con, run_id, "failed", {}, str(exc) or type(exc).__name__)
        raise
    counts = {
        "ingested": result.ingested,
        "rejected": result.rejected,
        "coded": result.coded,
        "events": result.events,
    }
    store.finish_run(con, run_id, "succeeded", counts)


def _add_coding(result: RunResult, coded: RunResult) -> None:
    result.coded, result.events = coded.coded, coded.events


def ingest(
    inputs: list[str],
    db_path: str | Path,
    read_options: ReadOptions | None = None,
    progress: Progress = _no_progress,
    wait: float = 0.0,
) -> RunResult:
    """Store articles without coding them."""
    con = store.connect(db_path, wait=wait)
    with recorded_run(con, "ingest", inputs) as result:
        ingest_into(con, inputs, result, read_options, progress)
    con.close()
    return result


# ---------------------------------------------------------------- code

_worker_state: dict = {}


def _init_worker(model: str | None, options: CoderOptions) -> None:
    _worker_state["nlp"] = load_model(model)
    _worker_state["coder"] = Coder(options)
    prefilter()
    Gazetteer.load()
    # pyarrow imports pandas (when installed) on its first conversion of Python objects, half a second: do it
    # here, so workers forked from this process share it instead of each paying it.
    pa.array([None])


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
    pool=None,
    progress: Progress = _no_progress,
) -> RunResult:
    """Code every pending article, in this process or on `pool` (see `coding_workers`). Chunks of articles go
    to the workers as they free up (at most two per worker in flight, so memory stays flat on any corpus size);
    results are written in order, about CODE_PAGE articles per transaction."""
    version = coder_version()
    result = RunResult(run_id=run_id)
    total = count_pending(con, version)
    if total == 0:
        return result
    window = 3 * pool.workers if pool is not None else 1
    batch: list[tuple[list[str], pa.Table, pa.Table]] = []

    def flush() -> None:
        ids = [i for b in batch for i in b[0]]
        events = pa.concat_tables([b[2] for b in batch])
        store.replace_coding(con, ids, pa.concat_tables([b[1] for b in batch]), events, version)
        result.coded += len(ids)
        result.events += events.num_rows
        batch.clear()
        progress("code", result.coded, total)

    def write(output: tuple[list[str], pa.Table, pa.Table]) -> None:
        batch.append(output)
        if sum(len(b[0]) for b in batch) >= CODE_PAGE:
            flush()

    # Chunks go to the workers as they free up; at most `window` are in flight, so memory stays flat.
    in_flight: deque = deque()
    for page in _pending_pages(con, version, CODE_PAGE):
        for start in range(0, len(page), WORKER_CHUNK):
            chunk = page[start : start + WORKER_CHUNK]
            if pool is None:
                write(_code_chunk(chunk))
                continue
            in_flight.append(pool.apply_async(_code_chunk, (chunk,)))
            while len(in_flight) >= window:
                write(_result(in_flight.popleft()))
    while in_flight:
        write(_result(in_flight.popleft()))
    if batch:
        flush()
    refresh_dimensions(con)  # the actors and cameo_codes tables BI tools join to
    return result


def _result(item):
    return item.get() if isinstance(item, AsyncResult) else item


@contextmanager
def coding_workers(model: str | None, options: CoderOptions | None, workers: int) -> Iterator:
    """Load the model and the coder here, then start `workers` processes (None for one worker: this process
    codes). On Linux the workers are forked before any database or Arrow thread exists, so they share the loaded model instead of
    loading it again; elsewhere they are spawned and load it themselves."""
    options = options or CoderOptions()
    _init_worker(model, options)
    if workers <= 1:
        yield None
        return
    if sys.platform.startswith("linux"):  # forked workers inherit the loaded state: nothing to load again
        gc.freeze()
        pool = multiprocessing.get_context("fork").Pool(workers)
        gc.unfreeze()
    else:
        pool = multiprocessing.get_context("spawn").Pool(workers, _init_worker, (model, options))
    pool.workers = workers
    try:
        yield pool
    finally:
        pool.close()
        pool.join()


def code(
    db_path: str | Path,
    model: str | None = None,
    workers: int = 1,
    options: CoderOptions | None = None,
    progress: Progress = _no_progress,
    wait: float = 0.0,
) -> RunResult:
    """Code every stored article not yet coded by this coder version."""
    with coding_workers(model, options, workers) as pool:
        con = store.connect(db_path, wait=wait)
        with recorded_run(con, "code", model=model) as result:
            _add_coding(result, code_into(con, result.run_id, pool, progress))
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
    wait: float = 0.0,
) -> RunResult:
    """Ingest `inputs` and code every article not yet coded by this coder version."""
    with coding_workers(model, options, workers) as pool:
        con = store.connect(db_path, wait=wait)
        with recorded_run(con, "run", inputs, model) as result:
            ingest_into(con, inputs, result, read_options, progress)
            _add_coding(result, code_into(con, result.run_id, pool, progress))
        con.close()
    return result
