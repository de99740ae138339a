"""Validation of the domain data in events/data: every file loads, every code is real, every CAMEO code is
covered, and the tables agree with the reference tables in ../shared when those are present."""

import csv
import datetime as dt
from pathlib import Path

import pytest
import yaml

from events.actors import actor_dictionary
from events.cameo import cameo_codes, quad_class, read_tsv
from events.lexicon import PREPOSITIONS, compile_pattern, load_lexicon
from tests.conftest import SHARED

DATA = Path(__file__).resolve().parent.parent / "events" / "data"
REFERENCE_CODES = SHARED / "benchmarks" / "cameo_eventcodes.tsv"
REFERENCE_COUNTRIES = SHARED / "benchmarks" / "cameo" / "CAMEO.country.tsv"
REFERENCE_TYPES = SHARED / "benchmarks" / "cameo" / "CAMEO.type.tsv"


def test_cameo_table_has_every_root_and_quad_classes():
    codes = cameo_codes()
    assert {c for c in codes if len(c) == 2} == {f"{i:02d}" for i in range(1, 21)}
    assert codes["062"].goldstein == 7.4 and codes["062"].root == "06"
    assert [quad_class(c) for c in ("010", "057", "061", "094", "111", "145", "150", "204")] == [
        1,
        1,
        2,
        2,
        3,
        3,
        4,
        4,
    ]
    for code in codes:
        assert code.isdigit() and len(code) in (2, 3, 4)
        assert code[:2] in codes and (len(code) < 4 or code[:3] in codes)
        assert -10 <= codes[code].goldstein <= 10


@pytest.mark.skipif(not REFERENCE_CODES.exists(), reason="../shared reference tables absent")
def test_cameo_table_matches_the_reference_codes_and_goldstein_values():
    with REFERENCE_CODES.open() as handle:
        reference = {row["code"]: float(row["goldstein"]) for row in csv.DictReader(handle, delimiter="\t")}
    ours = {code: c.goldstein for code, c in cameo_codes().items()}
    assert ours == reference


def test_every_cameo_code_has_a_pattern_and_every_pattern_names_a_real_code():
    lexicon = load_lexicon()
    codes = cameo_codes()
    covered = {p.code for p in lexicon.patterns()}
    assert sorted(c for c in codes if len(c) > 2 and c not in covered) == []
    assert sorted(covered - set(codes)) == []


def test_lexicon_files_are_well_formed():
    seen: dict[tuple[str, str], str] = {}
    for path in sorted((DATA / "lexicon").glob("*.yaml")):
        entries = yaml.safe_load(path.read_text())
        for code, entry in entries.items():
            assert isinstance(code, str), f"{path.name}: code {code!r} must be a quoted string"
            assert set(entry) <= {"verbs", "nouns"}, f"{path.name} {code}: unknown keys {set(entry)}"
            for kind in ("verbs", "nouns"):
                for text in entry.get(kind) or []:
                    assert text == text.lower() or "!" in text, f"{code}: {text!r} is not lowercase"
                    key = (kind, text)
                    assert key not in seen, f"{text!r} is under both {seen[key]} and {code}"
                    seen[key] = code
                    compile_pattern(code, kind[:-1], text)


def test_pattern_compilation():
    p = compile_pattern("163", "verb", "impose sanction|embargo on !lift")
    assert p.head == {"impose"} and p.preps == ({"on"},) and p.content == ({"sanction", "embargo"},)
    assert p.blockers == {"lift"} and p.target_preps == {"on"}
    n = compile_pattern("195", "noun", "air strike on|against")
    assert n.head == {"strike"} and n.modifiers == ({"air"},) and n.preps == ({"on", "against"},)
    assert "to" in PREPOSITIONS


