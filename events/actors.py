"""Resolve actors: turn a noun phrase into a CAMEO actor code ("Russian President Vladimir Putin" -> RUSGOV).

Knowledge comes from the dictionaries in `data/` (countries, organizations, institutions, roles, people). A phrase
is resolved in this order: a known person (by the article date), a named institution or organization, then a
country (name, adjective or capital) combined with a role noun. A role noun alone ("police", "the ministry") takes
its country from a place phrase ("police in Lahore"), else from the article's context. Pronouns and phrases such
as "the North" or "the country" refer back to the most recent compatible actor in the article.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from spacy.tokens import Span, Token

from events.cache import load_or_build
from events.cameo import parse_yaml, read_tsv

DATA_DIR = Path(__file__).parent / "data"

PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "hers", "himself", "herself"}
THING_PRONOUNS = {"it", "its", "itself"}
PLURAL_PRONOUNS = {"they", "them", "their", "theirs", "themselves"}


@dataclass(frozen=True)
class Entry:
    """One dictionary entry a phrase can match."""

    kind: str  # country, capital, adjective, organization, institution, person, role, anaphor
    code: str  # country code, full actor code or role code
    name: str  # preferred name
    role: str | None = None
    title: bool = False
    start: dt.date | None = None
    end: dt.date | None = None
    person_key: str | None = None
    refers_to: str | None = None


@dataclass(frozen=True)
class Actor:
    code: str
    name: str
    country: str | None
    role: str | None
    start: int  # character offsets in the article text
    end: int
    kind: str  # state, igo, ngo, group, person, sector
    how: str  # dictionary, context, coreference
    rule: str = ""  # the dictionary entries that fired, for `events explain`

    def with_(self, **changes) -> Actor:
        values = {**self.__dict__, **changes}
        return Actor(**values)


@dataclass
class ActorDictionary:
    phrases: dict[tuple[str, ...], list[Entry]] = field(default_factory=dict)
    exact: dict[tuple[str, ...], list[Entry]] = field(
        default_factory=dict
    )  # case-sensitive: "US", "UN", "EU"
    max_len: int = 1
    longest_from: dict[str, int] = field(default_factory=dict)  # first word -> longest name starting with it
    country_names: dict[str, str] = field(default_factory=dict)
    igo_codes: set[str] = field(default_factory=set)
    org_kinds: dict[str, str] = field(default_factory=dict)
    surnames: dict[str, list[Entry]] = field(default_factory=dict)

    def add(self, text: str, entry: Entry) -> None:
        for variant in name_variants(text):
            key = tuple(tokenize_name(variant))
            if not key:
                continue
            # Short all-capital abbreviations match only in capitals, so "US" never matches the pronoun "us".
            letters = [c for c in variant if c.isalpha()]
            if variant.isupper() and len(letters) <= 3 and "." not in variant:
                key, index = tuple(t.text for t in _tokenizer()(variant)), self.exact
            else:
                index = self.phrases
            bucket = index.setdefault(key, [])
            if entry not in bucket:
                bucket.append(entry)
            self.max_len = max(self.max_len, len(key))
            self.longest_from[key[0]] = max(self.longest_from.get(key[0], 0), len(key))

    def match(
        self, words: list[str], lemmas: list[str], texts: list[str] | None = None, greedy: bool = True
    ) -> list[tuple[int, int, list[Entry]]]:
        """Longest matches over lowercased words (and lemmas, for plural role nouns); `texts` are the words as
        written, for the case-sensitive abbreviations. Greedy: no overlaps; otherwise the longest match at
        every start and length ("Russia" inside "Russia Today")."""
        texts = texts or []
        found = []
        i = 0
        longest_from = self.longest_from
        while i < len(words):
            hits = []
            # Only names that start with this word (as written, lowercased or lemmatised) can match here.
            reach = max(
                longest_from.get(words[i], 0),
                longest_from.get(lemmas[i], 0),
                longest_from.get(texts[i], 0) if texts else 0,
            )
            for length in range(min(reach, len(words) - i), 0, -1):
                for seq, index in (
                    (texts[i : i + length], self.exact),
                    (words[i : i + length], self.phrases),
                    (lemmas[i : i + length], self.phrases),
                ):
                    entries = index.get(tuple(seq)) if seq else None
                    if entries:
                        hits.append((i, i + length, entries))
                        break
                if hits and greedy:
                    break
            found.extend(hits)
            i = hits[0][1] if hits and greedy else i + 1
        return found


def name_variants(text: str) -> set[str]:
    text = text.strip()
    variants = {text, strip_accents(text)}
    variants |= {v.replace("\u2019", "'") for v in variants}
    return {v for v in variants if v}


NAME_PARTICLES = {
    "al",
    "el",
    "bin",
    "ibn",
    "de",
    "del",
    "la",
    "le",
    "van",
    "von",
    "der",
    "da",
    "dos",
    "ii",
    "iii",
    "iv",
    "jr",
    "sr",
    "abu",
    "abd",
}


FAMILY_NAME_FIRST = {"CHN", "TWN", "HKG", "PRK", "KOR", "VNM", "KHM", "HUN"}


def name_keys(name: str, country: str | None = None) -> set[str]:
    """The parts of a person's name that news uses alone: within an article that named the person, every word of
    three or more letters that is not a particle ("Kim", "Jong"); with `country`, for any article, only the family
    name ("Putin"; "Kim" where the family name comes first). Whether it resolves is decided by uniqueness on the
    article date."""
    parts = [p for p in strip_accents(name).replace("-", " ").lower().split() if p not in NAME_PARTICLES]
    if country is None:
        return {p for p in parts if len(p) >= 3}
    family = parts[0] if country in FAMILY_NAME_FIRST else parts[-1] if parts else ""
    return {family} if len(family) >= 3 else set()


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def tokenize_name(text: str) -> list[str]:
    """Split a dictionary name the way spaCy's English tokenizer splits running text (close enough for names)."""
    return [strip_accents(t.lower_).replace("\u2019", "'") for t in _tokenizer()(text)]


