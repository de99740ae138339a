"""Pre-filter: decide from tokens alone, before tagging and parsing, which sentences may carry an event.

Parsing is what a run spends its time on, and most news sentences (market figures, match reports, weather) cannot
yield an event. A sentence is kept when it contains a trigger (an inflected form of a lexicon head, frame verb or
frame adjective) and a candidate actor (a dictionary name, a pronoun that may refer back to one, or a capitalised
word inside the sentence). Everything else is skipped: not tagged, not parsed. `make eval` measures what this costs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from spacy.tokens import Span

from events.actors import ActorDictionary, actor_dictionary, strip_accents
from events.cameo import read_tsv
from events.lexicon import PREPOSITIONS, Lexicon, lemma_fixes, load_lexicon

DATA_DIR = Path(__file__).parent / "data"
PRONOUNS = frozenset("he she it they him her them his its their".split())
VOWELS = set("aeiou")


def word_forms(lemma: str, irregular: dict[str, set[str]]) -> set[str]:
    """Every surface form a lemma may take in news: plural, third person, past, participles."""
    forms = {lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "d", lemma + "ing"}
    forms |= irregular.get(lemma, set())
    if lemma.endswith("e"):
        forms |= {lemma[:-1] + "ing", lemma[:-1] + "ed"}
    if lemma.endswith("y") and len(lemma) > 2 and lemma[-2] not in VOWELS:
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if (
        len(lemma) > 2
        and lemma[-1] not in VOWELS | {"w", "x", "y"}
        and lemma[-2] in VOWELS
        and lemma[-3] not in VOWELS
    ):
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}  # "ban" -> "banned", "banning"
    return forms


@cache
def irregular_forms(data_dir: Path = DATA_DIR) -> dict[str, set[str]]:
    return {row["lemma"]: set(row["forms"].split("|")) for row in read_tsv(data_dir / "irregular_verbs.tsv")}


@dataclass(frozen=True)
class Trigger:
    """What one lexicon pattern needs to be present in a sentence, as groups of surface forms (any of each)."""

    needs: tuple[frozenset[str], ...]


@dataclass(frozen=True)
class Prefilter:
    triggers: dict[str, tuple[Trigger, ...]]  # a head word form -> the patterns it heads
    dictionary: ActorDictionary
    names: frozenset[str]  # parts of known people's names ("putin"), which news uses alone

    def keep(self, sentence: Span) -> bool:
        words = [strip_accents(t.lower_).replace("\u2019", "'") for t in sentence]
        present = set(words)
        if not any(
            all(group & present for group in trigger.needs)
            for word in present & self.triggers.keys()
            for trigger in self.triggers[word]
        ):
            return False
        if present & PRONOUNS or present & self.names:
            return True
        return bool(self.dictionary.match(words, words, [t.text for t in sentence]))


@cache
def prefilter() -> Prefilter:
    return build_prefilter(load_lexicon(), actor_dictionary())


def build_prefilter(lexicon: Lexicon, dictionary: ActorDictionary) -> Prefilter:
    irregular = irregular_forms()

    def forms(alternatives) -> frozenset[str]:
        return frozenset(f for lemma in alternatives for f in word_forms(lemma, irregular))

    by_head: dict[str, list[Trigger]] = {}

    def add(heads, trigger: Trigger) -> None:
        for form in forms(heads):
            by_head.setdefault(form, []).append(trigger)

    for pattern in lexicon.patterns():
        # A content word or modifier must be there too: "take" alone is not an event word, "take hostage" is.
        # Its prepositions too: "side with" is an event word, "side" alone is not.
        groups = (*pattern.content, *pattern.modifiers, *(pattern.preps if pattern.kind == "verb" else ()))
        add(
            pattern.head,
            Trigger(tuple(frozenset(group) if group <= PREPOSITIONS else forms(group) for group in groups)),
        )
    frame_words = set(lexicon.frame_adjectives) | {"must", "should"}  # "said Y must withdraw" is a demand
    for frame in lexicon.frames:
        frame_words |= frame.verbs - frame.weak_verbs
    add(frame_words, Trigger(()))
    # Words the model lemmatises wrongly ("staged" -> "stag") stand for the lemma they should have.
    for word, lemma in lemma_fixes().items():
        by_head.setdefault(word, []).extend(by_head.get(lemma, []))
    names = frozenset(key for keys in dictionary.surnames for key in [keys])
    return Prefilter({k: tuple(v) for k, v in by_head.items()}, dictionary, names)
