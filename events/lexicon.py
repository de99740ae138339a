"""Match the lexicon: find the CAMEO code of a clause or a nominal event from the patterns in `data/lexicon/`.

The pattern language is documented in `data/README.md`. A pattern is compiled into a head lemma, the prepositions
and particles that must be attached, the content words that must appear among the verb's objects and complements,
and blocker words. Frame verbs ("agreed to", "threatened to", "urged ... to") are described in `data/frames.yaml`:
they take the family of the event they govern.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from events.cameo import DATA_DIR, parse_yaml

PREPOSITIONS = frozenset(
    "about against at away back by down for from in into of off on out over through to towards toward up upon "
    "with without between across among after under as like behind beyond near outside inside within around "
    "before during amid despite".split()
)


@dataclass(frozen=True)
class Pattern:
    code: str
    kind: str  # verb or noun
    text: str
    head: frozenset[str]
    preps: tuple[frozenset[str], ...]
    content: tuple[frozenset[str], ...]
    modifiers: tuple[frozenset[str], ...]  # noun patterns: words before the head ("air" in "air strike")
    blockers: frozenset[str]

    @property
    def specificity(self) -> int:
        return 1 + len(self.preps) + len(self.content) + len(self.modifiers)

    @property
    def target_preps(self) -> frozenset[str]:
        """Prepositions that introduce the target: the last one named ("pull out of X" -> "of")."""
        return self.preps[-1] if self.preps else frozenset()


def _alternatives(token: str) -> frozenset[str]:
    return frozenset(part for part in token.split("|") if part)


def compile_pattern(code: str, kind: str, text: str) -> Pattern:
    words = text.split()
    blockers = frozenset(w for word in words if word.startswith("!") for w in _alternatives(word[1:]))
    words = [w for w in words if not w.startswith("!")]
    if not words:
        raise ValueError(f"{code}: empty pattern {text!r}")
    preps: list[frozenset[str]] = []
    content: list[frozenset[str]] = []
    modifiers: list[frozenset[str]] = []
    if kind == "verb":
        head = _alternatives(words[0])
        for word in words[1:]:
            alts = _alternatives(word)
            (preps if alts <= PREPOSITIONS else content).append(alts)
    else:
        # Noun pattern: modifiers, head noun, then optional target prepositions.
        head_index = len(words) - 1
        while head_index > 0 and _alternatives(words[head_index]) <= PREPOSITIONS:
            head_index -= 1
        head = _alternatives(words[head_index])
        modifiers = [_alternatives(w) for w in words[:head_index]]
        preps = [_alternatives(w) for w in words[head_index + 1 :]]
    return Pattern(code, kind, text, head, tuple(preps), tuple(content), tuple(modifiers), blockers)


@dataclass(frozen=True)
class Frame:
    """A frame verb family: its verbs and what a governed event's code becomes."""

    name: str
    verbs: frozenset[str]
    codes: dict[str, str]  # prefix of the governed event's code -> frame code
    default: str | None
    weak_verbs: frozenset[str] = frozenset()  # verbs that take no default code

    def default_for(self, lemma: str) -> str | None:
        return None if lemma in self.weak_verbs else self.default

    def code_for(self, governed: str) -> str | None:
        for length in range(len(governed), 1, -1):
            mapped = self.codes.get(governed[:length])
            if mapped:
                return mapped
        return self.default


@dataclass
class Lexicon:
    verbs: dict[str, list[Pattern]] = field(default_factory=dict)
    nouns: dict[str, list[Pattern]] = field(default_factory=dict)
    frames: list[Frame] = field(default_factory=list)
    reporting_verbs: frozenset[str] = frozenset()
    statement_nouns: frozenset[str] = frozenset()
    unattributed_attack_nouns: frozenset[str] = frozenset()
    attack_if_modified: frozenset[str] = frozenset()
    attack_modifiers: frozenset[str] = frozenset()
    aerial_attackers: frozenset[str] = frozenset()
    denial_verbs: frozenset[str] = frozenset()
    allegation_verbs: frozenset[str] = frozenset()
    light_verbs: frozenset[str] = frozenset()
    symmetric: frozenset[str] = frozenset()
    joint: frozenset[str] = frozenset()
    symmetric_if_mutual: frozenset[str] = frozenset()
    mutual_words: frozenset[str] = frozenset()
    one_sided_words: frozenset[str] = frozenset()
    accusing_codes: frozenset[str] = frozenset()
    government_target_roots: frozenset[str] = frozenset()
    targetless_roots: frozenset[str] = frozenset()
    state_roles: frozenset[str] = frozenset()
    stative_participles: frozenset[str] = frozenset()
    sports_verbs: frozenset[str] = frozenset()
    relationship_nouns: frozenset[str] = frozenset()
    sports_words: frozenset[str] = frozenset()
    frame_adjectives: dict[str, Frame] = field(default_factory=dict)
    frame_nouns: dict[str, Frame] = field(default_factory=dict)
    version: str = ""

    def add(self, pattern: Pattern) -> None:
        index = self.verbs if pattern.kind == "verb" else self.nouns
        for head in pattern.head:
            index.setdefault(head, []).append(pattern)

    def patterns(self) -> list[Pattern]:
        seen = {}
        for index in (self.verbs, self.nouns):
            for patterns in index.values():
                for pattern in patterns:
                    seen[id(pattern)] = pattern
        return list(seen.values())

    def frame_named(self, name: str) -> Frame:
        return next(frame for frame in self.frames if frame.name == name)

    def frame_of(self, lemma: str) -> Frame | None:
        for frame in self.frames:
            if lemma in frame.verbs:
                return frame
        return None