@cache
def _tokenizer():
    import spacy

    return spacy.blank("en").tokenizer


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


ACTOR_FILES = ("countries.tsv", "organizations.tsv", "institutions.tsv", "roles.tsv", "anaphora.tsv")


@cache
def actor_dictionary(data_dir: Path = DATA_DIR) -> ActorDictionary:
    """Every name in the actor files, tokenized as spaCy tokenizes running text. Tokenizing some 10,000 names
    takes a quarter of a second, so the built dictionary is cached (events.cache) under the files it was read
    from, this module and the spaCy version."""
    import spacy

    sources = [
        *(data_dir / name for name in ACTOR_FILES),
        *sorted((data_dir / "people").glob("*.tsv")),
        Path(__file__),
        spacy.__version__.encode(),
    ]
    return load_or_build("actors", sources, lambda: build_actor_dictionary(data_dir))


def build_actor_dictionary(data_dir: Path) -> ActorDictionary:
    d = ActorDictionary()
    for row in read_tsv(data_dir / "countries.tsv"):
        code = row["code"]
        d.country_names[code] = row["name"]
        for name in [row["name"], *_split(row["aliases"])]:
            d.add(name, Entry("country", code, row["name"]))
        for adjective in _split(row["adjectives"]):
            d.add(adjective, Entry("adjective", code, row["name"]))
        for capital in _split(row["capitals"]):
            d.add(capital, Entry("capital", code, row["name"], role="GOV"))
    for row in read_tsv(data_dir / "organizations.tsv"):
        entry = Entry("organization", row["code"], row["name"], role=row.get("kind") or None)
        d.org_kinds[row["code"]] = row.get("kind", "")
        if row.get("kind") == "igo":
            d.igo_codes.add(row["code"])
        for name in [row["name"], *_split(row["aliases"])]:
            d.add(name, entry)
    for row in read_tsv(data_dir / "institutions.tsv"):
        entry = Entry("institution", row["code"], row["name"])
        for name in [row["name"], *_split(row["aliases"])]:
            d.add(name, entry)
    for row in read_tsv(data_dir / "roles.tsv"):
        d.add(
            row["term"],
            Entry("role", row["role"], row["term"], role=row["role"], title=row["title"] == "yes"),
        )
    for row in (row for path in sorted((data_dir / "people").glob("*.tsv")) for row in read_tsv(path)):
        entry = Entry(
            "person",
            row["country"],
            row["name"],
            role=row["role"],
            start=_date(row["start"]),
            end=_date(row["end"]),
            person_key=row["name"],
        )
        for name in [row["name"], *_split(row["aliases"])]:
            d.add(name, entry)
        for key in name_keys(row["name"], row["country"]):
            d.surnames.setdefault(key, []).append(entry)
    for row in read_tsv(data_dir / "anaphora.tsv"):
        d.add(row["term"], Entry("anaphor", "", row["term"], refers_to=row["refers_to"]))
    # A family name that is also a title or role word ("al-Sheikh") stands for the title when alone: "Sheikh
    # Hamad" is a sheikh, not a member of the al-Sheikh family.
    for key in [k for k in d.surnames if any(e.kind == "role" for e in d.phrases.get((k,), ()))]:
        del d.surnames[key]
    return d


