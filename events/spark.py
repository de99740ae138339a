"""The Apache Spark engine: the same coder as `events.pipeline`, run inside Spark over Parquet.

    from events.spark import code_with_spark, load_spark_output
    result = code_with_spark("articles.parquet", "coded/", master="local[*]")
    load_spark_output("events.duckdb", "coded/")

Spark calls `_code_partition` through `DataFrame.mapInArrow` on each partition of articles. The spaCy model and
the coder are loaded once per Python worker process (`_WORKERS`, kept across tasks since Spark reuses its Python
workers), so a task pays only for parsing.

`mapInArrow` has one output schema, but coding yields three kinds of rows: the articles coded (with the coder
version), their sentences and their events. The function emits one flat table, `CODED`, with a `kind` column and
the union of the columns (EVENTS and SENTENCES share `article_id` and `sentence_index` with the same types). The
result is cached, so each article is parsed once, and split into `OUTPUT/articles/`, `OUTPUT/sentences/` and
`OUTPUT/events/` Parquet folders whose columns are exactly those of the DuckDB tables. `load_spark_output` stores
them with `events.store.replace_coding`, a page of articles per transaction like the local engine, so the rows,
event ids and coder version in the database are the same whichever engine coded them.

pyspark is an optional dependency (`pip install 'events[spark]'`): this module imports it only inside the
functions that start Spark, so the rest of `events` and Spark's Python workers never need it at import time.
"""

from __future__ import annotations

import datetime as dt
import glob
import importlib.util
import math
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from events import store
from events.aggregate import refresh_dimensions
from events.coder import Coder, CoderOptions, coder_version
from events.errors import SparkError
from events.parse import load_model
from events.pipeline import (
    CODE_PAGE,
    Progress,
    RunResult,
    _no_progress,
    code_articles,
    count_pending,
    ingest_into,
    recorded_run,
)
from events.read import Article, ReadOptions
from events.tables import ARTICLES, EVENTS, SENTENCES, coded_tables

NOT_INSTALLED = "pyspark is not installed: pip install 'events[spark]'"
ARTICLES_PER_TASK = 1000  # articles per Spark partition, so a failed task redoes little
WORKER_CHUNK = 64  # articles parsed together inside a task; bounds a worker's memory
INPUT_COLUMNS = [
    "article_id",
    "text",
    "title",
    "published_date",
    "published_at",
    "url",
    "publisher",
    "source_file",
    "source_line",
]
CODED = pa.schema(
    [pa.field("kind", pa.string())]
    + list(EVENTS)
    + [f for f in SENTENCES if f.name not in EVENTS.names]  # paragraph_index, char_start, char_end, text
)
CODED_ARTICLES = pa.schema([("article_id", pa.string()), ("coder_version", pa.string())])
OUTPUTS = {"articles": CODED_ARTICLES, "sentences": SENTENCES, "events": EVENTS}  # folder -> columns


@dataclass
class SparkResult:
    output_dir: str
    articles: int = 0
    sentences: int = 0
    events: int = 0
    coder_versions: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- in the Python workers

_WORKERS: dict[tuple[str | None, CoderOptions], tuple] = {}


def _model_and_coder(model: str | None, options: CoderOptions) -> tuple:
    """The spaCy model and coder of this worker process, loaded on its first task only."""
    key = (model, options)
    if key not in _WORKERS:
        _WORKERS[key] = (load_model(model), Coder(options))
    return _WORKERS[key]


def _article(row: dict) -> Article:
    published_at = row.get("published_at")
    if published_at is not None and published_at.tzinfo is not None:  # a zoned timestamp: UTC, naive
        published_at = published_at.astimezone(dt.UTC).replace(tzinfo=None)
    return Article(**{**{name: row.get(name) for name in INPUT_COLUMNS}, "published_at": published_at})


def _tagged(kind: str, table: pa.Table) -> pa.Table:
    """`table` in the CODED layout: its own columns, nulls elsewhere, `kind` on every row."""
    rows = table.num_rows
    columns = [
        pa.array([kind] * rows, pa.string())
        if f.name == "kind"
        else table.column(f.name).cast(f.type)
        if f.name in table.column_names
        else pa.nulls(rows, f.type)
        for f in CODED
    ]
    return pa.Table.from_arrays(columns, schema=CODED)


def code_rows(articles: list[Article], nlp, coder: Coder) -> pa.Table:
    """Code `articles` into one CODED table: a row per article, then its sentences and events."""
    sentences, events = coded_tables(code_articles(articles, nlp, coder), coder.version)
    coded = pa.table(
        {"article_id": [a.article_id for a in articles], "coder_version": [coder.version] * len(articles)},
        schema=CODED_ARTICLES,
    )
    return pa.concat_tables(
        [_tagged("article", coded), _tagged("sentence", sentences), _tagged("event", events)]
    )


