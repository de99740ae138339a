"""Mentions, events and the dimension tables of the star schema.

`events` holds one row per coded sentence: a *mention*. Wire services copy each other, so one attack is often a
dozen mentions. Migration 003 groups them in SQL: the view `event_mentions` gives every mention that counts (modality
asserted or future) the id of its event, and the view `aggregates` has one row per event, keyed by
(event_date, source_code, target_code, event_code) — the same key as Phoenix's one-a-day filter — with counts of
mentions, publishers and articles and the root mention (lead paragraph first, then earliest published).

The event id must never change between runs or databases, so BI tools can join files exported months apart: it is
the first 15 hex digits of sha256 over the key, read as a (positive) BIGINT. `global_event_id` below is the same
function in Python, for tests and for anyone who wants to compute an id without DuckDB.

The two dimension tables, `actors` and `cameo_codes`, need the package's data files (names of countries,
organizations, roles; the CAMEO and PLOVER tables), which a SQL migration cannot read. `refresh_dimensions(con)`
rebuilds them; exports call it, and `events.pipeline` should call it after coding (see the README).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

import duckdb
import pyarrow as pa

from events import store
from events.cameo import DATA_DIR, cameo_codes, read_tsv

# Prefixes of international actor codes (CAMEO): what follows is the organization ("known group") code.
ORG_PREFIXES = {"IGO": "igo", "NGO": "ngo", "IMG": "group"}
ORG_PREFIX_NAMES = {
    "IGO": "International organization",
    "NGO": "Non-governmental organization",
    "IMG": "International militant group",
}


@dataclass(frozen=True)
class Role:
    """A CAMEO role (type) code: its sector name (as ICEWS writes sectors) and the kind of actor it makes."""

    sector: str
    kind: str


# Every role code the dictionaries produce (roles.tsv, institutions.tsv, organizations.tsv, people/*.tsv), plus the
# rest of the CAMEO/GDELT type list. The kind says whether a country's actor with this role is the state itself, a
# non-state group, or a sector of society.
ROLES: dict[str, Role] = {
    "GOV": Role("Government", "state"),
    "MIL": Role("Military", "state"),
    "COP": Role("Police", "state"),
    "JUD": Role("Judiciary", "state"),
    "LEG": Role("Legislature", "state"),
    "SPY": Role("Intelligence", "state"),
    "PKO": Role("Peacekeepers", "state"),
    "UIS": Role("Unidentified state actor", "state"),
    "REB": Role("Rebels", "group"),
    "SEP": Role("Separatists", "group"),
    "INS": Role("Insurgents", "group"),
    "UAF": Role("Armed groups", "group"),
    "CRM": Role("Criminals", "group"),
    "OPP": Role("Opposition", "group"),
    "PTY": Role("Political party", "group"),
    "RAD": Role("Radicals", "group"),
    "MOD": Role("Moderates", "group"),
    "CVL": Role("Civilians", "sector"),
    "BUS": Role("Business", "sector"),
    "MNC": Role("Multinational corporations", "sector"),
    "MED": Role("Media", "sector"),
    "LAB": Role("Labor", "sector"),
    "EDU": Role("Education", "sector"),
    "HLH": Role("Health", "sector"),
    "HRI": Role("Human rights", "sector"),
    "REF": Role("Refugees", "sector"),
    "AGR": Role("Agriculture", "sector"),
    "ENV": Role("Environment", "sector"),
    "ELI": Role("Elites", "sector"),
    "DEV": Role("Development", "sector"),
    "SET": Role("Settlers", "sector"),
    "NGO": Role("Non-governmental organizations", "ngo"),
    "IGO": Role("International organizations", "igo"),
}

# Names for organization codes that several organizations share (organizations.tsv lists the UN's missions and
# agencies under IGOUNO, the EU's institutions under IGOEUREEC): the umbrella, not whichever row comes first. A
# shared code missing here is named by all its organizations joined with " / ".
SHARED_ORG_NAMES = {
    "IGOUNO": "United Nations",
    "IGOEUREEC": "European Union",
    "IGOAFRAFU": "African Union",
    "IGOEURCOE": "Council of Europe",
    "IGOOPC": "OPEC",
    "IGOUNODEV": "UN development agencies",
    "IGOUNOENV": "UN environment bodies",
    "IGOUNOREF": "UN refugee and migration agencies",
    "IMG": "International militant groups",
    "NGODEV": "Development NGOs",
    "NGOENV": "Environmental NGOs",
    "NGOHLHIRC": "Red Cross and Red Crescent",
    "NGOHRIMED": "Press freedom NGOs",
    "NGOUSAHRI": "US human rights NGOs",
}

QUAD_NAMES = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}

# Actor rules (events.source_rule / target_rule) that say the actor was a named person.
PERSON_RULES = ("person:", "name:")


# ---------------------------------------------------------------- the event key


def event_key(
    event_date: dt.date | None, source_code: str | None, target_code: str | None, event_code: str
) -> str:
    """The aggregation key, as the view `event_mentions` writes it: date|source|target|code, missing parts empty."""
    day = event_date.isoformat() if event_date else ""
    return f"{day}|{source_code or ''}|{target_code or ''}|{event_code}"


def global_event_id(
    event_date: dt.date | None, source_code: str | None, target_code: str | None, event_code: str
) -> int:
    """The event's stable id: the first 15 hex digits of sha256(key), so it fits a signed BIGINT."""
    key = event_key(event_date, source_code, target_code, event_code)
    return int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:15], 16)