# ---------------------------------------------------------------- the article's actor context


@dataclass
class ArticleContext:
    """What earlier sentences of the article tell about actors: for pronouns, surnames and sector nouns."""

    date: dt.date | None
    dateline_country: str | None = None
    recent: list[Actor] = field(default_factory=list)  # actors of earlier sentences, most recent last
    sentence_actors: list[tuple[int, bool, Actor]] = field(default_factory=list)  # (token, is subject, actor)
    people: dict[str, Entry] = field(default_factory=dict)  # name part (lowercase) -> person entry
    country_counts: dict[str, int] = field(default_factory=dict)

    def start_sentence(self) -> None:
        self.recent.extend(actor for _, _, actor in self.sentence_actors)
        del self.recent[:-50]
        self.sentence_actors = []

    def remember(self, actor: Actor, token_index: int = -1, is_subject: bool = False) -> None:
        """Record an actor mentioned in the current sentence at `token_index`."""
        self.sentence_actors.append((token_index, is_subject, actor))

    def count_mentions(self, matches: SentenceMatches) -> None:
        """Count the countries a sentence names, for the article's main country."""
        seen = set()
        for start, end, entries in matches.by_token.values():
            if (start, end) in seen:
                continue
            seen.add((start, end))
            for entry in entries:
                if entry.kind in ("country", "capital", "adjective"):
                    country = entry.code
                elif entry.kind in ("organization", "institution") and entry.code[:3] not in TRANSNATIONAL:
                    country = entry.code[:3]  # "UNITA" and "the Kremlin" say which country the story is about
                else:
                    continue
                self.country_counts[country] = self.country_counts.get(country, 0) + 1
                break

    def main_country(self, besides: frozenset[str] = frozenset()) -> str | None:
        """The dateline's country, else the most mentioned one; `besides`: countries it cannot be."""
        if self.dateline_country and self.dateline_country not in besides:
            return self.dateline_country
        counts = {country: n for country, n in self.country_counts.items() if country not in besides}
        if counts:
            return max(counts.items(), key=lambda item: item[1])[0]
        return None

    def antecedent(
        self, want: str, before: int = 1 << 30, avoid: frozenset[str] = frozenset()
    ) -> Actor | None:
        """The most recent compatible actor: a subject earlier in this sentence first, then any earlier actor in
        this sentence, then earlier sentences. `avoid`: codes it cannot be ("China criticised the US, accusing
        it": an object pronoun does not refer to its own clause's subject)."""
        earlier = [
            (i, subj, a)
            for i, subj, a in self.sentence_actors
            if i < before and _compatible(a, want) and a.code not in avoid
        ]
        for prefer_subject in (True, False):
            for _, is_subject, actor in sorted(earlier, key=lambda x: -x[0]):
                if is_subject or not prefer_subject:
                    return actor
        for actor in reversed(self.recent):
            if _compatible(actor, want) and actor.code not in avoid:
                return actor
        return None


def _country_name_starts(country: str, word: str) -> bool:
    name = actor_dictionary().country_names.get(country, "")
    return name.lower().startswith(word)


# ---------------------------------------------------------------- phrase resolution


@dataclass
class SentenceMatches:
    """Dictionary matches of one sentence, by token index."""

    by_token: dict[int, tuple[int, int, list[Entry]]]  # the longest non-overlapping match covering a token
    spans: list[tuple[int, int, list[Entry]]]  # every match, overlaps included

    @classmethod
    def of(cls, sent: Span, dictionary: ActorDictionary) -> SentenceMatches:
        words = [strip_accents(t.lower_).replace("\u2019", "'") for t in sent]
        lemmas = [t.lemma_.lower() for t in sent]
        texts = [t.text for t in sent]
        by_token = {}
        for start, end, entries in dictionary.match(words, lemmas, texts):
            span = (sent.start + start, sent.start + end, entries)
            for i in range(sent.start + start, sent.start + end):
                by_token[i] = span
        spans = [
            (sent.start + a, sent.start + b, e) for a, b, e in dictionary.match(words, lemmas, texts, False)
        ]
        return cls(by_token, spans)