def _code_partition(
    batches: Iterator[pa.RecordBatch], model: str | None, options: CoderOptions
) -> Iterator[pa.RecordBatch]:
    """The mapInArrow function: articles in, CODED rows out, WORKER_CHUNK articles at a time."""
    nlp, coder = _model_and_coder(model, options)
    for batch in batches:
        for start in range(0, batch.num_rows, WORKER_CHUNK):
            articles = [_article(row) for row in batch.slice(start, WORKER_CHUNK).to_pylist()]
            yield from code_rows(articles, nlp, coder).to_batches()


# ---------------------------------------------------------------- on the driver


def require_pyspark() -> None:
    if importlib.util.find_spec("pyspark") is None:
        raise SparkError(NOT_INSTALLED)


def _is_local(master: str | None) -> bool:
    return master is None or master.startswith("local")


def _resolve_master(master: str | None) -> str | None:
    """`master` if given; None under spark-submit (it set the master); else local[*]."""
    if master:
        return master
    return None if "PYSPARK_GATEWAY_PORT" in os.environ else "local[*]"


def _prepare_local_environment(master: str | None) -> None:
    """Local Spark runs its Python workers with this interpreter (so they import this `events` and its model)
    and talks to them on the loopback interface only. On a cluster the executors' interpreter is the user's
    choice (PYSPARK_PYTHON or spark.pyspark.python), so it is left alone."""
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    if not _is_local(master):
        return
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        raise SparkError("Java not found: Spark needs Java 17 or 21 on PATH or in JAVA_HOME")


def spark_conf(master: str | None, conf: dict[str, str] | None = None) -> dict[str, str]:
    """Spark settings of a session started for coding; `conf` overrides them."""
    settings = {
        "spark.app.name": "events",
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        "spark.python.worker.reuse": "true",  # one model load per Python worker, not per task
    }
    if _is_local(master):
        settings |= {
            "spark.sql.shuffle.partitions": "8",
            "spark.driver.host": "127.0.0.1",
            "spark.driver.bindAddress": "127.0.0.1",
        }
    return settings | (conf or {})


@contextmanager
def spark_session(master: str | None = None, conf: dict[str, str] | None = None) -> Iterator:
    """The active SparkSession if there is one (a test's, a notebook's, spark-submit's), with the settings of
    `conf` that can still change set on it; else a new one, stopped on exit."""
    require_pyspark()
    from pyspark.sql import SparkSession

    master = _resolve_master(master)
    _prepare_local_environment(master)
    existing = SparkSession.getActiveSession()
    if existing is not None:
        for key, value in (conf or {}).items():
            if existing.conf.isModifiable(
                key
            ):  # the others (spark.ui.*, executor sizes) were fixed at its start
                existing.conf.set(key, value)
        yield existing
        return
    builder = SparkSession.builder.master(master) if master else SparkSession.builder
    for key, value in spark_conf(master, conf).items():
        builder = builder.config(key, value)
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # the JVM did not start: say why in one line
        raise SparkError(f"cannot start Spark: {str(exc).splitlines()[0]}") from exc
    session.sparkContext.setLogLevel("ERROR")
    try:
        yield session
    finally:
        session.stop()


def spark_type(arrow_type: pa.DataType):
    """The Spark SQL type of an Arrow type of the events tables."""
    from pyspark.sql import types as T

    simple = {
        pa.string(): T.StringType(),
        pa.int8(): T.ByteType(),
        pa.int32(): T.IntegerType(),
        pa.int64(): T.LongType(),
        pa.float64(): T.DoubleType(),
        pa.bool_(): T.BooleanType(),
        pa.date32(): T.DateType(),
        pa.timestamp("us"): T.TimestampNTZType(),
    }
    if arrow_type not in simple:
        raise TypeError(f"no Spark type for {arrow_type}")
    return simple[arrow_type]


def spark_schema(schema: pa.Schema):
    from pyspark.sql import types as T

    return T.StructType([T.StructField(f.name, spark_type(f.type), nullable=True) for f in schema])


