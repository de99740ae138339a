"""The Spark engine codes exactly like the local one: same event ids, rows and sentences in the database.

The Spark tests run in `local[2]` mode on one SparkSession shared by the module (starting Spark takes seconds);
they are skipped when pyspark or Java is missing. `make setup` installs pyspark (the `spark` extra).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from events.cli import cli
from events.read import Article
from tests.conftest import write_jsonl

ARTICLES = [
    {
        "id": "spark-1",
        "published": "2024-05-15",
        "publisher": "Test Wire",
        "title": "Clashes near Kharkiv",
        "text": "KYIV, May 15 (Test Wire) - Russian troops attacked Ukrainian positions near Kharkiv on Monday.\n\n"
        "The European Union condemned the attack.",
    },
    {
        "id": "spark-2",
        "published": "2024-05-16T10:30:00+02:00",
        "publisher": "Test Wire",
        "text": "Egypt and Jordan signed a trade agreement on Thursday.",
    },
    {
        "id": "spark-3",
        "published": "2024-05-17",
        "publisher": "Other Wire",
        "text": "CAIRO (Other Wire) - Egyptian police arrested dozens of protesters in Cairo on Friday. "
        "Israel's prime minister met the U.S. secretary of state in Jerusalem.",
    },
    {
        "id": "spark-4",
        "published": "2024-05-18",
        "publisher": "Other Wire",
        "text": "The home side beat the visitors 3-1 in the cup final on Friday.",
    },
]
MASTER = "local[2]"


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def rows(db, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.sql(sql).fetchall()
    finally:
        con.close()


EVENT_IDS = "SELECT event_id FROM events ORDER BY event_id"
ALL_EVENTS = "SELECT * FROM events ORDER BY event_id"
ALL_SENTENCES = "SELECT * FROM sentences ORDER BY article_id, sentence_index"


@pytest.fixture(scope="module")
def spark():
    """One local[2] SparkSession for the module: `events.spark` uses the active session as it is."""
    pytest.importorskip("pyspark")
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        pytest.skip("no Java: Spark needs Java 17 or 21")
    from pyspark.sql import SparkSession

    from events.spark import _prepare_local_environment, spark_conf

    _prepare_local_environment(MASTER)
    builder = SparkSession.builder.master(MASTER)
    settings = spark_conf(MASTER, {"spark.ui.enabled": "false", "spark.ui.showConsoleProgress": "false"})
    for key, value in settings.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def feed(tmp_path_factory):
    return write_jsonl(tmp_path_factory.mktemp("spark-feed") / "wire.jsonl", ARTICLES)


@pytest.fixture(scope="module")
def local_db(feed, tmp_path_factory):
    """The reference: the same articles coded by the local engine."""
    db = tmp_path_factory.mktemp("local") / "local.duckdb"
    result = invoke("run", feed, "--db", db, "--workers", 1, "--quiet")
    assert result.exit_code == 0, result.output
    assert rows(db, EVENT_IDS), "the test articles must give events"
    return db


def test_run_engine_spark_stores_what_the_local_engine_stores(spark, feed, local_db, tmp_path):
    db = tmp_path / "spark.duckdb"
    result = invoke("run", feed, "--db", db, "--engine", "spark", "--master", MASTER, "--quiet")
    assert result.exit_code == 0, result.output
    events = rows(local_db, "SELECT count(*) FROM events")[0][0]
    assert result.output.strip() == f"4 articles ingested, 0 rejected, 4 coded, {events} events"
    assert rows(db, EVENT_IDS) == rows(local_db, EVENT_IDS)
    assert rows(db, ALL_EVENTS) == rows(local_db, ALL_EVENTS)  # every column, coder_version included
    assert rows(db, ALL_SENTENCES) == rows(local_db, ALL_SENTENCES)
    coded = "SELECT article_id, coder_version, coded_at IS NOT NULL FROM articles ORDER BY article_id"
    assert rows(db, coded) == rows(local_db, coded)
    assert rows(db, "SELECT count(*) FROM actors") == rows(local_db, "SELECT count(*) FROM actors")
    assert rows(db, "SELECT command, status, articles_coded FROM runs") == [("run", "succeeded", 4)]
    again = invoke("run", feed, "--db", db, "--engine", "spark", "--master", MASTER, "--quiet")
    assert again.output.strip() == "0 articles ingested, 4 already stored, 0 rejected, 0 coded, 0 events"


def test_code_input_output_writes_parquet_with_the_local_event_ids(spark, local_db, tmp_path):
    articles = tmp_path / "articles.parquet"
    con = duckdb.connect(str(local_db), read_only=True)
    con.execute(
        f"COPY (SELECT article_id, text, title, published_date, publisher FROM articles) TO '{articles}'"
    )
    con.close()
    out = tmp_path / "coded"
    result = invoke(
        "code", "--engine", "spark", "--master", MASTER, "--input", articles, "--output", out, "-q"
    )
    assert result.exit_code == 0, result.output
    events = pq.read_table(out / "events")
    assert sorted(events["event_id"].to_pylist()) == [i for (i,) in rows(local_db, EVENT_IDS)]
    assert sorted(pq.read_table(out / "articles")["article_id"].to_pylist()) == [a["id"] for a in ARTICLES]
    assert pq.read_table(out / "sentences").num_rows == rows(local_db, "SELECT count(*) FROM sentences")[0][0]

    db = tmp_path / "coded.duckdb"  # coded and stored in a new database, with its articles
    coded = invoke("code", "--engine", "spark", "--master", MASTER, "--input", articles, "--db", db, "-q")
    assert coded.exit_code == 0, coded.output
    assert rows(db, ALL_EVENTS) == rows(local_db, ALL_EVENTS)
    assert rows(db, "SELECT count(*) FROM articles WHERE coder_version IS NOT NULL") == [(4,)]

    db = tmp_path / "loaded.duckdb"  # the first output, as if made on a cluster, loaded without Spark
    loaded = invoke("code", "--load", out, "--input", articles, "--db", db, "-q")
    assert loaded.output.strip() == f"4 articles loaded, {len(events)} events"
    assert rows(db, ALL_EVENTS) == rows(local_db, ALL_EVENTS)
    assert rows(db, ALL_SENTENCES) == rows(local_db, ALL_SENTENCES)
    assert rows(db, "SELECT command, status, articles_ingested, articles_coded FROM runs") == [
        ("code", "succeeded", 4, 4)
    ]


def test_engine_spark_without_pyspark_is_one_line(tmp_path, feed, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyspark", None)  # find_spec then reports pyspark missing
    result = CliRunner().invoke(
        cli, ["run", str(feed), "--db", str(tmp_path / "e.duckdb"), "--engine", "spark"]
    )
    assert result.exit_code == 1
    assert result.output.strip() == "Error: pyspark is not installed: pip install 'events[spark]'"
    assert not (tmp_path / "e.duckdb").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--input", "a.parquet", "--output", "out"], "--input and --output need --engine spark"),
        (["--engine", "spark", "--output", "out"], "--output needs --input PARQUET"),
        (["--engine", "spark", "--input", "a.parquet"], "--input needs --output DIR, --db PATH or both"),
        (["--engine", "spark"], "Missing option '--db'."),
        (["--load", "out"], "--load needs --db PATH and takes no --output"),
    ],
)
def test_code_usage_errors(args, message, monkeypatch):
    monkeypatch.delenv("EVENTS_DB", raising=False)
    result = CliRunner().invoke(cli, ["code", *args])
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1] == f"Error: {message}"


def test_zoned_timestamps_reach_the_coder_as_utc():
    from events.spark import _article

    tokyo = dt.timezone(dt.timedelta(hours=9))
    row = {"article_id": "a", "text": "t", "published_at": dt.datetime(2024, 5, 16, 17, 30, tzinfo=tokyo)}
    assert _article(row) == Article("a", "t", published_at=dt.datetime(2024, 5, 16, 8, 30))


def test_coded_rows_carry_every_column_of_the_stored_tables():
    from events.spark import CODED, OUTPUTS

    for schema in OUTPUTS.values():
        for column in schema:
            assert CODED.field(column.name).type == column.type
    assert pa.types.is_string(CODED.field("kind").type)