TRANSNATIONAL = {"IGO", "NGO", "IMG"}  # organization codes that name no country
PREMODIFIER_DEPS = {"det", "amod", "compound", "poss", "nmod", "nummod", "quantmod", "case", "flat", "punct"}


@cache
def _noun_phrase_words() -> dict[str, frozenset[str]]:
    """The word lists of `noun_phrases.yaml`: partitive heads and owner participles."""
    raw = parse_yaml((DATA_DIR / "noun_phrases.yaml").read_bytes())
    return {key: frozenset(values) for key, values in raw.items()}


def is_partitive_head(token: Token) -> bool:
    return token.lemma_.lower() in _noun_phrase_words()["partitive_heads"]


@dataclass
class PhraseParts:
    """The parts of a noun phrase that may name its actor, from most to least direct."""

    head: Token
    premodifiers: list[Token]  # "North Korean military" in "North Korean military units"
    of_phrase: list[Token]  # "Russia" in "the president of Russia"
    appositions: list[Token]  # "Russia's president" in "Vladimir Putin, Russia's president,"

    @property
    def core(self) -> list[Token]:
        return sorted([self.head, *self.premodifiers], key=lambda t: t.i)

    @property
    def all(self) -> list[Token]:
        return sorted([self.head, *self.premodifiers, *self.of_phrase, *self.appositions], key=lambda t: t.i)


def _premodifiers(token: Token) -> list[Token]:
    found = []
    for child in token.children:
        # "Vietnamese-led forces": the name before "-led" is the forces' own country.
        owner = (
            child.dep_ == "npadvmod"
            and token.dep_ == "amod"
            and token.lemma_.lower() in _noun_phrase_words()["owner_participles"]
        )
        # A part of the same hyphenated word, whatever its label: "peace" in "peace-keeping force".
        same_word = child.i < token.i and not any(t.whitespace_ for t in token.doc[child.i : token.i])
        if (
            child.dep_ in PREMODIFIER_DEPS
            and child.i < token.i
            or child.dep_ in ("flat", "compound")
            or owner
            or same_word
        ):
            found.append(child)
            found.extend(_premodifiers(child))
    return found


def phrase_parts(head: Token) -> PhraseParts:
    of_phrase, appositions = [], []
    such = any(c.dep_ == "predet" and c.lower_ == "such" for c in head.children)
    for child in head.children:
        if child.dep_ == "prep" and (child.lower_ == "of" or such and child.lower_ == "as"):
            # "the president of Russia"; "such a powerful state as the Russian Federation"
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    of_phrase.extend([pobj, *_premodifiers(pobj)])
        elif child.dep_ == "appos":
            appositions.extend([child, *_premodifiers(child)])
            for grand in child.children:
                if grand.dep_ == "prep" and grand.lower_ == "of":
                    appositions.extend(
                        t for p in grand.children if p.dep_ == "pobj" for t in [p, *_premodifiers(p)]
                    )
    return PhraseParts(head, _premodifiers(head), of_phrase, appositions)


def _hits(tokens: list[Token], matches: SentenceMatches) -> list[tuple[int, int, Entry]]:
    """Dictionary entries matched wholly inside the phrase, longest first where matches overlap: "Russia" in
    "visited Russia today" although "Russia Today" is also a name."""
    indices = {t.i for t in tokens}
    inside = [s for s in matches.spans if all(j in indices for j in range(s[0], s[1]))]
    kept = [
        s
        for s in inside
        if not any(o[0] <= s[0] and s[1] <= o[1] and o[1] - o[0] > s[1] - s[0] for o in inside)
    ]
    return [(start, end, entry) for start, end, entries in kept for entry in entries]


def _compatible(actor: Actor, want: str) -> bool:
    if want == "person":
        return actor.kind == "person"
    if want == "thing":
        return actor.kind != "person"
    if want == "country":
        return actor.kind in ("state", "person") and actor.country is not None
    if want == "igo":
        return actor.kind == "igo"
    if want in ("north", "south"):
        return actor.country is not None and _country_name_starts(actor.country, want)
    return True