@dataclass(frozen=True)
class VerbFrame:
    """What a verb has around it, as the matcher sees it (built by `events.clauses`)."""

    lemma: str
    preps: frozenset[str]  # prepositions and particles attached to the verb (and "to" of an infinitive)
    words: frozenset[str]  # lemmas heading or modifying its objects and complements
    context: frozenset[str]  # every lemma in the clause, for blockers
    prep_words: tuple[tuple[str, frozenset[str]], ...] = ()  # (preposition, words of its object)

    def words_with(self, preps: tuple[frozenset[str], ...]) -> frozenset[str]:
        """Object words plus the words of prepositional objects the pattern names: "call for ceasefire" may use
        the object of "for"; "hold lunch" may not use "at a lunch"."""
        wanted = frozenset().union(*preps) if preps else frozenset()
        extra = [words for prep, words in self.prep_words if prep in wanted]
        return self.words.union(*extra) if extra else self.words


@dataclass(frozen=True)
class NounFrame:
    lemma: str
    modifiers: frozenset[str]
    preps: frozenset[str]
    context: frozenset[str]


def best_verb_match(lexicon: Lexicon, frame: VerbFrame) -> Pattern | None:
    candidates = [
        p
        for p in lexicon.verbs.get(frame.lemma, ())
        if all(alts & frame.preps for alts in p.preps)
        and all(alts & frame.words_with(p.preps) for alts in p.content)
        and not (p.blockers & frame.context)
    ]
    return _most_specific(candidates)


def best_noun_match(lexicon: Lexicon, frame: NounFrame) -> Pattern | None:
    candidates = [
        p
        for p in lexicon.nouns.get(frame.lemma, ())
        if all(alts & frame.modifiers for alts in p.modifiers) and not (p.blockers & frame.context)
    ]
    # A noun pattern's preposition is where its target comes from; a pattern whose preposition is present wins.
    return _most_specific(candidates, bonus=lambda p: bool(p.target_preps & frame.preps))


def _most_specific(candidates: list[Pattern], bonus=lambda p: False) -> Pattern | None:
    if not candidates:
        return None
    return max(candidates, key=lambda p: (p.specificity + (1 if bonus(p) else 0), len(p.code), p.code))


@cache
def lemma_fixes(data_dir: Path = DATA_DIR) -> dict[str, str]:
    frames = parse_yaml((data_dir / "frames.yaml").read_bytes())
    return {str(k): str(v) for k, v in (frames.get("lemma_fixes") or {}).items()}


def lemma_of(token) -> str:
    """The token's lemma for matching, corrected where the model is known to be wrong."""
    return lemma_fixes().get(token.lower_) or token.lemma_.lower()


@cache
def load_lexicon(data_dir: Path = DATA_DIR) -> Lexicon:
    import hashlib

    lexicon = Lexicon()
    digest = hashlib.sha256()
    for path in sorted((data_dir / "lexicon").glob("*.yaml")):
        raw = path.read_bytes()
        digest.update(raw)
        entries = parse_yaml(raw) or {}
        for code, entry in entries.items():
            code = str(code)
            for kind, key in (("verb", "verbs"), ("noun", "nouns")):
                for text in (entry or {}).get(key) or ():
                    lexicon.add(compile_pattern(code, kind, str(text)))
    frames_path = data_dir / "frames.yaml"
    raw = frames_path.read_bytes()
    digest.update(raw)
    frames = parse_yaml(raw)
    for name, spec in frames["frames"].items():
        frame = Frame(
            name,
            frozenset(spec["verbs"]),
            {str(k): str(v) for k, v in spec["codes"].items()},
            str(spec["default"]) if spec.get("default") else None,
            frozenset(spec.get("weak_verbs") or ()),
        )
        lexicon.frames.append(frame)
        for adjective in spec.get("adjectives") or ():
            lexicon.frame_adjectives[adjective] = frame
        for noun in spec.get("nouns") or ():
            lexicon.frame_nouns[noun] = frame
    lexicon.reporting_verbs = frozenset(frames["reporting_verbs"])
    lexicon.statement_nouns = frozenset(frames["statement_nouns"])
    lexicon.unattributed_attack_nouns = frozenset(frames["unattributed_attack_nouns"])
    lexicon.attack_if_modified = frozenset(frames["attack_if_modified"])
    lexicon.attack_modifiers = frozenset(frames["attack_modifiers"])
    lexicon.aerial_attackers = frozenset(frames["aerial_attackers"])
    lexicon.denial_verbs = frozenset(frames["denial_verbs"])
    lexicon.allegation_verbs = frozenset(frames["allegation_verbs"])
    lexicon.light_verbs = frozenset(frames["light_verbs"])
    lexicon.symmetric = frozenset(str(c) for c in frames["symmetric"])
    lexicon.joint = frozenset(str(c) for c in frames["joint"])
    lexicon.symmetric_if_mutual = frozenset(str(c) for c in frames["symmetric_if_mutual"])
    lexicon.mutual_words = frozenset(frames["mutual_words"])
    lexicon.one_sided_words = frozenset(frames["one_sided_words"])
    lexicon.accusing_codes = frozenset(str(c) for c in frames["accusing_codes"])
    lexicon.government_target_roots = frozenset(str(c) for c in frames["government_target_roots"])
    lexicon.targetless_roots = frozenset(str(c) for c in frames["targetless_roots"])
    lexicon.state_roles = frozenset(frames["state_roles"])
    lexicon.stative_participles = frozenset(frames["stative_participles"])
    lexicon.sports_verbs = frozenset(frames["sports"]["verbs"])
    lexicon.relationship_nouns = frozenset(frames["relationship_nouns"])
    lexicon.sports_words = frozenset(frames["sports"]["words"])
    lexicon.version = digest.hexdigest()[:8]
    return lexicon