# ---------------------------------------------------------------- countries


@dataclass(frozen=True)
class Country:
    code: str  # CAMEO country code
    iso3: str
    fips: str | None  # FIPS 10-4, what GDELT writes in its geography columns
    name: str


@cache
def countries() -> dict[str, Country]:
    """Countries by CAMEO code (countries.tsv), with their FIPS 10-4 code (fips_countries.tsv)."""
    fips = {row["iso3"]: row["fips"] or None for row in read_tsv(DATA_DIR / "fips_countries.tsv")}
    return {
        row["code"]: Country(row["code"], row["iso3"], fips.get(row["iso3"]), row["name"])
        for row in read_tsv(DATA_DIR / "countries.tsv")
    }


@cache
def countries_by_iso3() -> dict[str, Country]:
    """The same countries by ISO 3166 alpha-3, the code of event places (events.location_country)."""
    return {country.iso3: country for country in countries().values()}


# ---------------------------------------------------------------- actor codes


@dataclass(frozen=True)
class ActorCode:
    """A CAMEO actor code split into its parts, as GDELT splits Actor1Code.

    CAMEO codes are 3-letter chunks: a country (RUS) or an international prefix (IGO, NGO, IMG), then role codes
    (RUSMIL, PSEREB). After a prefix the rest names the organization: IGOUNO -> known group UNO, IGOWSTNAT -> WSTNAT.
    """

    code: str
    country: str | None = None
    prefix: str | None = None
    known_group: str | None = None
    roles: tuple[str, ...] = ()

    @classmethod
    def parse(cls, code: str) -> ActorCode:
        head = code[:3]
        if head in ORG_PREFIXES:
            return cls(code, prefix=head, known_group=code[3:] or None)
        if head in countries():
            return cls(code, country=head, roles=_chunks(code[3:]))
        return cls(code, roles=_chunks(code))

    @property
    def types(self) -> tuple[str, ...]:
        """GDELT's Type1Code..Type3Code: the international prefix, else the role codes."""
        return (self.prefix,) if self.prefix else self.roles

    @property
    def sector(self) -> str | None:
        names = [ROLES[role].sector if role in ROLES else role for role in self.roles]
        return ", ".join(names) or None

    def kind(self, only_people: bool = False) -> str:
        """state, igo, ngo, group, sector, or person when every mention of the code named a person."""
        if only_people:
            return "person"
        if self.prefix:
            return ORG_PREFIXES[self.prefix]
        if self.roles and self.roles[0] in ROLES:
            return ROLES[self.roles[0]].kind
        return "state" if self.country and not self.roles else "other"

    def name(self) -> str:
        """The preferred name, ICEWS style: "Russia", "Military (Russia)", "United Nations"."""
        if self.prefix:
            return organization_names().get(self.code) or ORG_PREFIX_NAMES[self.prefix]
        country = countries()[self.country].name if self.country else None
        if country and self.sector:
            return f"{self.sector} ({country})"
        return country or self.sector or self.code


def _chunks(text: str) -> tuple[str, ...]:
    return tuple(text[i : i + 3] for i in range(0, len(text), 3))


@cache
def organization_names() -> dict[str, str]:
    """Name of every international organization code in organizations.tsv (see SHARED_ORG_NAMES)."""
    names: dict[str, list[str]] = defaultdict(list)
    for row in read_tsv(DATA_DIR / "organizations.tsv"):
        if row["code"][:3] in ORG_PREFIXES:
            names[row["code"]].append(row["name"])
    return {
        code: found[0] if len(found) == 1 else SHARED_ORG_NAMES.get(code, " / ".join(found))
        for code, found in names.items()
    }


# ---------------------------------------------------------------- dimension tables

CAMEO_CODES = pa.schema(
    [
        ("code", pa.string()),
        ("name", pa.string()),
        ("level", pa.int8()),
        ("base_code", pa.string()),
        ("base_name", pa.string()),
        ("root_code", pa.string()),
        ("root_name", pa.string()),
        ("quad_class", pa.int8()),
        ("quad_name", pa.string()),
        ("goldstein", pa.float64()),
        ("plover_event", pa.string()),
        ("plover_mode", pa.string()),
        ("plover_quad", pa.string()),
    ]
)

ACTORS = pa.schema(
    [
        ("actor_code", pa.string()),
        ("name", pa.string()),
        ("kind", pa.string()),
        ("country", pa.string()),
        ("country_iso3", pa.string()),
        ("country_name", pa.string()),
        ("known_group", pa.string()),
        ("role", pa.string()),
        ("sector", pa.string()),
        ("first_event_date", pa.date32()),
        ("last_event_date", pa.date32()),
        ("events_as_source", pa.int64()),
        ("events_as_target", pa.int64()),
        ("mentions_as_source", pa.int64()),
        ("mentions_as_target", pa.int64()),
    ]
)