def resolve_actor(
    head: Token,
    matches: SentenceMatches,
    context: ArticleContext,
    dictionary: ActorDictionary | None = None,
    avoid: frozenset[str] = frozenset(),
) -> Actor | None:
    """The actor named by the noun phrase headed by `head`, or None when it names no actor."""
    dictionary = dictionary or actor_dictionary()
    parts = phrase_parts(head)
    tokens = parts.all
    first, last = tokens[0], tokens[-1]
    start_char, end_char = first.idx, last.idx + len(last)
    # A span's text, not doc.text: the latter rebuilds the whole document's string on every call.
    text = head.doc[first.i : last.i + 1].text.strip(' ,"\u201c\u201d')

    core_hits = _hits(parts.core + parts.appositions, matches)
    of_hits = _hits(parts.of_phrase, matches)
    head_hits = _hits(parts.core, matches)
    role_hits = [h for h in head_hits if h[2].kind == "role"]
    head_is_role = any(start <= head.i < end for start, end, _ in role_hits)
    partitive = is_partitive_head(head)
    if not (head_is_role or partitive or head.pos_ == "PROPN"):
        role_hits = []
    # An "of" phrase names the actor only after a role, title, partitive or proper-noun head:
    # "the president of Russia", "members of the army", "the Commission of the Workers' Party".
    of_counts = head_is_role or partitive or head.pos_ == "PROPN"
    hits = core_hits + (of_hits if of_counts else [])
    # "an anti-Syria journalist", "pro-Kremlin separatists": a stance toward someone, who is not the actor.
    stances = frozenset(h[2].code[:3] for h in hits if _stance(head.doc, h[0]) and h[2].kind != "role")
    hits = [h for h in hits if not _stance(head.doc, h[0])]
    of_roles = [h for h in of_hits if h[2].kind == "role"]
    if of_roles and partitive:
        role_hits = of_roles  # "leaders of the opposition coalition" are opposition, not government

    def actor(code: str, country: str | None, role: str | None, kind: str, how: str, rule: str) -> Actor:
        return Actor(code, text, country, role, start_char, end_char, kind, how, rule)

    # 1. People, by the article date. A long name the parser split into several phrases ("Sheikh Hamad bin
    # Khalifa al-Thani") still names the person at any of its proper-noun words.
    persons = [h for h in hits if h[2].kind == "person"]
    covering = matches.by_token.get(head.i) if head.pos_ == "PROPN" else None
    if not persons and covering:
        persons = [(covering[0], covering[1], e) for e in covering[2] if e.kind == "person"]
    if persons:
        chosen = _person_on(persons, context.date)
        if chosen is not None:
            entry, current = chosen
            context.people.update({part: entry for part in name_keys(entry.name)})
            role = (entry.role or None) if current else "ELI"
            return actor(
                _join(entry.code, role),
                _country_or_none(entry.code, dictionary),
                role,
                "person",
                "dictionary",
                f"person: {entry.name}" + ("" if current else " (former)"),
            )
    # A surname (or other part of a name) seen earlier in the article, or a well-known surname.
    if head.pos_ == "PROPN" and not [h for h in hits if h[2].kind != "role"]:
        entry = context.people.get(head.lower_) or _unique_current_surname(
            head.lower_, context.date, dictionary
        )
        # Other names written with it must be the person's too: "Dos Santos" is not Juan Manuel Santos.
        titles = {i for start, end, _ in role_hits for i in range(start, end)}
        given = [t for t in parts.premodifiers if t.pos_ == "PROPN" and t.i not in titles]
        if entry is not None and any(not _is_name_part(t.text, entry.name) for t in given):
            entry = None
        if entry is not None:
            return actor(
                _join(entry.code, entry.role),
                _country_or_none(entry.code, dictionary),
                entry.role,
                "person",
                "coreference",
                f"name: {entry.name}",
            )

    # A name that is the head itself outranks names in its modifiers: "NATO-member Norway" is Norway. So does a
    # longer name the head is part of, which the phrase's parts miss: "National Union for the Total Independence
    # of Angola" is UNITA, not a union.
    if covering:
        hits = hits + [
            (covering[0], covering[1], e) for e in covering[2] if e.kind in ("organization", "institution")
        ]
    head_named = [h for h in hits if h[0] <= head.i < h[1] and h[2].kind not in ("role", "person")]
    if head_named:
        hits = head_named + [
            h for h in hits if h[2].kind == "role" and not head_named[0][0] <= h[0] < head_named[0][1]
        ]

    # 2. Named institutions and organizations.
    for kind in ("institution", "organization"):
        named = [h for h in hits if h[2].kind == kind]
        if named:
            entry = _nearest(named, head)
            if kind == "institution":
                country, role = entry.code[:3], entry.code[3:] or None
                return actor(entry.code, country, role, "state", "dictionary", f"institution: {entry.name}")
            org_kind = dictionary.org_kinds.get(entry.code, "igo")
            country = None if entry.code[:3] in ("IGO", "NGO", "IMG") else entry.code[:3]
            start, end = next((h[0], h[1]) for h in named if h[2] is entry)
            # A role word inside the name is part of it: the "Union" of "National Union for ..." is no union.
            role_hits = [h for h in role_hits if not start <= h[0] < end]
            if country and head_is_role and org_kind in ("group", "party") and role_hits:
                # "the Taliban government", "Hamas officials": the group's country, the head's role.
                role = _nearest(role_hits, head).role
                return actor(
                    country + role,
                    country,
                    role,
                    "state",
                    "dictionary",
                    f"organization: {entry.name}; role: {role}",
                )
            role = None if country is None else entry.code[3:] or None
            return actor(
                entry.code,
                country,
                role,
                org_kind if org_kind in ("igo", "ngo") else "group",
                "dictionary",
                f"organization: {entry.name}",
            )

    # 3. Countries (names, adjectives, capitals) and roles.
    places = [h for h in hits if h[2].kind in ("country", "adjective", "capital")]
    people_of: frozenset[str] = stances  # countries it is not: also an ethnic group's namesake
    demonym_head = [h for h in places if h[2].kind == "adjective" and h[0] <= head.i < h[1]]
    # "the Albanians of southern Serbia": a people named by where they live.
    people_of_place = bool(demonym_head) and _place_country(head, matches, {"of"}) not in (
        None,
        demonym_head[0][2].code,
    )
    if people_of_place or any(
        t.lower_ == "ethnic" for t in parts.premodifiers + (parts.of_phrase if partitive else [])
    ):
        # "ethnic Albanians in Serbia" are a people, not Albania: the country comes from the place or context.
        people_of |= frozenset(h[2].code for h in places if h[2].kind == "adjective")
        places = [h for h in places if h[2].kind != "adjective"]
        role_entry_default = "CVL"
    else:
        role_entry_default = None
    anaphors = [h for h in hits if h[2].kind == "anaphor"]
    role_entry = _nearest(role_hits, head) if role_hits else None
    role = role_entry.role if role_entry else role_entry_default
    if not places and not anaphors:
        # "the Bush administration": a known surname right before the head gives the country.
        for token in parts.premodifiers:
            if token.pos_ == "PROPN" and token.i == head.i - 1 and token.dep_ == "compound":
                entry = context.people.get(token.lower_) or _unique_current_surname(
                    token.lower_, context.date, dictionary
                )
                if entry is not None and _country_or_none(entry.code, dictionary):
                    places = [(token.i, token.i + 1, Entry("country", entry.code, entry.name))]
                    break

    country = None
    how = "dictionary"
    rule = ""
    if places:
        place = _nearest(places, head)
        country = place.code
        rule = f"{place.kind}: {place.name}"
        if place.kind == "capital" and role is None and _is_head_of(place, head, places):
            role = "GOV"
    elif anaphors:
        referent = context.antecedent(anaphors[0][2].refers_to or "any", head.i)
        if referent is None:
            return None
        if role is None and referent.country and anaphors[0][2].refers_to in ("north", "south", "country"):
            # "the North", "the country" name the state itself, whatever part of it was named before.
            return actor(
                referent.country,
                referent.country,
                None,
                "state",
                "coreference",
                f"refers to: {referent.name}",
            )
        if role is None:
            return referent.with_(
                name=text,
                start=start_char,
                end=end_char,
                how="coreference",
                rule=f"refers to: {referent.name}",
            )
        country, how, rule = referent.country, "coreference", f"refers to: {referent.name}"
    elif head.lower_ in PERSON_PRONOUNS | THING_PRONOUNS | PLURAL_PRONOUNS:
        if _is_expletive(head):
            return None
        want = "person" if head.lower_ in PERSON_PRONOUNS else "thing"
        referent = context.antecedent(want, head.i, avoid)
        if referent is None:
            return None
        return referent.with_(
            name=text,
            start=start_char,
            end=end_char,
            how="coreference",
            rule=f"pronoun {head.text!r} refers to: {referent.name}",
        )
    elif role is not None:
        # "its troops", "their forces": the country of the possessor.
        for token in parts.premodifiers:
            if token.dep_ == "poss" and token.lower_ in THING_PRONOUNS | PLURAL_PRONOUNS:
                referent = context.antecedent("thing", head.i)
                if referent is not None and referent.country:
                    country, how = referent.country, "coreference"
                    rule = f"possessive {token.text!r} refers to: {referent.name}"
                break

    if country is None and role is None:
        # A city or region acted upon stands for its country: "shelled Kharkiv" -> UKR.
        if head.dep_ in ("dobj", "pobj", "nsubjpass", "dative") and not hits:
            found = gazetteer_place(head)
            if found:
                return actor(found[0], found[0], None, "state", "dictionary", f"place: {found[1]}")
        return None
    if country is None:
        # A sector noun alone ("police", "troops"): its country from a place phrase or the article.
        country = _place_country(head, matches, ROLE_PLACE_PREPOSITIONS) or context.main_country(
            besides=people_of
        )
        how = "context"
        rule = (rule + "; " if rule else "") + (
            f"country from context: {country}" if country else "no country"
        )
    if role_entry:
        rule = (rule + "; " if rule else "") + f"role: {role_entry.name}"
    code = _join(country, role) if country else role
    # "President Laurent Gbagbo", not in the people files: a person by the title, whom "he" can refer back to.
    titled_person = (
        head.pos_ == "PROPN"
        and role_entry is not None
        and role_entry.title
        and head.i not in {i for start, end, _ in role_hits for i in range(start, end)}
    )
    kind = "person" if titled_person else "sector" if role else "state"
    return actor(code, country, role, kind, how, rule)