def test_frames_map_to_real_codes():
    codes = cameo_codes()
    lexicon = load_lexicon()
    for frame in lexicon.frames:
        assert frame.default is None or frame.default in codes
        assert all(v in codes for v in frame.codes.values()), frame.name
    assert {c for c in lexicon.symmetric} <= set(codes)
    intend = next(f for f in lexicon.frames if f.name == "intend")
    assert intend.code_for("042") == "036" and intend.code_for("0874") == "0356"
    threaten = next(f for f in lexicon.frames if f.name == "threaten")
    assert threaten.code_for("195") == "1384" and threaten.code_for("163") == "1312"


def _cells(name):
    return read_tsv(DATA / name)


def test_countries_table():
    rows = _cells("countries.tsv")
    codes = [r["code"] for r in rows]
    assert len(codes) == len(set(codes)) and len(codes) >= 190
    by_code = {r["code"]: r for r in rows}
    assert "Pyongyang" in by_code["PRK"]["capitals"].split("|")
    assert "Kyiv" in by_code["UKR"]["capitals"].split("|")
    assert "North Korean" in by_code["PRK"]["adjectives"].split("|")


@pytest.mark.skipif(not REFERENCE_COUNTRIES.exists(), reason="../shared reference tables absent")
def test_country_codes_are_cameo_codes():
    reference = {row["CODE"] for row in read_tsv(REFERENCE_COUNTRIES)}
    ours = {r["code"] for r in _cells("countries.tsv")}
    # Every code we use is a CAMEO code, except territories CAMEO never listed.
    assert sorted(ours - reference) == sorted(ours - reference & ours)
    assert len(ours & reference) >= 180


def test_roles_are_cameo_types():
    valid = {
        "GOV",
        "MIL",
        "COP",
        "JUD",
        "LEG",
        "OPP",
        "REB",
        "CVL",
        "MED",
        "BUS",
        "EDU",
        "HLH",
        "REF",
        "SPY",
        "CRM",
        "UAF",
        "LAB",
        "AGR",
        "ELI",
        "HRI",
        "ENV",
        "NGO",
        "IGO",
        "PKO",
        "SET",
        "RAD",
        "MOD",
        "SEP",
        "INS",
        "MNC",
        "DEV",
        "NGM",
        "IMG",
        "UIS",
        "INT",
    }
    if REFERENCE_TYPES.exists():
        valid &= {row["CODE"] for row in read_tsv(REFERENCE_TYPES)} | {"INS"}
    for row in _cells("roles.tsv"):
        assert row["role"] in valid, row
        assert row["title"] in ("yes", "no"), row


def test_people_rows_are_valid():
    paths = sorted((DATA / "people").glob("*.tsv"))
    assert paths
    for path in paths:
        for row in read_tsv(path):
            start = dt.date.fromisoformat(row["start"]) if row["start"] else None
            end = dt.date.fromisoformat(row["end"]) if row["end"] else None
            assert start is None or end is None or start <= end, row
            assert row["role"] or row["country"].startswith("IGO"), row


def test_dictionary_resolves_common_names():
    d = actor_dictionary()

    def kinds(text):
        words = text.lower().split()
        return [(e.kind, e.code) for _, _, entries in d.match(words, words) for e in entries]

    assert ("country", "PRK") in kinds("north korea")
    assert ("adjective", "RUS") in kinds("russian")
    assert ("capital", "UKR") in kinds("kyiv")
    assert ("role", "MIL") in kinds("troops") or ("role", "MIL") in kinds("troop")


def test_noun_phrase_words_are_lowercase_lemmas_without_repeats():
    words = yaml.safe_load((DATA / "noun_phrases.yaml").read_text(encoding="utf-8"))
    assert sorted(words) == ["owner_participles", "partitive_heads"]
    for name, values in words.items():
        assert values == [v.lower() for v in values if v.isalpha()], name
        assert len(set(values)) == len(values), name
    assert {"member", "batch", "deployment"} <= set(words["partitive_heads"])
    assert "back" not in words["owner_participles"]  # "Iranian-backed" names a patron, not the actor