def read_articles(spark, articles_parquet: str):
    """The articles of a Parquet file or folder, as the coder's columns: `article_id` and `text` are needed,
    the others are null when absent. A zoned timestamp stays zoned: the worker turns it into UTC wall-clock time
    (as DuckDB stores it) whatever the session's time zone."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import TimestampType

    _check_exists(articles_parquet)
    frame = spark.read.parquet(articles_parquet)
    missing = [c for c in ("article_id", "text") if c not in frame.columns]
    if missing:
        raise SparkError(f"{articles_parquet} has no column {', '.join(missing)}: see events.tables.ARTICLES")
    types = {f.name: spark_type(f.type) for f in ARTICLES}
    zoned = {f.name for f in frame.schema.fields if isinstance(f.dataType, TimestampType)}
    return frame.select(
        [
            F.col(name)
            if name in zoned
            else (F.col(name) if name in frame.columns else F.lit(None)).cast(types[name]).alias(name)
            for name in INPUT_COLUMNS
        ]
    )


def _check_exists(path: str) -> None:
    """Fail in one line before Spark starts reading a local path that is not there."""
    if "://" not in path and not os.path.exists(path):
        raise SparkError(f"no such file or folder: {path}")


def _partitions(spark, rows: int) -> int:
    return max(1, spark.sparkContext.defaultParallelism, math.ceil(rows / ARTICLES_PER_TASK))


def code_frame(articles, model: str | None = None, options: CoderOptions | None = None):
    """A DataFrame of CODED rows for a DataFrame of articles (see `read_articles`): lazy, like any transform."""
    options = options or CoderOptions()
    spark = articles.sparkSession
    partitions = _partitions(spark, articles.count())

    def code(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        return _code_partition(batches, model, options)

    return articles.repartition(partitions).mapInArrow(code, spark_schema(CODED))


def code_with_spark(
    articles_parquet: str,
    output_dir: str,
    master: str | None = "local[*]",
    model: str | None = None,
    options: CoderOptions | None = None,
    conf: dict[str, str] | None = None,
) -> SparkResult:
    """Code the articles of `articles_parquet` with Spark into `output_dir/{articles,sentences,events}/`
    (Parquet, replaced if present). `master` None means spark-submit's, or local[*] outside it; an active
    SparkSession is used as it is."""
    with spark_session(master, conf) as spark:
        coded = code_frame(read_articles(spark, articles_parquet), model, options).persist()
        try:
            counts = dict(coded.groupBy("kind").count().collect())  # codes every article once, into the cache
            for folder, schema in OUTPUTS.items():
                kind = {"articles": "article", "sentences": "sentence", "events": "event"}[folder]
                rows = coded.where(coded.kind == kind).select(*schema.names)
                rows.write.mode("overwrite").parquet(_join(output_dir, folder))
            versions = coded.where(coded.kind == "article").select("coder_version").distinct().collect()
        finally:
            coded.unpersist()
    return SparkResult(
        output_dir=output_dir,
        articles=counts.get("article", 0),
        sentences=counts.get("sentence", 0),
        events=counts.get("event", 0),
        coder_versions=sorted(v[0] for v in versions),
    )


def _join(base: str, name: str) -> str:
    """A child of a local path or of a URL such as s3://bucket/prefix."""
    return base.rstrip("/") + "/" + name


# ---------------------------------------------------------------- loading into DuckDB


def _parquet_files(path: str) -> list[str] | str | None:
    """What DuckDB's read_parquet should read for a Spark output folder (None when it holds no data file)."""
    if "://" in path:
        return _join(path, "*.parquet")
    files = sorted(glob.glob(os.path.join(path, "**", "*.parquet"), recursive=True))
    return files or None


def _stage(con: duckdb.DuckDBPyConnection, name: str, path: str, schema: pa.Schema) -> None:
    """A temporary table of one output folder, sorted by article so that a page of articles reads a few row
    groups only."""
    files = _parquet_files(path)
    columns = ", ".join(f"CAST(NULL AS {_duck_type(f.type)}) AS {f.name}" for f in schema)
    source = f"(SELECT {columns} LIMIT 0)" if files is None else "read_parquet($files)"
    select = "*" if files is None else ", ".join(schema.names)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {select} FROM {source} ORDER BY article_id",
        {"files": files} if files is not None else {},
    )


def _duck_type(arrow_type: pa.DataType) -> str:
    names = {pa.string(): "VARCHAR", pa.int8(): "TINYINT", pa.int32(): "INTEGER", pa.float64(): "DOUBLE"}
    names |= {
        pa.bool_(): "BOOLEAN",
        pa.date32(): "DATE",
        pa.int64(): "BIGINT",
        pa.timestamp("us"): "TIMESTAMP",
    }
    return names[arrow_type]


def _page(con, table: str, schema: pa.Schema, first: str, last: str) -> pa.Table:
    rows = con.sql(
        f"SELECT {', '.join(schema.names)} FROM {table} WHERE article_id BETWEEN $first AND $last",
        params={"first": first, "last": last},
    ).to_arrow_table()
    return rows.cast(schema)