def _is_name_part(word: str, name: str) -> bool:
    return strip_accents(word).lower() in strip_accents(name).replace("-", " ").lower().split()


def _stance(doc, start: int) -> bool:
    """Whether the name at `start` follows "anti-" or "pro-"."""
    return start >= 2 and doc[start - 1].text == "-" and doc[start - 2].lower_ in ("anti", "pro")


def _is_expletive(token: Token) -> bool:
    """ "regards it as an honour to ...", "it is important to ...": a dummy "it" that refers to nothing."""
    if token.lower_ != "it":
        return False
    verb = token.head
    if token.dep_ == "dobj":
        return any(
            c.dep_ == "prep" and c.lower_ == "as" or c.dep_ in ("xcomp", "ccomp", "oprd")
            for c in verb.children
        )
    if token.dep_ in ("nsubj", "expl") and verb.lemma_ == "be":
        return any(c.dep_ in ("xcomp", "ccomp", "csubj") for c in verb.children)
    return token.dep_ == "expl"


def _join(country: str | None, role: str | None) -> str:
    return (country or "") + (role or "")


def _country_or_none(code: str, dictionary: ActorDictionary) -> str | None:
    return code if code in dictionary.country_names else None


def _person_on(persons: list[tuple[int, int, Entry]], date: dt.date | None) -> tuple[Entry, bool] | None:
    """The person's role on `date`: (entry, True) when in office, (latest past entry, False) when former."""
    entries = [h[2] for h in persons]
    if date is None:  # no article date: the person's latest role, as if the story were from that time
        current = [e for e in entries if e.end is None]
        return (current[0], True) if current else (max(entries, key=lambda e: e.end or dt.date.max), True)
    held = [e for e in entries if (e.start is None or e.start <= date) and (e.end is None or date <= e.end)]
    if held:
        return held[0], True
    past = [e for e in entries if e.end is not None and e.end < date]
    if past:
        return max(past, key=lambda e: e.end), False
    return None


