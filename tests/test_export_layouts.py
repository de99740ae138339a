"""Aggregated events, export layouts (native, GDELT 2.0 events and mentions, ICEWS, PLOVER) in Parquet, CSV and
JSONL, incremental and atomic exports, the analyst views and the dimension tables.

One database is coded once for the module: two wire services report the same attack near Kharkiv, and each story
has a second event. Tests that add articles work on a copy.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import duckdb
import polars as pl
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from events.aggregate import ActorCode, global_event_id
from events.cameo import cameo_codes
from events.cli import cli
from tests.conftest import write_jsonl

ATTACK = "Russian troops attacked Ukrainian positions near Kharkiv on Monday."
WIRE_A = {
    "id": "wire-a-1",
    "published": "2024-05-15T08:00:00",
    "publisher": "Wire A",
    "url": "https://wire-a.example/2024/05/15/kharkiv",
    "title": "Attack near Kharkiv",
    "text": f"{ATTACK}\n\nThe United Nations urged Russia to withdraw its troops.",
}
WIRE_B = {
    "id": "wire-b-1",
    "published": "2024-05-15T09:30:00",
    "publisher": "Wire B",
    "url": "https://wire-b.example/news/kharkiv",
    "title": "Kharkiv attack",
    "text": f"{ATTACK}\n\nEgypt and Jordan signed a trade agreement in Cairo on Tuesday.",
}
WIRE_C = {
    "id": "wire-c-1",
    "published": "2024-05-16",
    "publisher": "Wire C",
    "text": f"{ATTACK}\n\nChinese President Xi Jinping visited France on Wednesday.",
}
MONDAY = dt.date(2024, 5, 13)
ATTACK_ID = 145655186235590297  # sha256("2024-05-13|RUSMIL|UKRMIL|190")[:15]: must never change

GDELT_EVENT_COLUMNS = [
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    *[
        f"Actor{n}{part}"
        for n in (1, 2)
        for part in (
            "Code",
            "Name",
            "CountryCode",
            "KnownGroupCode",
            "EthnicCode",
            "Religion1Code",
            "Religion2Code",
            "Type1Code",
            "Type2Code",
            "Type3Code",
        )
    ],
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    *[
        f"{geo}_{part}"
        for geo in ("Actor1Geo", "Actor2Geo", "ActionGeo")
        for part in ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
    ],
    "DATEADDED",
    "SOURCEURL",
]
GDELT_MENTION_COLUMNS = [
    "GLOBALEVENTID",
    "EventTimeDate",
    "MentionTimeDate",
    "MentionType",
    "MentionSourceName",
    "MentionIdentifier",
    "SentenceID",
    "Actor1CharOffset",
    "Actor2CharOffset",
    "ActionCharOffset",
    "InRawText",
    "Confidence",
    "MentionDocLen",
    "MentionDocTone",
    "MentionDocTranslationInfo",
    "Extras",
]
ICEWS_COLUMNS = [
    "Event ID",
    "Event Date",
    "Source Name",
    "Source Sectors",
    "Source Country",
    "Event Text",
    "CAMEO Code",
    "Intensity",
    "Target Name",
    "Target Sectors",
    "Target Country",
    "Story ID",
    "Sentence Number",
    "Publisher",
    "City",
    "District",
    "Province",
    "Country",
    "Latitude",
    "Longitude",
]


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def export(db: Path, out: Path, *args):
    result = invoke("export", "--db", db, "--out", out, *args)
    assert result.exit_code == 0, result.output
    return result


def query(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def read(folder: Path) -> pl.DataFrame:
    return pl.read_parquet(folder / "**" / "*.parquet", hive_partitioning=False)


@pytest.fixture(scope="module")
def coded(tmp_path_factory) -> Path:
    """Both wire stories, ingested and coded once, then exported once (which migrates and fills dimensions)."""
    folder = tmp_path_factory.mktemp("coded")
    feed = write_jsonl(folder / "feed.jsonl", [WIRE_A, WIRE_B])
    db = folder / "events.duckdb"
    result = invoke("run", feed, "--db", db, "--workers", 1, "--quiet")
    assert result.exit_code == 0, result.output
    export(db, folder / "first")
    return db


@pytest.fixture
def db_copy(coded, tmp_path) -> Path:
    copy = tmp_path / "events.duckdb"
    shutil.copy(coded, copy)
    return copy


# ---------------------------------------------------------------- aggregation


def test_two_publishers_reporting_one_attack_make_one_event(coded):
    rows = query(
        coded,
        "SELECT global_event_id, num_mentions, num_sources, num_articles, root_article_id, root_url, "
        "avg_goldstein, location_name FROM aggregates WHERE event_code = '190'",
    )
    assert rows == [
        (ATTACK_ID, 2, 2, 2, "wire-a-1", WIRE_A["url"], -10.0, "Kharkiv"),
    ]
    assert global_event_id(MONDAY, "RUSMIL", "UKRMIL", "190") == ATTACK_ID
    assert query(coded, "SELECT count(*) FROM events")[0][0] == 5
    assert query(coded, "SELECT count(*) FROM aggregates")[0][0] == 4


def test_sql_and_python_event_ids_agree(coded):
    for event_id, date, source, target, code in query(
        coded, "SELECT global_event_id, event_date, source_code, target_code, event_code FROM aggregates"
    ):
        assert event_id == global_event_id(date, source, target, code)


def test_analyst_views(coded):
    assert query(coded, "SELECT * FROM daily_dyad_counts WHERE source_code = 'RUSMIL'") == [
        (MONDAY, "RUSMIL", "UKRMIL", 1, 2, 1)
    ]
    assert query(coded, "SELECT * FROM monthly_quad_counts ORDER BY quad_class") == [
        (dt.date(2024, 5, 1), 1, "verbal cooperation", 3, 3),
        (dt.date(2024, 5, 1), 4, "material conflict", 1, 2),
    ]
    goldstein = query(
        coded,
        "SELECT month, num_events, total_goldstein FROM monthly_dyad_goldstein "
        "WHERE source_code = 'EGY' AND target_code = 'JOR'",
    )
    assert goldstein == [(dt.date(2024, 5, 1), 1, 8.0)]
    comments = query(
        coded,
        "SELECT view_name FROM duckdb_views() WHERE comment IS NOT NULL AND view_name IN "
        "('event_mentions', 'aggregates', 'daily_dyad_counts', 'monthly_quad_counts', 'monthly_dyad_goldstein')",
    )
    assert len(comments) == 5


# ---------------------------------------------------------------- native Parquet and the star schema


def test_native_parquet_writes_events_aggregates_and_dimensions(coded, tmp_path):
    out = tmp_path / "out"
    result = export(coded, out)
    assert result.output.splitlines() == [
        f"5 events written to {out / 'events'} (1 files)",
        f"4 aggregated events written to {out / 'aggregates'} (1 files)",
        f"6 actors written to {out / 'actors'} (1 files)",
        f"{len(cameo_codes())} CAMEO codes written to {out / 'cameo_codes'} (1 files)",
    ]
    aggregates = read(out / "aggregates")
    attack = aggregates.filter(pl.col("event_code") == "190").to_dicts()[0]
    assert (attack["global_event_id"], attack["num_mentions"], attack["root_event_id"]) == (
        ATTACK_ID,
        2,
        query(coded, "SELECT event_id FROM events WHERE article_id = 'wire-a-1' AND event_code = '190'")[0][
            0
        ],
    )
    assert sorted(p.name for p in (out / "aggregates").iterdir()) == ["year=2024"]
    metadata = pq.read_schema(next((out / "aggregates").rglob("*.parquet"))).metadata
    assert metadata[b"table"] == b"aggregates" and metadata[b"layout"] == b"native"
    assert set(metadata) >= {
        b"events_version",
        b"coder_version",
        b"lexicon_version",
        b"exported_at",
        b"filter",
    }
    assert json.loads(metadata[b"filter"]) == {
        "since": None,
        "until": None,
        "since_last": False,
        "one_a_day": False,
    }


def test_actors_dimension(coded, tmp_path):
    out = tmp_path / "out"
    export(coded, out)
    actors = {row["actor_code"]: row for row in read(out / "actors").to_dicts()}
    assert sorted(actors) == ["EGY", "IGOUNO", "JOR", "RUS", "RUSMIL", "UKRMIL"]
    assert actors["RUSMIL"] == {
        "actor_code": "RUSMIL",
        "name": "Military (Russia)",
        "kind": "state",
        "country": "RUS",
        "country_iso3": "RUS",
        "country_name": "Russia",
        "known_group": None,
        "role": "MIL",
        "sector": "Military",
        "first_event_date": MONDAY,
        "last_event_date": MONDAY,
        "events_as_source": 1,
        "events_as_target": 0,
        "mentions_as_source": 2,
        "mentions_as_target": 0,
    }
    un = actors["IGOUNO"]
    assert (un["name"], un["kind"], un["known_group"], un["country"]) == (
        "United Nations",
        "igo",
        "UNO",
        None,
    )
    assert (actors["UKRMIL"]["events_as_target"], actors["UKRMIL"]["mentions_as_target"]) == (1, 2)
    assert (actors["EGY"]["kind"], actors["EGY"]["events_as_source"], actors["EGY"]["events_as_target"]) == (
        "state",
        1,
        1,
    )
    # the database's own tables are refreshed by every export
    assert query(coded, "SELECT name FROM actors WHERE actor_code = 'RUSMIL'") == [("Military (Russia)",)]


def test_cameo_codes_dimension(coded, tmp_path):
    out = tmp_path / "out"
    export(coded, out)
    codes = {row["code"]: row for row in read(out / "cameo_codes").to_dicts()}
    assert len(codes) == len(cameo_codes())
    assert codes["0256"] == {
        "code": "0256",
        "name": cameo_codes()["0256"].name,
        "level": 3,
        "base_code": "025",
        "base_name": cameo_codes()["025"].name,
        "root_code": "02",
        "root_name": "Appeal",
        "quad_class": 1,
        "quad_name": "verbal cooperation",
        "goldstein": cameo_codes()["0256"].goldstein,
        "plover_event": "REQUEST",
        "plover_mode": "yield",
        "plover_quad": "verbal conflict",
    }
    assert query(coded, "SELECT count(*) FROM cameo_codes")[0][0] == len(cameo_codes())


def test_actor_code_parts():
    assert ActorCode.parse("PSEREB").kind() == "group"
    assert ActorCode.parse("PSEREB").name() == "Rebels (Palestine)"
    assert ActorCode.parse("IGOWSTNAT").types == ("IGO",)
    assert ActorCode.parse("IGOWSTNAT").known_group == "WSTNAT"
    assert ActorCode.parse("NGOHRIAMN").name() == "Amnesty International"
    assert ActorCode.parse("COP").kind() == "state" and ActorCode.parse("COP").name() == "Police"
    assert ActorCode.parse("USAGOV").kind(only_people=True) == "person"


# ---------------------------------------------------------------- GDELT 2.0


@pytest.fixture(scope="module")
def gdelt(coded, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gdelt")
    export(coded, out, "--format", "gdelt")
    return out / "gdelt_events"


def test_gdelt_columns_are_gdelt_2_in_order_with_string_codes(gdelt):
    schema = pq.read_schema(next(gdelt.glob("*.parquet")))
    assert schema.names == GDELT_EVENT_COLUMNS and len(schema.names) == 61
    assert str(schema.field("EventCode").type) == "string"
    assert str(schema.field("GLOBALEVENTID").type) == "int64"
    assert str(schema.field("DATEADDED").type) == "int64"
    assert str(schema.field("SQLDATE").type) == "int32"


def test_gdelt_attack_row(gdelt, coded):
    rows = read(gdelt).filter(pl.col("EventCode") == "190").to_dicts()
    assert len(rows) == 1
    row = rows[0]
    first_seen = query(coded, "SELECT first_seen FROM aggregates WHERE event_code = '190'")[0][0]
    expected = {
        "GLOBALEVENTID": ATTACK_ID,
        "SQLDATE": 20240513,
        "MonthYear": 202405,
        "Year": 2024,
        "FractionDate": 2024.3671,
        "Actor1Code": "RUSMIL",
        "Actor1Name": "RUSSIA",
        "Actor1CountryCode": "RUS",
        "Actor1KnownGroupCode": None,
        "Actor1Type1Code": "MIL",
        "Actor1Type2Code": None,
        "Actor2Code": "UKRMIL",
        "Actor2CountryCode": "UKR",
        "IsRootEvent": 1,
        "EventCode": "190",
        "EventBaseCode": "190",
        "EventRootCode": "19",
        "QuadClass": 4,
        "GoldsteinScale": -10.0,
        "NumMentions": 2,
        "NumSources": 2,
        "NumArticles": 2,
        "AvgTone": None,
        "Actor1Geo_Type": 1,
        "Actor1Geo_FullName": "Russia",
        "Actor1Geo_CountryCode": "RS",
        "Actor2Geo_CountryCode": "UP",
        "ActionGeo_Type": 4,
        "ActionGeo_FullName": "Kharkiv, Kharkiv Oblast, Ukraine",
        "ActionGeo_CountryCode": "UP",
        "ActionGeo_ADM1Code": "UP07",
        "ActionGeo_ADM2Code": None,
        "ActionGeo_Lat": 49.98177,
        "ActionGeo_Long": 36.25475,
        "ActionGeo_FeatureID": "706483",
        "DATEADDED": int(first_seen.strftime("%Y%m%d%H%M%S")),
        "SOURCEURL": WIRE_A["url"],
    }
    assert {key: row[key] for key in expected} == expected
    assert row["Actor1Geo_Lat"] is not None  # the country's point (its capital)


def test_gdelt_international_actor_and_leading_zero_code(gdelt):
    row = read(gdelt).filter(pl.col("Actor1Code") == "IGOUNO").to_dicts()[0]
    assert (row["EventCode"], row["EventBaseCode"], row["EventRootCode"]) == ("0256", "025", "02")
    assert (
        row["Actor1Name"],
        row["Actor1CountryCode"],
        row["Actor1KnownGroupCode"],
        row["Actor1Type1Code"],
    ) == (
        "UNITED NATIONS",
        None,
        "UNO",
        "IGO",
    )
    assert row["Actor1Geo_Type"] is None and row["Actor2Geo_CountryCode"] == "RS"


def test_typical_gdelt_query_runs_unchanged(gdelt):
    sql = f"""
        SELECT MonthYear, Actor1CountryCode, COUNT(*) AS events
        FROM read_parquet('{gdelt}/*.parquet')
        WHERE QuadClass = 4
        GROUP BY MonthYear, Actor1CountryCode
        ORDER BY events DESC
    """
    assert duckdb.sql(sql).fetchall() == [(202405, "RUS", 1)]


def test_gdelt_mentions(coded, tmp_path):
    out = tmp_path / "out"
    result = export(coded, out, "--format", "gdelt-mentions")
    assert result.output.strip() == f"5 GDELT mentions written to {out / 'gdelt_mentions'} (1 files)"
    frame = read(out / "gdelt_mentions")
    assert frame.columns == GDELT_MENTION_COLUMNS
    attack = frame.filter(pl.col("GLOBALEVENTID") == ATTACK_ID).sort("MentionSourceName").to_dicts()
    assert [(m["MentionSourceName"], m["MentionIdentifier"]) for m in attack] == [
        ("Wire A", WIRE_A["url"]),
        ("Wire B", WIRE_B["url"]),
    ]
    first = attack[0]
    assert {k: first[k] for k in GDELT_MENTION_COLUMNS[3:]} == {
        "MentionType": 1,
        "MentionSourceName": "Wire A",
        "MentionIdentifier": WIRE_A["url"],
        "SentenceID": 1,
        "Actor1CharOffset": 0,
        "Actor2CharOffset": ATTACK.index("Ukrainian"),
        "ActionCharOffset": ATTACK.index("attacked"),
        "InRawText": 1,
        "Confidence": 90,
        "MentionDocLen": len(WIRE_A["text"]),
        "MentionDocTone": None,
        "MentionDocTranslationInfo": None,
        "Extras": None,
    }
    assert first["EventTimeDate"] == attack[1]["EventTimeDate"] <= first["MentionTimeDate"]


# ---------------------------------------------------------------- ICEWS and PLOVER


def test_icews_layout(coded, tmp_path):
    out = tmp_path / "out"
    export(coded, out, "--format", "icews")
    frame = read(out / "icews")
    assert frame.columns == ICEWS_COLUMNS
    assert frame.height == 5
    egypt = frame.filter(pl.col("Source Name") == "Egypt").to_dicts()[0]
    assert egypt == {
        "Event ID": egypt["Event ID"],
        "Event Date": dt.date(2024, 5, 14),
        "Source Name": "Egypt",
        "Source Sectors": None,
        "Source Country": "Egypt",
        "Event Text": "Sign formal agreement",
        "CAMEO Code": "057",
        "Intensity": 8.0,
        "Target Name": "Jordan",
        "Target Sectors": None,
        "Target Country": "Jordan",
        "Story ID": "wire-b-1",
        "Sentence Number": 2,
        "Publisher": "Wire B",
        "City": "Cairo",
        "District": None,
        "Province": None,
        "Country": "Egypt",
        "Latitude": 30.06263,
        "Longitude": 31.24967,
    }
    attack = frame.filter(pl.col("CAMEO Code") == "190").to_dicts()[0]
    assert (attack["Source Name"], attack["Source Sectors"], attack["Source Country"]) == (
        "Military (Russia)",
        "Military",
        "Russia",
    )
    assert (attack["City"], attack["Province"], attack["Country"]) == ("Kharkiv", "Kharkiv Oblast", "Ukraine")


def test_plover_layout(coded, tmp_path):
    out = tmp_path / "out"
    export(coded, out, "--format", "plover")
    frame = read(out / "plover")
    assert frame.height == 5
    row = frame.filter((pl.col("cameo_code") == "190") & (pl.col("publisher") == "Wire A")).to_dicts()[0]
    assert {
        k: row[k] for k in ("event_type", "mode", "quad", "source", "source_country", "target_country")
    } == {
        "event_type": "ASSAULT",
        "mode": None,
        "quad": "material conflict",
        "source": "RUSMIL",
        "source_country": "RUS",
        "target_country": "UKR",
    }
    assert (row["global_event_id"], row["event_date"], row["story_date"]) == (
        ATTACK_ID,
        MONDAY,
        dt.date(2024, 5, 15),
    )
    assert (row["place_name"], row["place_country"], row["sentence_number"]) == ("Kharkiv", "UKR", 1)
    appeal = frame.filter(pl.col("cameo_code") == "0256").to_dicts()[0]
    assert (appeal["event_type"], appeal["mode"], appeal["source_name"]) == (
        "REQUEST",
        "yield",
        "United Nations",
    )


# ---------------------------------------------------------------- CSV and JSONL


def test_csv_layout_keeps_names_and_codes(coded, tmp_path):
    out = tmp_path / "out"
    result = export(coded, out, "--format", "csv", "--layout", "gdelt")
    assert result.output.strip() == f"4 GDELT events written to {out / 'csv' / 'gdelt_events'} (1 files)"
    files = list((out / "csv" / "gdelt_events").glob("*.csv"))
    assert len(files) == 1
    frame = pl.read_csv(files[0], infer_schema=False)
    assert frame.columns == GDELT_EVENT_COLUMNS
    assert sorted(frame["EventCode"].to_list()) == ["0256", "057", "057", "190"]


def test_jsonl_layout(coded, tmp_path):
    out = tmp_path / "out"
    export(coded, out, "--format", "jsonl", "--layout", "icews")
    (path,) = (out / "jsonl" / "icews").glob("*.jsonl")
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 5 and list(records[0]) == ICEWS_COLUMNS
    assert sorted(r["CAMEO Code"] for r in records) == ["0256", "057", "057", "190", "190"]


def test_native_csv_writes_every_table(coded, tmp_path):
    out = tmp_path / "out"
    export(coded, out, "--format", "csv")
    assert sorted(p.name for p in (out / "csv").iterdir()) == [
        "actors",
        "aggregates",
        "cameo_codes",
        "events",
    ]


# ---------------------------------------------------------------- one-a-day


def test_one_a_day_keeps_each_events_root_mention(coded, tmp_path):
    out = tmp_path / "out"
    result = export(coded, out, "--one-a-day")
    assert result.output.splitlines()[0] == f"4 events written to {out / 'events'} (1 files)"
    ids = set(read(out / "events")["event_id"].to_list())
    assert ids == {row[0] for row in query(coded, "SELECT root_event_id FROM aggregates")}
    export(coded, out, "--format", "icews", "--one-a-day")
    icews = read(out / "icews")
    assert icews.height == 4
    assert icews.filter(pl.col("CAMEO Code") == "190")["Publisher"].to_list() == ["Wire A"]
    gdelt = export(coded, out, "--format", "gdelt", "--one-a-day")
    assert gdelt.output.startswith("4 GDELT events")  # an aggregate already is one per dyad, code and day


# ---------------------------------------------------------------- incremental and atomic


def test_since_last_exports_only_what_is_new(db_copy, tmp_path):
    out = tmp_path / "out"
    assert export(db_copy, out, "--format", "gdelt", "--since-last").output.startswith("4 GDELT events")
    again = export(db_copy, out, "--format", "gdelt", "--since-last")
    assert again.output.strip() == (
        f"0 GDELT events written to {out / 'gdelt_events'} (0 files, new since the last export)"
    )
    mentions = export(db_copy, out, "--format", "gdelt-mentions", "--since-last")
    assert mentions.output.startswith("5 GDELT mentions")
    native = export(db_copy, out, "--since-last")
    assert native.output.startswith("5 events")

    feed = write_jsonl(tmp_path / "more.jsonl", [WIRE_C])
    assert invoke("run", feed, "--db", db_copy, "--workers", 1, "--quiet").exit_code == 0

    # The attack gets a third mention but is not a new event (GDELT's rule); Xi's visit is.
    later = export(db_copy, out, "--format", "gdelt", "--since-last")
    assert later.output.startswith("1 GDELT events")
    assert len(list((out / "gdelt_events").glob("*.parquet"))) == 2
    events = read(out / "gdelt_events")
    assert events.height == 5 and events["GLOBALEVENTID"].n_unique() == 5
    assert export(db_copy, out, "--format", "gdelt-mentions", "--since-last").output.startswith(
        "2 GDELT mentions"
    )
    assert export(db_copy, out, "--since-last").output.splitlines()[:2] == [
        f"2 events written to {out / 'events'} (1 files, new since the last export)",
        f"1 aggregated events written to {out / 'aggregates'} (1 files, new since the last export)",
    ]
    assert read(out / "events").height == 7
    recorded = query(
        db_copy,
        f"SELECT layout, incremental, rows_written FROM exports WHERE layout = 'gdelt' AND target = '{out.resolve()}' "
        "ORDER BY exported_at",
    )
    assert recorded == [("gdelt", False, 4), ("gdelt", True, 0), ("gdelt", True, 1)]


def test_exports_table_is_documented(coded):
    undocumented = query(
        coded, "SELECT column_name FROM duckdb_columns() WHERE table_name = 'exports' AND comment IS NULL"
    )
    assert undocumented == []
    assert query(coded, "SELECT comment IS NOT NULL FROM duckdb_tables() WHERE table_name = 'exports'") == [
        (True,)
    ]


def hidden_entries(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.startswith(".")]


def test_export_leaves_no_temporary_files(coded, tmp_path):
    out = tmp_path / "out"
    export(coded, out)
    export(coded, out, "--since-last")
    export(coded, out, "--format", "gdelt")
    assert hidden_entries(out) == []
    for path in out.rglob("*.parquet"):
        pq.read_table(path)  # complete, readable files


def test_failed_export_changes_nothing(db_copy, tmp_path, monkeypatch):
    out = tmp_path / "out"
    export(db_copy, out, "--format", "gdelt")
    before = sorted(p.name for p in (out / "gdelt_events").iterdir())
    exports = query(db_copy, "SELECT count(*) FROM exports")

    def full_disk(con):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("events.export.refresh_dimensions", full_disk)
    result = CliRunner().invoke(cli, ["export", "--db", str(db_copy), "--out", str(out), "--format", "gdelt"])
    assert result.exit_code == 1
    assert result.output == "Error: export failed: [Errno 28] No space left on device\n"
    assert sorted(p.name for p in (out / "gdelt_events").iterdir()) == before
    assert hidden_entries(out) == []
    assert query(db_copy, "SELECT count(*) FROM exports") == exports


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--format", "gdelt", "--layout", "icews"],
            "Error: --format gdelt already is a layout; use --format parquet|csv|jsonl --layout icews\n",
        ),
        (
            ["--since", "2024-05-14", "--until", "2024-05-13"],
            "Error: --since 2024-05-14 is after --until 2024-05-13\n",
        ),
    ],
)
def test_bad_options_are_one_line(coded, tmp_path, args, message):
    result = CliRunner().invoke(cli, ["export", "--db", str(coded), "--out", str(tmp_path / "out"), *args])
    assert result.exit_code == 1
    assert result.output == message


def test_missing_database_is_one_line(tmp_path):
    result = CliRunner().invoke(
        cli, ["export", "--db", str(tmp_path / "none.duckdb"), "--out", str(tmp_path)]
    )
    assert result.exit_code == 1
    assert result.output.startswith("Error: no database at ") and result.output.count("\n") == 1