def load_output_into(
    con: duckdb.DuckDBPyConnection,
    output_dir: str,
    progress: Progress = _no_progress,
    expect_version: str | None = None,
) -> RunResult:
    """Store a `code_with_spark` output in an open database: each coded article's sentences and events replace
    its earlier coding, CODE_PAGE articles per transaction. With `expect_version`, refuse output made by
    another coder version (executors running another `events`), which would otherwise be re-coded forever."""
    versions = _output_versions(con, output_dir)
    if expect_version and any(v != expect_version for v in versions):
        raise SparkError(
            f"the executors coded with events {', '.join(versions)} but this is {expect_version}: "
            "install the same events on the executors"
        )
    for name, schema in OUTPUTS.items():
        _stage(con, f"spark_{name}", _join(output_dir, name), schema)
    try:
        return _load_pages(con, progress)
    finally:
        for name in OUTPUTS:
            con.execute(f"DROP TABLE IF EXISTS spark_{name}")


def _load_pages(con: duckdb.DuckDBPyConnection, progress: Progress) -> RunResult:
    result = RunResult()
    coded = con.execute("SELECT article_id, coder_version FROM spark_articles ORDER BY article_id").fetchall()
    for start in range(0, len(coded), CODE_PAGE):
        page = coded[start : start + CODE_PAGE]
        first, last = page[0][0], page[-1][0]
        sentences = _page(con, "spark_sentences", SENTENCES, first, last)
        events = _page(con, "spark_events", EVENTS, first, last)
        for version in sorted({v for _, v in page}):
            ids = [i for i, v in page if v == version]
            keep = pa.array(ids, pa.string())
            store.replace_coding(
                con,
                ids,
                sentences.filter(pc.is_in(sentences["article_id"], keep)),
                events.filter(pc.is_in(events["article_id"], keep)),
                version,
            )
        result.coded += len(page)
        result.events += events.num_rows
        progress("load", result.coded, len(coded))
    refresh_dimensions(con)  # the actors and cameo_codes tables BI tools join to, as after local coding
    return result


def load_spark_output(
    db_path: str | Path,
    output_dir: str,
    articles_parquet: str | None = None,
    wait: float = 0.0,
    progress: Progress = _no_progress,
) -> RunResult:
    """Store a `code_with_spark` output, made here or on a cluster, in the database at `db_path` (created if
    needed), first with the articles of `articles_parquet` that it lacks; recorded in `runs` as a `code` run
    (the model is unknown here: the executors parsed)."""
    _check_exists(output_dir)
    con = store.connect(db_path, wait=wait)
    try:
        versions = _output_versions(con, output_dir)
        inputs = [output_dir] + ([articles_parquet] if articles_parquet else [])
        run_id = store.start_run(con, "code", inputs, ", ".join(versions) or None)
        try:
            ingested = ingest_parquet_articles(con, articles_parquet, run_id) if articles_parquet else 0
            result = load_output_into(con, output_dir, progress)
        except BaseException as exc:
            store.finish_run(con, run_id, "failed", {}, str(exc) or type(exc).__name__)
            raise
        result.run_id, result.ingested = run_id, ingested
        counts = {"ingested": ingested, "coded": result.coded, "events": result.events}
        store.finish_run(con, run_id, "succeeded", counts)
        return result
    finally:
        con.close()


def _output_versions(con: duckdb.DuckDBPyConnection, output_dir: str) -> list[str]:
    files = _parquet_files(_join(output_dir, "articles"))
    if files is None:
        return []
    found = con.execute("SELECT DISTINCT coder_version FROM read_parquet($f)", {"f": files}).fetchall()
    return sorted(v for (v,) in found if v)


# ---------------------------------------------------------------- the CLI's jobs


def ingest_parquet_articles(con: duckdb.DuckDBPyConnection, articles_parquet: str, run_id: str) -> int:
    """Store the articles of an input Parquet that the database lacks, so that every coded event has its
    article row; return how many were new. DuckDB streams the file, so its size does not matter."""
    _check_exists(articles_parquet)
    files = _parquet_files(articles_parquet) if os.path.isdir(articles_parquet) else articles_parquet
    if files is None:
        return 0
    present = dict(
        row[:2] for row in con.execute("DESCRIBE SELECT * FROM read_parquet($f)", {"f": files}).fetchall()
    )
    types = {f.name: f.type for f in ARTICLES}
    values = [_article_value(name, present.get(name), types[name]) for name in INPUT_COLUMNS]
    before = store.scalar(con, "SELECT count(*) FROM articles")
    with store.transaction(con):
        con.execute(
            f"INSERT OR IGNORE INTO articles ({', '.join(INPUT_COLUMNS)}, ingested_at, ingest_run_id) "
            f"SELECT {', '.join(values)}, $now, $run FROM read_parquet($f)",
            {"f": files, "now": store.utcnow(), "run": run_id},
        )
    return store.scalar(con, "SELECT count(*) FROM articles") - before