def _unique_current_surname(surname: str, date: dt.date | None, dictionary: ActorDictionary) -> Entry | None:
    entries = dictionary.surnames.get(surname, [])
    if not entries:
        return None
    if date is None:  # no date: unambiguous when every bearer of the name held the same kind of office
        codes = {(e.code, e.role) for e in entries}
        return max(entries, key=lambda e: e.end or dt.date.max) if len(codes) == 1 else None
    holders = {}
    for entry in entries:
        if (entry.start is None or entry.start <= date) and (entry.end is None or date <= entry.end):
            holders.setdefault(entry.person_key, entry)
    return next(iter(holders.values())) if len(holders) == 1 else None


def _nearest(hits: list[tuple[int, int, Entry]], head: Token) -> Entry:
    """The hit that covers the head, else the closest one before it."""
    for start, end, entry in hits:
        if start <= head.i < end:
            return entry
    before = [h for h in hits if h[1] <= head.i]
    chosen = max(before, key=lambda h: h[1]) if before else min(hits, key=lambda h: h[0])
    return chosen[2]


def _is_head_of(entry: Entry, head: Token, places: list[tuple[int, int, Entry]]) -> bool:
    return any(start <= head.i < end and e is entry for start, end, e in places)


PLACE_PREPOSITIONS = {"in", "near", "from", "at", "across", "throughout", "around", "inside", "outside"}
ROLE_PLACE_PREPOSITIONS = PLACE_PREPOSITIONS | {"of"}  # "the governor of Kandahar" too