@cache
def plover_rows() -> dict[str, dict[str, str]]:
    """CAMEO code -> its PLOVER event, mode and quad (events/data/plover.tsv)."""
    return {row["cameo"]: row for row in read_tsv(DATA_DIR / "plover.tsv")}


def cameo_codes_table() -> pa.Table:
    """Every CAMEO code with its base, root, quad class, Goldstein value and PLOVER mapping."""
    codes = cameo_codes()
    plover = plover_rows()
    rows = []
    for code in sorted(codes):
        entry = codes[code]
        mapping = plover.get(code, {})
        rows.append(
            {
                "code": code,
                "name": entry.name,
                "level": len(code) - 1,
                "base_code": entry.base,
                "base_name": codes[entry.base].name,
                "root_code": entry.root,
                "root_name": codes[entry.root].name,
                "quad_class": entry.quad_class,
                "quad_name": QUAD_NAMES[entry.quad_class],
                "goldstein": entry.goldstein,
                "plover_event": mapping.get("event") or None,
                "plover_mode": mapping.get("mode") or None,
                "plover_quad": mapping.get("quad") or None,
            }
        )
    return pa.Table.from_pylist(rows, schema=CAMEO_CODES)


# Per actor code: dates and mention counts over every events row, event counts over aggregates, and whether every
# mention named a person (its rule came from the people dictionaries).
ACTOR_STATS_SQL = f"""
WITH sides AS (
    SELECT source_code AS code, 'source' AS side, event_date, source_rule AS rule FROM events
    WHERE source_code IS NOT NULL
    UNION ALL
    SELECT target_code, 'target', event_date, target_rule FROM events WHERE target_code IS NOT NULL
),
mentions AS (
    SELECT
        code,
        min(event_date) AS first_event_date,
        max(event_date) AS last_event_date,
        count(*) FILTER (WHERE side = 'source') AS mentions_as_source,
        count(*) FILTER (WHERE side = 'target') AS mentions_as_target,
        bool_and({" OR ".join(f"starts_with(coalesce(rule, ''), '{p}')" for p in PERSON_RULES)}) AS only_people
    FROM sides GROUP BY code
),
counted AS (
    SELECT source_code AS code, count(*) AS events_as_source, 0 AS events_as_target FROM aggregates
    WHERE source_code IS NOT NULL GROUP BY 1
    UNION ALL
    SELECT target_code, 0, count(*) FROM aggregates WHERE target_code IS NOT NULL GROUP BY 1
),
totals AS (
    SELECT code, sum(events_as_source) AS events_as_source, sum(events_as_target) AS events_as_target
    FROM counted GROUP BY code
)
SELECT m.code, m.first_event_date, m.last_event_date,
    coalesce(t.events_as_source, 0) AS events_as_source, coalesce(t.events_as_target, 0) AS events_as_target,
    m.mentions_as_source, m.mentions_as_target, m.only_people
FROM mentions AS m LEFT JOIN totals AS t USING (code)
ORDER BY m.code
"""


def actors_table(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """One row per distinct actor code in events, named and classified from the dictionaries."""
    rows = []
    for code, first, last, ev_source, ev_target, m_source, m_target, only_people in con.execute(
        ACTOR_STATS_SQL
    ).fetchall():
        parts = ActorCode.parse(code)
        country = countries().get(parts.country) if parts.country else None
        rows.append(
            {
                "actor_code": code,
                "name": parts.name(),
                "kind": parts.kind(bool(only_people)),
                "country": parts.country,
                "country_iso3": country.iso3 if country else None,
                "country_name": country.name if country else None,
                "known_group": parts.known_group,
                "role": "".join(parts.roles) or None,
                "sector": parts.sector,
                "first_event_date": first,
                "last_event_date": last,
                "events_as_source": ev_source,
                "events_as_target": ev_target,
                "mentions_as_source": m_source,
                "mentions_as_target": m_target,
            }
        )
    return pa.Table.from_pylist(rows, schema=ACTORS)


def dimension_tables(con: duckdb.DuckDBPyConnection) -> dict[str, pa.Table]:
    """The star schema's dimension tables, computed from the data files and the events (read-only is enough)."""
    return {"actors": actors_table(con), "cameo_codes": cameo_codes_table()}


def refresh_dimensions(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rebuild the `actors` and `cameo_codes` tables in one transaction; return their row counts.

    Needs a writable, migrated connection and no open transaction. `events.pipeline.code_into` calls it after
    coding; every `events export` calls it too, so exports are always complete.
    """
    tables = dimension_tables(con)
    with store.transaction(con):
        for name, table in tables.items():
            con.execute(f"DELETE FROM {name}")
            store.insert_rows(con, name, table, ignore_duplicates=False)
    return {name: table.num_rows for name, table in tables.items()}