def _article_value(name: str, found: str | None, arrow_type: pa.DataType) -> str:
    """SQL for one articles column from an input Parquet: cast to the stored type, zoned timestamps to UTC
    wall-clock time (as `events.read` stores them), NULL when the input lacks the column."""
    if found is None:
        return f"CAST(NULL AS {_duck_type(arrow_type)})"
    if found.startswith("TIMESTAMP WITH TIME ZONE"):
        return f"timezone('UTC', {name})"
    return f"CAST({name} AS {_duck_type(arrow_type)})"


def _export_pending(con: duckdb.DuckDBPyConnection, version: str, path: str) -> int:
    """Write the articles not yet coded by `version` to a Parquet file for Spark; return how many."""
    pending = count_pending(con, version)
    if pending:
        con.execute(
            f"COPY (SELECT {', '.join(INPUT_COLUMNS)} FROM articles WHERE coder_version IS DISTINCT FROM $v "
            f"ORDER BY article_id) TO '{_quoted(path)}' (FORMAT parquet)",
            {"v": version},
        )
    return pending


def _quoted(path: str) -> str:
    return path.replace("'", "''")


def code_pending_with_spark(
    con: duckdb.DuckDBPyConnection,
    master: str | None,
    model: str | None,
    options: CoderOptions | None,
    conf: dict[str, str] | None = None,
    progress: Progress = _no_progress,
) -> RunResult:
    """Code the database's pending articles with Spark, through Parquet files in a temporary folder (on a
    cluster that folder must be visible to the executors: use `events code --input/--output` otherwise)."""
    version = coder_version()
    with tempfile.TemporaryDirectory(prefix="events-spark-") as staging:
        articles = os.path.join(staging, "articles.parquet")
        if not _export_pending(con, version, articles):
            return RunResult()
        output = os.path.join(staging, "coded")
        code_with_spark(articles, output, master, model, options, conf)
        return load_output_into(con, output, progress, expect_version=version)


def run_with_spark(
    inputs: list[str],
    db_path: str | Path,
    master: str | None = "local[*]",
    model: str | None = None,
    options: CoderOptions | None = None,
    read_options: ReadOptions | None = None,
    progress: Progress = _no_progress,
    wait: float = 0.0,
    conf: dict[str, str] | None = None,
) -> RunResult:
    """`events run --engine spark`: ingest `inputs` as usual, then code the pending articles with Spark."""
    require_pyspark()
    con = store.connect(db_path, wait=wait)
    try:
        with recorded_run(con, "run", inputs, model) as result:
            ingest_into(con, inputs, result, read_options, progress)
            coded = code_pending_with_spark(con, master, model, options, conf, progress)
            result.coded, result.events = coded.coded, coded.events
        return result
    finally:
        con.close()


def code_db_with_spark(
    db_path: str | Path,
    master: str | None = "local[*]",
    model: str | None = None,
    options: CoderOptions | None = None,
    progress: Progress = _no_progress,
    wait: float = 0.0,
    conf: dict[str, str] | None = None,
    articles_parquet: str | None = None,
    output_dir: str | None = None,
) -> RunResult:
    """`events code --engine spark`: the database's pending articles, or with `articles_parquet` those
    articles (stored in the database if missing) coded into `output_dir` and loaded."""
    require_pyspark()
    con = store.connect(db_path, wait=wait)
    try:
        with recorded_run(con, "code", [articles_parquet] if articles_parquet else [], model) as result:
            if articles_parquet is None:
                coded = code_pending_with_spark(con, master, model, options, conf, progress)
            else:
                result.ingested = ingest_parquet_articles(con, articles_parquet, result.run_id)
                coded = _code_parquet_into(con, articles_parquet, output_dir, master, model, options, conf)
            result.coded, result.events = coded.coded, coded.events
        return result
    finally:
        con.close()


def _code_parquet_into(con, articles_parquet, output_dir, master, model, options, conf) -> RunResult:
    with tempfile.TemporaryDirectory(prefix="events-spark-") as staging:
        output = output_dir or os.path.join(staging, "coded")
        code_with_spark(articles_parquet, output, master, model, options, conf)
        return load_output_into(con, output, expect_version=coder_version())