def place_country(token: Token, matches: SentenceMatches) -> str | None:
    """The country a place name stands for: from the dictionary ("Kyiv" -> UKR), else from the gazetteer for a
    proper noun ("Lahore" -> PAK, "Abidjan" -> CIV)."""
    span = matches.by_token.get(token.i)
    if span:
        for entry in span[2]:
            if entry.kind in ("country", "capital"):
                return entry.code
        return None
    place = gazetteer_place(token)
    return place[0] if place else None


def gazetteer_place(token: Token) -> tuple[str, str] | None:
    """(CAMEO country code, gazetteer name) of a proper-noun place name such as "Kharkiv" or "Gaza City", or of
    one named in a container noun ("Kandahar province")."""
    from events.places import CONTAINER_NOUNS, Gazetteer

    if token.pos_ != "PROPN":
        names = [c for c in token.children if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i < token.i]
        if token.lower_ not in CONTAINER_NOUNS or not names:
            return None
        token = names[-1]

    words = [
        t for t in token.doc[token.left_edge.i : token.i + 1] if t.pos_ == "PROPN" or t.dep_ == "compound"
    ]
    name = " ".join(t.text for t in words) or token.text
    place = Gazetteer.load().lookup(
        name
    )  # the whole name only: "Europe Bridge" is not a town called "Bridge"
    if place is None:
        return None
    return code_of_iso3(place.country), place.name


@cache
def _code_of_iso3() -> dict[str, str]:
    return {row["iso3"]: row["code"] for row in read_tsv(DATA_DIR / "countries.tsv") if row.get("iso3")}


def code_of_iso3(iso3: str) -> str:
    """The CAMEO country code for an ISO-3 code (they differ for a few: ROU/ROM, MNE/MTN, TLS/TMP, IMN/IMY)."""
    return _code_of_iso3().get(iso3, iso3)


def _place_country(
    head: Token, matches: SentenceMatches, prepositions: frozenset[str] | set[str] = PLACE_PREPOSITIONS
) -> str | None:
    """Country of a place phrase attached to the head: "police in Lahore", "troops near Kharkiv", and for a
    role, "the governor of Kandahar"."""
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in prepositions:
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    country = place_country(pobj, matches)
                    if country:
                        return country
    return None


def resolve_actors(
    head: Token,
    matches: SentenceMatches,
    context: ArticleContext,
    dictionary: ActorDictionary | None = None,
    avoid: frozenset[str] = frozenset(),
) -> list[Actor]:
    """Like `resolve_actor`, but "Hungarian and Romanian officials" names two actors."""
    actor = resolve_actor(head, matches, context, dictionary, avoid)
    if actor is None or actor.country is None:
        return [actor] if actor else []
    found = [actor]
    for modifier in head.children:
        if modifier.dep_ not in ("amod", "compound") or modifier.i > head.i:
            continue
        for other in modifier.children:
            if other.dep_ != "conj":
                continue
            span = matches.by_token.get(other.i)
            countries = [e.code for e in span[2] if e.kind in ("country", "adjective")] if span else []
            if countries and countries[0] != actor.country:
                found.append(
                    actor.with_(
                        code=countries[0] + (actor.role or ""),
                        country=countries[0],
                        name=other.text,
                        rule=actor.rule + f"; conjoined: {other.text}",
                    )
                )
    return found
