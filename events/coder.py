"""Code articles: parsed sentences in, CAMEO event mentions out.

For every sentence: extract clauses (events.clauses), match each against the lexicon (events.lexicon), resolve its
subject and object phrases to actors (events.actors), add nominal events ("the attack on X", "talks between X and
Y"), expand compound actors and symmetric actions, and drop what is not an asserted event of its own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from spacy.tokens import Span, Token

from events import __version__
from events.actors import (
    Actor,
    ArticleContext,
    SentenceMatches,
    actor_dictionary,
    code_of_iso3,
    place_country,
    resolve_actors,
)
from events.clauses import (
    Clause,
    condition_clauses,
    conjuncts,
    extract_clauses,
    is_infinitive,
    is_statement_content,
    noun_frame,
    subject_of,
    verb_frame,
)
from events.dates import EventDate, event_date
from events.lexicon import Frame, Lexicon, Pattern, best_noun_match, best_verb_match, lemma_of, load_lexicon
from events.parse import Dateline, ParsedArticle, paragraph_index_at
from events.places import Gazetteer, Place, place_of
from events.read import Article

DATA_DIR = Path(__file__).parent / "data"
SCORE = re.compile(r"(?<![\d-])\d{1,3}\s?[-\u2013]\s?\d{1,3}(?![\d-])")  # "2-0", "3 - 1"
# On a noun that names the action, the actor after "of" is the one acted upon ("the withdrawal of Serbian forces",
# "the blockade of Serbia"); then the usual target prepositions.
ACTION_NOUN_PREPS = (
    "of",
    "to",
    "against",
    "on",
    "upon",
    "at",
    "toward",
    "towards",
    "into",
    "over",
    "for",
    "with",
    "from",
    "between",
    "by",
)
PLACE_TARGET_PREPS = {"in", "across", "throughout", "inside"}
BACKGROUND_PREPS = {"after", "following", "since", "before", "during", "amid", "amidst", "despite", "as"}
OBJECT_TARGET_PREPS = {
    "by",
    "from",
    "between",
    "to",
    "against",
    "on",
    "with",
    "for",
    "toward",
    "towards",
    "over",
    "into",
    "upon",
    "at",
}
DEFAULT_TARGET_PREPS = (
    "against",
    "on",
    "upon",
    "at",
    "with",
    "to",
    "toward",
    "towards",
    "into",
    "for",
    "from",
    "between",
    "over",
    "about",  # "concerned about the NATO buildup", "complained about Israel"
)
ASSERTED_MODALITIES = {"asserted", "future"}
FRAMED_ROOTS = {"02", "03", "10", "12", "13"}  # appeals, intents, demands, rejections, threats
CONFIDENCE_BASE = {"clause": 0.9, "inherited": 0.8, "control": 0.8, "object-control": 0.8, "nominal": 0.7}


@cache
def coder_version() -> str:
    """Package version plus a hash of every data file, so a lexicon change re-codes articles."""
    digest = hashlib.sha256()
    for path in sorted(DATA_DIR.rglob("*")):
        if path.is_file() and path.suffix in (".tsv", ".yaml"):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:8]}"


@dataclass(frozen=True)
class SentenceRow:
    article_id: str
    sentence_index: int
    paragraph_index: int
    char_start: int
    char_end: int
    text: str


@dataclass(frozen=True)
class EventMention:
    """One coded event: who (source) did what (code) to whom (target), and how the coder knows."""

    article_id: str
    sentence_index: int
    source: Actor | None
    target: Actor | None
    code: str
    action_text: str
    action_start: int
    action_end: int
    pattern: str
    how_found: str
    modality: str
    confidence: float
    attribution: str | None
    is_root_event: bool
    action_index: int = -1  # token index of the action word in the parsed document
    when: EventDate | None = None  # resolved from the sentence's date expression (events.dates)
    where: tuple[Place, str] | None = None  # the place and why it was chosen (events.places)

    @property
    def event_id(self) -> str:
        key = "\x1f".join(
            [self.article_id, str(self.sentence_index), _code(self.source), _code(self.target), self.code]
        )
        return hashlib.sha256(key.encode()).hexdigest()[:16]

    @property
    def key(self) -> tuple[str, str, str]:
        return _code(self.source), _code(self.target), self.code


def _code(actor: Actor | None) -> str:
    return actor.code if actor else ""


@dataclass
class CodedArticle:
    article: Article
    sentences: list[SentenceRow] = field(default_factory=list)
    events: list[EventMention] = field(default_factory=list)


@dataclass(frozen=True)
class CoderOptions:
    keep_negated: bool = False
    keep_hypothetical: bool = False
    prefilter: bool = True  # parse only sentences with an event word and a candidate actor (events.prefilter)


@dataclass
class _Candidate:
    sources: list[Actor]
    targets: list[Actor]
    code: str
    pattern: str
    how: str
    action: Token
    action_end: int
    modality: str
    frame_code: bool = False
    target_prep: str | None = None  # the preposition that introduced the target ("clashed with X")


class Coder:
    """Codes parsed articles. One instance holds the loaded lexicon and dictionaries."""

    def __init__(self, options: CoderOptions | None = None, lexicon: Lexicon | None = None):
        self.options = options or CoderOptions()
        self.lexicon = lexicon or load_lexicon()
        self.dictionary = actor_dictionary()
        self.version = coder_version()

    # ------------------------------------------------------------ articles

    def code(self, article: Article, parsed: ParsedArticle) -> CodedArticle:
        """Code one parsed article (see `events.parse.parse_articles`)."""
        coded = CodedArticle(article)
        context = ArticleContext(
            date=article.published_date, dateline_country=self._dateline_country(parsed.dateline)
        )
        for index, span in enumerate(parsed.sentences):
            paragraph = paragraph_index_at(article.text, span.start)
            coded.sentences.append(
                SentenceRow(
                    article.article_id,
                    index,
                    paragraph,
                    span.start,
                    span.end,
                    article.text[span.start : span.end],
                )
            )
            if not span.kept:
                # Skipped by the pre-filter: its countries still inform later sentences' sector nouns.
                tokens = parsed.tokens.char_span(span.start, span.end, alignment_mode="expand")
                context.start_sentence()
                context.count_mentions(SentenceMatches.of(tokens, self.dictionary))
                continue
            sent = parsed.doc.char_span(span.start, span.end, alignment_mode="expand")
            is_root = paragraph == 0 or index < 2
            events = self.code_sentence(sent, article.article_id, index, context, is_root)
            if events:
                parsed.recognize_entities(sent)  # dates and places read the entities
            coded.events.extend(self._when_and_where(sent, events, article.published_date))
        return coded

    def _when_and_where(
        self, sent: Span, events: list[EventMention], published: dt.date | None
    ) -> list[EventMention]:
        """Resolve each event's date (events.dates) and place (events.places) from its sentence."""
        out = []
        for event in events:
            # The target's country first: "Russian forces shelled Donetsk" happened in Ukraine's Donetsk.
            countries = [a.country for a in (event.target, event.source) if a is not None and a.country]
            when = event_date(sent, event.action_index, published)
            where = place_of(sent, event.action_index, [iso3_of(c) for c in countries])
            out.append(replace(event, when=when, where=where))
        return out

    def _dateline_country(self, dateline: Dateline | None) -> str | None:
        if dateline is None:
            return None
        words = [w.lower() for w in dateline.place.replace(".", ". ").split()]
        for _start, _end, entries in self.dictionary.match(words, words):
            for entry in entries:
                if entry.kind in ("country", "capital"):
                    return entry.code
        return None

    # ------------------------------------------------------------ sentences

    def code_sentence(
        self, sent: Span, article_id: str, sentence_index: int, context: ArticleContext, is_root: bool = False
    ) -> list[EventMention]:
        matches = SentenceMatches.of(sent, self.dictionary)
        clauses = extract_clauses(sent, self.lexicon)
        context.start_sentence()
        context.count_mentions(matches)
        resolve = self._resolver(matches, context)
        # Resolve every actor phrase in reading order first, so a pronoun can refer back to an actor earlier in
        # the same sentence ("North Korea confirmed that it had sent troops").
        subject_heads = {s.i for c in clauses for s in c.subjects}
        for head in self._actor_heads(clauses):
            for actor in resolve([head]):
                context.remember(actor, head.i, head.i in subject_heads)

        candidates: list[_Candidate] = []
        used_nouns: set[int] = set()
        governed: set[int] = set()  # tokens of events governed by a frame verb: not asserted on their own
        by_verb = {c.verb.i: c for c in clauses}
        for clause in clauses:
            candidate = self._code_clause(clause, resolve, used_nouns, by_verb, governed, context, matches)
            if candidate is not None:
                candidates.append(candidate)
        coded_verbs = {c.action.i for c in candidates}
        candidates.extend(self._nominal_events(sent, clauses, matches, resolve, used_nouns, coded_verbs))
        candidates = [c for c in candidates if c.action.i not in governed]
        # "opened fire on the crowd, killing one person": a participle with no target of its own is the
        # consequence of its source's main event, not another event.
        aimed = {s.code for c in candidates if c.targets for s in c.sources}
        candidates = [
            c
            for c in candidates
            if c.targets
            or not (c.action.dep_ == "advcl" and c.action.tag_ == "VBG")
            or not {s.code for s in c.sources} <= aimed
        ]

        mentions: dict[tuple[str, str, str], EventMention] = {}
        for candidate in candidates:
            speaker = None
            clause = next((c for c in clauses if c.verb.i == candidate.action.i), None)
            if clause is not None:
                speaker = self._speaker(clause, resolve)
            for mention in self._mentions(candidate, article_id, sentence_index, speaker, is_root):
                if mention.source is None:
                    continue
                if (
                    mention.target is None
                    and mention.code[:2] not in self.lexicon.targetless_roots
                    and mention.code not in RELEASE_APPEALS  # may find its target below
                ):
                    continue
                if mention.target is not None and mention.target.code == mention.source.code:
                    continue
                mentions.setdefault(mention.key, mention)
        return self._settle(mentions)

    def _settle(self, mentions: dict[tuple[str, str, str], EventMention]) -> list[EventMention]:
        """A sentence's events settled against each other: a denial answers the accusation, an appeal for release
        is aimed at the holder, and an event without a target yields to the same event with one."""
        # "The US accused Iran of ..., but Tehran denied the charge": a denial answers the accusation's maker.
        accusers = {m.target.country: m.source for m in mentions.values() if m.code[:3] == "112" and m.target}
        for key, mention in list(mentions.items()):
            accuser = accusers.get(mention.source.country)
            if mention.code == "016" and mention.target is None and accuser is not None:
                del mentions[key]
                answered = replace(mention, target=accuser, how_found="implied")
                mentions.setdefault(answered.key, answered)
        # "Japan criticised China and demanded the release of a detained Japanese businessman": an appeal for the
        # release of one's own nationals (or of someone unnamed) is aimed at whoever holds them, the source's other
        # counterpart here.
        for key, mention in list(mentions.items()):
            if mention.code not in RELEASE_APPEALS:
                continue
            target = mention.target
            if target is not None and (
                target.country != mention.source.country or target.role in self.lexicon.state_roles
            ):
                continue
            holders = [
                m.target
                for m in mentions.values()
                if m.source.code == mention.source.code
                and m.target
                and m.target.country != mention.source.country
            ]
            del mentions[key]
            if holders:
                aimed = replace(mention, target=holders[0])
                mentions.setdefault(aimed.key, aimed)
            elif target is not None:
                mentions.setdefault(key, mention)
        # "killed one soldier and wounded two others": an event without a target adds nothing to the same
        # source's event of the same code with one.
        aimed = {(source, code) for source, target, code in mentions if target}
        return [m for (source, target, code), m in mentions.items() if target or (source, code) not in aimed]

    @staticmethod
    def _actor_heads(clauses: list[Clause]) -> list[Token]:
        heads = []
        for clause in clauses:
            heads.extend(clause.subjects)
            heads.extend(clause.agents)
            heads.extend(clause.objects)
            for pobjs in clause.preps.values():
                heads.extend(pobjs)
        unique = {h.i: h for h in heads}
        return [unique[i] for i in sorted(unique)]

    # ------------------------------------------------------------ clauses

    def _code_clause(
        self,
        clause: Clause,
        resolve,
        used_nouns: set[int],
        by_verb: dict[int, Clause],
        governed: set[int],
        context: ArticleContext,
        matches: SentenceMatches,
    ) -> _Candidate | None:
        if clause.skip_reason:
            return None
        lemma = clause.lemma
        verb_pattern = best_verb_match(self.lexicon, verb_frame(clause))
        frame, complement, clause = self._clause_frame(clause, verb_pattern)
        reports = (
            lemma in self.lexicon.reporting_verbs and complement is not None and complement.dep_ == "ccomp"
        )
        if reports and frame is None and _is_obligation(complement):
            frame = self.lexicon.frame_named("demand")  # "X said Y must withdraw" is a demand on Y
        elif reports and frame is None:
            return None  # "X said (that) ...": the saying is a frame; the reported clause is coded itself
        pattern = verb_pattern
        if pattern is not None and lemma in self.lexicon.sports_verbs and self._is_sports(clause.verb.sent):
            return None  # "Egypt beat Tunisia 2-0": a match, not an assault
        if (
            pattern is not None
            and pattern.code[:2] == "01"
            and lemma in self.lexicon.light_verbs
            and any(self._noun_event(o) for o in clause.objects)
        ):
            return None  # "announced a suspension of air links": the announced event is the news, not a statement
        if (
            pattern is not None
            and pattern.code[:2] == "01"
            and any(is_statement_content(c, self.lexicon) for o in clause.objects for c in o.children)
        ):
            return None  # "issued a declaration demanding ...": the demand is the event
        # "rejected a call to adopt reforms", "rejected Saddam's proposal for a cease-fire": what was asked for is
        # what the frame verb governs, as in "refused to adopt reforms".
        requested = [o for o in clause.objects if lemma_of(o) in self.lexicon.frame_nouns]
        generic = (
            pattern is None or not pattern.content or frame is not None and pattern.code == frame.default
        )
        if frame is not None and complement is None and generic:
            # Anywhere in the object's phrase: the parser often hangs it on the asker ("calls by Annan to adopt").
            asked = [
                c for o in requested for c in o.subtree if c.dep_ in ("acl", "xcomp") and is_infinitive(c)
            ]
            complement = asked[0] if asked else None
        code = pattern.code if pattern else None
        pattern_text = f"{pattern.code}: {pattern.text}" if pattern else ""
        frame_code = False
        names_complement = (
            complement is not None
            and pattern is not None
            and any(lemma_of(complement) in alts for alts in pattern.content)
        )
        governed_pattern = (
            self._governed_code(complement, by_verb) if frame is not None and complement is not None else None
        )
        if (
            names_complement
            and governed_pattern is not None
            and (governed_pattern.content or governed_pattern.preps)
        ):
            # "urged X to return to talks": the governed clause's own pattern ("return to talks") says more than
            # the frame verb's pattern naming its verb ("urge to return"), so the frame maps it.
            names_complement = False
        if names_complement:
            # "attempted to assassinate" (185) names its complement: the assassination is not a second event.
            governed.update(t.i for t in complement.subtree)
        if frame is not None and complement is not None:
            if not names_complement:
                mapped = (
                    frame.code_for(governed_pattern.code) if governed_pattern else frame.default_for(lemma)
                )
                if mapped:
                    code, frame_code = mapped, True
                    pattern_text = f"{mapped}: {frame.name} frame" + (
                        f" + {governed_pattern.code}: {governed_pattern.text}" if governed_pattern else ""
                    )
            # The governed event is not asserted: "agreed to lift sanctions" is not a lifting.
            governed.update(t.i for t in complement.subtree)
        elif frame is not None and generic:
            # "agreed to a ceasefire", "agreed on a truce": the governed event is a noun after the preposition,
            # or after "for" on what was asked for ("rejected calls for economic aid").
            asked_for = [
                p
                for o in requested
                for c in o.subtree
                if c.dep_ == "prep" and c.lower_ == "for"
                for p in c.children
                if p.dep_ == "pobj"
            ]
            for prep in ("to", "on", "upon", "for"):
                for noun in clause.preps.get(prep, []) if prep != "for" else asked_for:
                    noun_pattern = self._noun_event(noun)
                    mapped = frame.code_for(noun_pattern.code) if noun_pattern else None
                    if mapped and code is None or mapped and pattern is not None:
                        code, frame_code = mapped, True
                        pattern_text = (
                            f"{mapped}: {frame.name} frame + {noun_pattern.code}: {noun_pattern.text}"
                        )
                        governed.add(noun.i)
                        break
                if frame_code:
                    break
        if code is None:
            return None
        modality = "negated" if clause.negated else clause.modality
        if (
            clause.negated
            and clause.modality == "future"
            and code[:2] < "10"
            and code[:2] not in FRAMED_ROOTS
        ):
            # "said it would not meet the demands", "will not accept refugees": refusing to cooperate is a
            # rejection (12), an asserted event.
            mapped = self.lexicon.frame_named("reject").code_for(code)
            if mapped:
                code, modality, frame_code = mapped, "asserted", True
                pattern_text = f"{mapped}: refusal + {pattern_text}"
        elif (
            (modality == "future" or modality == "conditional" and clause.reporter is not None)
            and not frame_code
            and code[:2] not in FRAMED_ROOTS
        ):
            # CAMEO codes a statement about one's own future action as an intent (03) or a threat (13), and so a
            # reported conditional one: "said they would meet the mediator if he gave them a veto".
            mapped = self.lexicon.frame_named("intend").code_for(code)
            if mapped:
                code, frame_code, modality = mapped, True, "future"
                pattern_text = f"{mapped}: future + {pattern_text}"
        if not self._keep(modality):
            return None

        sources, targets, target_prep = self._clause_actors(
            clause, pattern, resolve, used_nouns, complement, context, matches
        )
        doers = clause.agents if clause.passive else clause.subjects
        if code in ("190", "193") and any(lemma_of(d) in self.lexicon.aerial_attackers for d in doers):
            code, pattern_text = "195", f"195: aerial attack + {pattern_text}"  # "its jets struck ..."
        if sources and sources[0].rule.startswith(UNIDENTIFIED_ATTACKER):
            # What did it is the event: "a roadside bombing killed ..." is a roadside bombing (1833).
            weapon = clause.verb.doc.char_span(sources[0].start, sources[0].end)
            bombing = self._noun_event(weapon.root) if weapon is not None else None
            if bombing is not None and bombing.code[:2] == "18":
                code, pattern_text = bombing.code, f"{bombing.code}: {bombing.text}"
        if not targets and code[:2] == "13":
            # "threatened to halt talks if the United States deploys missiles": the threat is aimed at whoever the
            # condition is about.
            targets = self._condition_subjects(clause.verb, complement, resolve, sources)
        if not sources:
            return None
        particles = [c for c in clause.verb.children if c.dep_ == "prt"]
        action_end = max([clause.verb.idx + len(clause.verb)] + [p.idx + len(p) for p in particles])
        return _Candidate(
            sources,
            targets,
            code,
            pattern_text,
            clause.subject_how,
            clause.verb,
            action_end,
            modality,
            frame_code,
            target_prep,
        )

    def _clause_frame(
        self, clause: Clause, verb_pattern: Pattern | None
    ) -> tuple[Frame | None, Token | None, Clause]:
        """(frame, the clause it governs, the clause) of a clause: a frame verb ("agreed to meet"), a frame
        adjective ("is willing to send") or a frame noun as the object ("reached a consensus to", "reiterated its
        demand that"); the frame noun is then taken out of the clause's objects."""
        complement = clause.complement
        frame = self.lexicon.frame_of(clause.lemma)
        if frame is None and clause.lemma == "be":
            # "is willing to send", "is ready to contribute": an adjective frames the infinitive.
            for acomp in clause.verb.children:
                if acomp.dep_ == "acomp" and lemma_of(acomp) in self.lexicon.frame_adjectives:
                    xcomps = [c for c in acomp.children if c.dep_ == "xcomp"]
                    if xcomps:
                        frame, complement = self.lexicon.frame_adjectives[lemma_of(acomp)], xcomps[0]
        if frame is None and (verb_pattern is None or verb_pattern.code[:2] == "01"):
            # "reached a consensus to exchange information", "issued a threat to strike": a frame noun as the
            # object frames its infinitive, as the verb would ("agreed to", "threatened to"). A verb that is an
            # event of its own keeps it: "signed an agreement to link grids" is a signing; a frame verb frames what
            # its object asks for ("rejected a call to ...", in `_code_clause`).
            # A "that" clause does the same ("reiterated its demand that Israel ease restrictions"), on the noun
            # or, as the parser often attaches it, on the verb.
            for obj in clause.objects:
                noun_frame_of = self.lexicon.frame_nouns.get(lemma_of(obj))
                governed_clauses = [
                    c for c in obj.children if c.dep_ == "acl" and is_infinitive(c) or _is_that_clause(c)
                ]
                if complement is not None and complement.dep_ == "ccomp" and _is_that_clause(complement):
                    governed_clauses.append(complement)
                if noun_frame_of is None and lemma_of(obj) in self.lexicon.statement_nouns:
                    # "issued a reminder to Iraq that it must cooperate": a statement of an obligation is a demand.
                    governed_clauses = [c for c in governed_clauses if _is_obligation(c)]
                    noun_frame_of = self.lexicon.frame_named("demand") if governed_clauses else None
                if noun_frame_of is not None and governed_clauses:
                    frame, complement = noun_frame_of, governed_clauses[0]
                    # The frame noun is part of the action, not its target ("their demand that ...").
                    clause = replace(clause, objects=[o for o in clause.objects if o.i != obj.i])
                    break
        return frame, complement, clause

    def _is_sports(self, sent: Span) -> bool:
        if SCORE.search(sent.text):
            return True
        return any(
            lemma_of(t) in self.lexicon.sports_words or t.lower_ in self.lexicon.sports_words for t in sent
        )

    def _governed_code(self, complement: Token, by_verb: dict[int, Clause]) -> Pattern | None:
        """The lexicon pattern of the event a frame verb governs: its verb, or the noun after a light verb
        ("promised to continue military aid")."""
        clause = by_verb.get(complement.i)
        if clause is None:
            return None
        pattern = best_verb_match(self.lexicon, verb_frame(clause))
        if pattern is not None:
            return pattern
        for obj in clause.objects:
            noun_pattern = (
                best_noun_match(self.lexicon, noun_frame(obj)) if obj.pos_ in ("NOUN", "PROPN") else None
            )
            if noun_pattern is not None:
                return noun_pattern
        return None

    def _noun_event(self, token: Token) -> Pattern | None:
        """The lexicon pattern of the event a common noun names ("air strikes", "a bombing"), if any."""
        return best_noun_match(self.lexicon, noun_frame(token)) if token.pos_ == "NOUN" else None

    def _keep(self, modality: str) -> bool:
        if modality in ASSERTED_MODALITIES:
            return True
        if modality == "negated":
            return self.options.keep_negated
        return self.options.keep_hypothetical

    def _clause_actors(
        self,
        clause: Clause,
        pattern: Pattern | None,
        resolve,
        used_nouns: set[int],
        complement: Token | None,
        context: ArticleContext,
        matches: SentenceMatches,
    ) -> tuple[list[Actor], list[Actor], str | None]:
        """(sources, targets, preposition of the target) of a matched clause. The target is searched where
        wire copy puts it, most explicit first; see the numbered steps."""
        consumed = _consumed_tokens(clause, pattern)
        used_nouns.update(consumed)
        if clause.passive:
            sources = resolve(clause.agents) or self._unidentified_attacker(
                clause, pattern, [*clause.agents, *clause.preps.get("in", [])], context
            )
            targets = resolve([s for s in clause.subjects if s.i not in consumed])
            if not targets:  # "sanctions were imposed on Iran by the EU"
                for prep in (*sorted(pattern.target_preps if pattern else ()), *DEFAULT_TARGET_PREPS):
                    targets = resolve(clause.preps.get(prep, []))
                    if targets:
                        break
            return sources, targets, None
        sources = resolve(clause.subjects)
        if not sources and clause.subject_how != "clause":
            sources = self._governing_subjects(clause.verb, resolve)
        if not sources:
            sources = self._unidentified_attacker(clause, pattern, clause.subjects, context)
        # A source is not its own target; a phrase that names it again ("launched artillery fire against ...")
        # does not end the search.
        resolve = _excluding(resolve, {s.code for s in sources})
        if pattern is not None and pattern.code[:2] in VIOLENT_ROOTS:
            resolve = _capitals_as_places(resolve)
        objects = [o for o in clause.objects if o.i not in consumed]
        action_objects = [o for o in clause.objects if o.i in consumed]

        # 0. What a complaint or criticism is over: "complained to the UN over Israeli air raids" is aimed at
        #    Israel, and the raids are its topic, not a new event.
        if pattern is not None and pattern.code[:2] == "11":
            for prep in ("over", "about"):
                for noun in clause.preps.get(prep, []):
                    owners = [c for c in noun.children if c.dep_ in ("poss", "amod", "compound")]
                    targets = resolve([noun]) or [a for a in resolve(owners) if a.how == "dictionary"]
                    if targets:
                        used_nouns.add(noun.i)
                        return sources, targets, prep
        # 1. The preposition the pattern names: "call on X", "crack down on X".
        if pattern is not None:
            for prep in sorted(pattern.target_preps):
                targets = resolve(clause.preps.get(prep, []))
                if targets:
                    return sources, targets, prep
        # 2. A preposition on an object that is part of the action: "issued an ultimatum to Ecuador", "tightened
        #    the blockade of Serbia".
        targets, prep = self._object_prep_targets(action_objects, resolve, ACTION_NOUN_PREPS)
        if targets:
            return sources, targets, prep
        # 3. The indirect or direct object: "gave Ukraine weapons", "condemned Israel". Not the source's own
        #    apparatus: "will withdraw its peacekeeping force from Chad" is aimed at Chad.
        targets = resolve([o for o in objects if o.dep_ == "dative"]) or [
            t for t in resolve(objects) if not self._own(t, sources)
        ]
        if targets:
            return sources, targets, None
        # 4. Whose thing the object is, or who is behind it: "denounced Serbia's suppression", "rejected an
        #    appeal from President Gbagbo", "demanded an admission by Moscow".
        targets = resolve([c for o in objects for c in o.children if c.dep_ == "poss"])
        if targets:
            return sources, targets, None
        targets, prep = self._object_prep_targets(objects, resolve)
        if targets:
            return sources, targets, prep
        # 5. A preposition on the verb: "fired at X", "clashed with X"; then one on its object: "called for
        #    sanctions against Nigeria".
        for prep in DEFAULT_TARGET_PREPS:
            targets = resolve([h for h in clause.preps.get(prep, []) if h.i not in consumed])
            if targets:
                return sources, targets, prep
        pobjs = [h for heads in clause.preps.values() for h in heads]
        targets, prep = self._object_prep_targets(pobjs, resolve)
        if targets:
            return sources, targets, prep
        # 6. Part of the action, but someone else's by name: "trained North Korean soldiers", "violated UN
        #    resolutions", "summoned Niger's ambassador to complain". (Whose it is by context only comes after the
        #    governed clause: "sent troops to fight for Russia".)
        action_actors = [
            a for a in resolve(sorted(action_objects, key=lambda t: t.i)) if not self._own(a, sources)
        ]
        targets = [a for a in action_actors if a.how == "dictionary"]
        if targets:
            return sources, targets, None
        # 7. Inside the governed clause: "agreed to meet Putin", and a purpose clause: "sent troops to fight for
        #    Russia".
        # (Not for denials: "Iran denied that its navy seized a tanker" is not aimed at its navy.)
        governed = (
            [complement] if complement is not None and clause.lemma not in self.lexicon.denial_verbs else []
        )
        governed += [c for c in clause.verb.children if c.dep_ == "advcl" and is_infinitive(c)]
        for verb in governed:
            # "willing to withdraw its troops from Lebanon": the source's own forces are not the target.
            targets = self._complement_targets(verb, resolve, sources)
            if targets:
                return sources, targets, None
        targets = [a for a in action_actors if a.how == "context"]  # "banned opposition candidates"
        if targets:
            return sources, targets, None
        # 8. The counterpart of a relationship noun anywhere in the clause: "an alliance with Russia".
        for token in clause.verb.subtree:
            if lemma_of(token) in self.lexicon.relationship_nouns and token.i not in {
                s.i for s in clause.subjects
            }:
                heads = [
                    c
                    for p in token.children
                    if p.dep_ == "prep" and p.lower_ in ("with", "between")
                    for o in p.children
                    if o.dep_ == "pobj"
                    for c in conjuncts(o)
                ]
                targets = [a for a in resolve(heads) if a.code not in {s.code for s in sources}]
                if targets:
                    return sources, targets, "with"
        # 9. Where it happened, when nothing else is acted upon: "lifted a curfew in Montenegro", "imposed a
        #    curfew in Cizre" (the government acts on its own country).
        for verb in (clause.verb, *governed):
            place = self._place_target(verb, sources, matches)
            if place is not None:
                return sources, [place], "in"
        # 10. Whose thing was acted upon, when it is another country's: "tried to hack into the computers of
        #     South Korean army officers". Not in background phrases: "following the deaths of two Israelis".
        things = objects + [
            h for prep, heads in clause.preps.items() if prep not in BACKGROUND_PREPS for h in heads
        ]
        targets, _ = self._object_prep_targets(things, resolve, ("of",))
        targets = [t for t in targets if t.country and t.country not in {s.country for s in sources}]
        return sources, targets, None

    @staticmethod
    def _condition_subjects(
        verb: Token, complement: Token | None, resolve, sources: list[Actor]
    ) -> list[Actor]:
        """The subjects of an "if"/"unless" clause on the verb or the event it governs, other than the sources."""
        for owner in (verb, complement):
            for condition in condition_clauses(owner) if owner is not None else ():
                subjects = [
                    s for c in condition.children if c.dep_ in ("nsubj", "nsubjpass") for s in conjuncts(c)
                ]
                found = [a for a in resolve(subjects) if a.code not in {s.code for s in sources}]
                if found:
                    return found
        return []

    def _own(self, actor: Actor, sources: list[Actor]) -> bool:
        """Whether `actor` is a source's own apparatus: its country with a state role, for a source that is the
        state or a part of it ("Russia sent its troops"). Other sectors of that country are targets."""
        return actor.role in self.lexicon.state_roles and any(
            s.country == actor.country and (s.role is None or s.role in self.lexicon.state_roles)
            for s in sources
        )

    def _object_prep_targets(
        self, objects: list[Token], resolve, preps: tuple[str, ...] | None = None
    ) -> tuple[list[Actor], str | None]:
        """The actor after a preposition on an object: by `preps` order when given ("of" first for action
        nouns: "the blockade of Serbia ... with Albania's help"), else any target preposition."""
        for obj in objects:
            children = [c for c in obj.children if c.dep_ == "prep"]
            if preps is not None:
                children = sorted(
                    (c for c in children if c.lower_ in preps), key=lambda c: preps.index(c.lower_)
                )
            for prep in children:
                if preps is None and prep.lower_ not in OBJECT_TARGET_PREPS:
                    continue
                heads = [c for p in prep.children if p.dep_ == "pobj" for c in conjuncts(p)]
                targets = resolve(heads)
                if targets:
                    return targets, prep.lower_
        return [], None

    @staticmethod
    def _place_target(verb: Token, sources: list[Actor], matches: SentenceMatches) -> Actor | None:
        """The country of an "in <place>" phrase on the verb or its objects, as the target. A place in the
        source's own country counts only when the source is a part of that country (TURGOV -> TUR)."""
        # Also what the action was aimed at: "fired shells at targets in Jericho".
        heads = [
            verb,
            *(c for c in verb.children if c.dep_ in ("dobj", "obj", "attr")),
            *(
                p
                for c in verb.children
                if c.dep_ == "prep" and c.lower_ in ("at", "on", "against", "into")
                for p in c.children
                if p.dep_ == "pobj"
            ),
        ]
        places = [
            p
            for h in heads
            for c in h.children
            if c.dep_ == "prep" and c.lower_ in PLACE_TARGET_PREPS
            for p in c.children
            if p.dep_ == "pobj"
        ]
        for head in places:
            country = place_country(head, matches)
            if country is None:
                continue
            if all(s.country == country and s.role is None for s in sources):
                continue
            return Actor(
                country,
                head.text,
                country,
                None,
                head.idx,
                head.idx + len(head),
                "state",
                "dictionary",
                f"place of the event: {head.text}",
            )
        return None

    def _speaker(self, clause: Clause, resolve) -> Actor | None:
        if clause.speaker is not None:
            found = resolve([clause.speaker])
            return found[0] if found else None
        if clause.reporter is None:
            return None
        subjects, _, passive, agents = subject_of(clause.reporter)
        found = resolve(agents if passive else subjects) or self._governing_subjects(clause.reporter, resolve)
        return found[0] if found else None

    def _unidentified_attacker(
        self, clause: Clause, pattern: Pattern | None, heads: list[Token], context: ArticleContext
    ) -> list[Actor]:
        """Unidentified armed forces (UAF) of the country where it happened, when what did the violence is a
        bomb or an explosion rather than someone: "a roadside bombing near Samarra killed one U.S. soldier"."""
        if pattern is None or pattern.code[:2] not in VIOLENT_ROOTS:
            return []
        weapon = next((h for h in heads if self._is_attack_weapon(h)), None)
        if weapon is None:
            return []
        found = place_of(clause.verb.sent, clause.verb.i)
        if found:
            country, where = code_of_iso3(found[0].country), f"of the place: {found[0].name}"
        else:  # a place name anywhere in the sentence ("outside of the Iraqi city of Basra"), else the article's
            named = (Gazetteer.load().lookup(t.text) for t in clause.verb.sent if t.pos_ == "PROPN")
            place = next(
                (p for p in named if p is not None and p.type != "country"), None
            )  # a city or region
            country = code_of_iso3(place.country) if place else context.main_country()
            where = f"of the place: {place.name}" if place else f"from context: {country}"
        return [
            Actor(
                (country or "") + "UAF",
                weapon.text,
                country,
                "UAF",
                weapon.idx,
                weapon.idx + len(weapon),
                "sector",
                "context",
                f"{UNIDENTIFIED_ATTACKER}: {weapon.text}; country {where}",
            )
        ]

    def _is_attack_weapon(self, noun: Token) -> bool:
        """A bomb, or an explosion, blast or device that an attack word makes one ("car bomb explosion",
        "improvised explosive device"); not "a gas explosion"."""
        lemma = lemma_of(noun)
        if lemma in self.lexicon.unattributed_attack_nouns:
            return True
        modifiers = {lemma_of(c) for c in noun.children if c.dep_ in ("compound", "amod", "nmod")}
        return lemma in self.lexicon.attack_if_modified and bool(modifiers & self.lexicon.attack_modifiers)

    def _governing_subjects(self, verb: Token, resolve) -> list[Actor]:
        """When an inherited subject names no actor (a misparse such as "X said A was B, and condemned Y"),
        try the subjects of the verbs further up. An event noun on the way ("a roadside bombing killed one
        soldier and wounded two, the military said") means the perpetrator is unknown: no source."""
        node = verb
        for _ in range(3):
            if node.dep_ not in ("conj", "ccomp", "xcomp", "advcl") or node.head.i == node.i:
                return []
            node = node.head
            subjects, _, passive, _ = subject_of(node)
            if subjects and not passive:
                found = resolve(subjects)
                if found:
                    return found
                if any(self._noun_event(s) for s in subjects):
                    return []
        return []

    def _complement_targets(
        self, verb: Token, resolve, sources: list[Actor] = (), depth: int = 0
    ) -> list[Actor]:
        """The target inside a governed clause: its subject for "demanded that Israel withdraw", else its
        object, a preposition on its object ("provide aid for Romania") or on the verb itself, else in the clause
        it governs in turn ("willing to send material to help defend Saudi Arabia"). An object that is the
        sources' own apparatus ("its troops") is skipped."""
        if verb.dep_ == "ccomp" or _is_that_clause(verb):
            subjects = [s for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") for s in conjuncts(c)]
            targets = resolve(subjects)
            if targets:
                return targets
        objects = [c for child in verb.children if child.dep_ in ("dobj", "dative") for c in conjuncts(child)]
        targets = [t for t in resolve(objects) if not self._own(t, sources)]
        if targets:
            return targets
        # On the verb, its objects and what its prepositions govern: "respond to a demand from the US".
        pobjs = [p for c in verb.children if c.dep_ == "prep" for p in c.children if p.dep_ == "pobj"]
        for owner in [verb, *objects, *pobjs]:
            for child in owner.children:
                # On the verb, the target prepositions; on its object, "of" too: "demand the resignation of X".
                wanted = (
                    OBJECT_TARGET_PREPS | set(DEFAULT_TARGET_PREPS) | ({"of"} if owner is not verb else set())
                )
                if child.dep_ == "prep" and child.lower_ in wanted:
                    heads = [c for p in child.children if p.dep_ == "pobj" for c in conjuncts(p)]
                    targets = resolve(heads)
                    if targets:
                        return targets
        if depth < 2:
            for child in verb.children:
                if child.dep_ in ("xcomp", "ccomp") or child.dep_ == "advcl" and is_infinitive(child):
                    targets = self._complement_targets(child, resolve, sources, depth + 1)
                    if targets:
                        return targets
        return []

    def _resolver(self, matches: SentenceMatches, context: ArticleContext):
        """A resolver for this sentence: heads -> distinct actors, each head resolved once."""
        cache: dict[int, list[Actor]] = {}

        def _avoid(head: Token) -> frozenset[str]:
            """An object pronoun cannot be its own clause's subject."""
            if head.pos_ != "PRON" or head.dep_ in ("nsubj", "nsubjpass", "poss"):
                return frozenset()
            verb = head.head if head.dep_ != "pobj" else head.head.head
            subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
            if not subjects and verb.dep_ in ("advcl", "conj", "xcomp"):
                subjects = [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")]
            return frozenset(a.code for s in subjects if s.i in cache for a in cache[s.i])

        def resolve(heads: list[Token]) -> list[Actor]:
            found = []
            for head in heads:
                if head.i not in cache:
                    cache[head.i] = resolve_actors(head, matches, context, self.dictionary, _avoid(head))
                for actor in cache[head.i]:
                    if all(a.code != actor.code for a in found):
                        found.append(actor)
            return _share_country(found)

        return resolve

    # ------------------------------------------------------------ nominal events

    def _nominal_events(
        self,
        sent: Span,
        clauses: list[Clause],
        matches: SentenceMatches,
        resolve,
        used_nouns: set[int],
        coded_verbs: set[int],
    ) -> list[_Candidate]:
        by_verb = {c.verb.i: c for c in clauses}
        found = []
        for noun in sent:
            if noun.pos_ not in ("NOUN", "PROPN") or noun.i in used_nouns:
                continue
            if noun.lemma_.lower() not in self.lexicon.nouns:
                continue
            frame = noun_frame(noun)
            pattern = best_noun_match(self.lexicon, frame)
            if pattern is None:
                continue
            # Not asserted: "no talks", "did not launch an attack", a planned or denied action.
            if any(c.dep_ == "det" and c.lower_ == "no" for c in noun.children):
                continue
            governing = (
                by_verb.get(_object_of(noun).head.i)
                if _object_of(noun).dep_ in ("dobj", "obj", "nsubjpass")
                else next((c for c in clauses if any(o.i == noun.i for o in c.objects)), None)
            )
            modality = "asserted"
            how = "nominal"
            if governing is not None:
                if governing.skip_reason or governing.verb.i in coded_verbs:
                    continue  # "denied U.S. accusations": the denial is the event, the accusation its topic
                modality = "negated" if governing.negated else governing.modality
            if not self._keep(modality):
                continue
            sources = resolve([c for c in noun.children if c.dep_ == "poss"])
            if not sources:
                # "a Russian attack", "U.S. strikes": only a named country or organization, not a sector noun
                # whose country is a guess ("troop deployment").
                sources = [
                    a
                    for a in resolve(
                        [
                            c
                            for c in noun.children
                            if c.dep_ in ("amod", "compound", "nmod") and c.i in matches.by_token
                        ]
                    )
                    if a.how == "dictionary"
                ]
            if (
                not sources
                and governing is not None
                and _object_of(noun).dep_ in ("dobj", "obj")
                and governing.lemma in self.lexicon.light_verbs
            ):
                # "launched air strikes", "held talks": the light verb's subject acts.
                sources = resolve(governing.subjects) if not governing.passive else resolve(governing.agents)
            if not sources:
                continue
            targets: list[Actor] = []
            target_prep = None
            preps = [c for c in noun.children if c.dep_ == "prep"]
            if noun.dep_ == "compound":  # "a mediation mission between Syria and the PLO"
                preps += [c for c in noun.head.children if c.dep_ == "prep"]
            # and on what it is of: "a suspension of air links with Serbia"
            preps += [
                c
                for of in preps
                if of.lower_ == "of"
                for p in of.children
                if p.dep_ == "pobj"
                for c in p.children
                if c.dep_ == "prep" and c.lower_ != "of"
            ]
            wanted = pattern.target_preps or frozenset(DEFAULT_TARGET_PREPS) | {"of"}
            for prep in preps:
                if prep.lower_ in wanted or prep.lower_ == "between":
                    heads = [c for p in prep.children if p.dep_ == "pobj" for c in conjuncts(p)]
                    targets = resolve(heads)
                    if prep.lower_ == "between" and len(targets) >= 2 and not sources:
                        sources = targets
                    if targets:
                        target_prep = prep.lower_
                        break
            used_nouns.add(noun.i)
            found.append(
                _Candidate(
                    sources,
                    targets,
                    pattern.code,
                    f"{pattern.code}: {pattern.text}",
                    how,
                    noun,
                    noun.idx + len(noun),
                    modality,
                    target_prep=target_prep,
                )
            )
        return found

    # ------------------------------------------------------------ mentions

    def _mentions(
        self,
        candidate: _Candidate,
        article_id: str,
        sentence_index: int,
        speaker: Actor | None,
        is_root: bool,
    ) -> list[EventMention]:
        attribution = speaker.code if speaker else None
        code = candidate.code
        action = candidate.action
        action_start = action.idx
        end_token = max(
            (t for t in action.doc[action.i : action.i + 4] if t.idx < candidate.action_end),
            key=lambda t: t.i,
        )
        action_text = action.doc[action.i : end_token.i + 1].text
        pairs: list[tuple[Actor, Actor | None, str]] = []
        symmetric = (
            code in self.lexicon.symmetric
            or (
                code in self.lexicon.symmetric_if_mutual
                and (
                    candidate.target_prep in ("with", "between")
                    or lemma_of(action) in self.lexicon.mutual_words
                )
            )
        ) and not any(t.lower_ in self.lexicon.one_sided_words for t in action.subtree)
        joint = symmetric or code in self.lexicon.joint
        if joint and len(candidate.sources) >= 2 and candidate.target_prep != "with":
            # "Putin and Xi discussed Ukraine": the two talk to each other; the object is the topic.
            for source in candidate.sources:
                for other in candidate.sources:
                    if other is not source:
                        pairs.append((source, other, candidate.how))
        elif candidate.targets:
            for source in candidate.sources:
                for target in candidate.targets:
                    pairs.append((source, target, candidate.how))
        elif code[:2] in self.lexicon.government_target_roots:
            pairs = [(source, _government_of(source, action), candidate.how) for source in candidate.sources]
        else:
            pairs = [(source, None, candidate.how) for source in candidate.sources]

        out = []

        def emit(
            source: Actor,
            target: Actor | None,
            event_code: str,
            how: str,
            pattern: str = candidate.pattern,
            attributed: str | None = attribution,
        ) -> None:
            confidence = self._confidence(source, target, how, candidate.frame_code)
            out.append(
                EventMention(
                    article_id,
                    sentence_index,
                    source,
                    target,
                    event_code,
                    action_text,
                    action_start,
                    candidate.action_end,
                    pattern,
                    how,
                    candidate.modality,
                    confidence,
                    attributed,
                    is_root,
                    action.i,
                )
            )

        for source, target, how in pairs:
            emit(source, target, code, how)
            if target is not None and symmetric:
                emit(target, source, code, "symmetric")
        # A speaker who reports that someone broke a norm or committed violence is accusing them (112).
        if (
            speaker is not None
            and code[:3] in self.lexicon.accusing_codes
            or code[:2] in self.lexicon.accusing_codes
        ):
            for source in candidate.sources:
                unidentified = source.role == "UAF" and source.how == "context"  # nobody to accuse by name
                if (
                    speaker is not None
                    and source.code != speaker.code
                    and source.country != speaker.country
                    and not unidentified
                ):
                    emit(speaker, source, "112", "implied", "112: reported wrongdoing is an accusation", None)
        return out

    @staticmethod
    def _confidence(source: Actor, target: Actor | None, how: str, frame_code: bool) -> float:
        """Documented in the README: a base by how the event was found, minus penalties for inferred parts."""
        base = CONFIDENCE_BASE.get(how, 0.75 if how in ("symmetric", "implied") else 0.8)
        if how in ("symmetric", "implied"):
            base = 0.85
        penalty = 0.0
        for actor in (source, target):
            if actor is None:
                continue
            if actor.how == "context":
                penalty += 0.15
            elif actor.how == "coreference":
                penalty += 0.1
        if target is None:
            penalty += 0.1
        if frame_code:
            penalty += 0.05
        return round(max(0.05, min(1.0, base - penalty)), 2)


def _share_country(actors: list[Actor]) -> list[Actor]:
    """Conjoined actors share a country that only one of them names: "the Sudanese government and the rebels"
    are both Sudanese, whatever country the article is mostly about."""
    named = {a.country for a in actors if a.how == "dictionary" and a.country}
    if len(named) != 1 or len(actors) < 2:
        return actors
    country = named.pop()
    return [
        a.with_(
            code=country + (a.role or ""),
            country=country,
            how="dictionary",
            rule=a.rule + f"; country shared with a conjoined actor: {country}",
        )
        if a.how == "context" and a.role
        else a
        for a in actors
    ]


def _capitals_as_places(resolve):
    """A resolver for violence: a capital that is shelled or bombed is the city, not its government."""

    def resolve_places(heads: list[Token]) -> list[Actor]:
        return [
            a.with_(code=a.country, role=None, kind="state", rule=f"{a.rule}; the city, not its government")
            if a.role == "GOV" and a.rule.startswith("capital:") and a.country
            else a
            for a in resolve(heads)
        ]

    return resolve_places


def _excluding(resolve, codes: set[str]):
    """A resolver that leaves out actors with these codes."""
    return lambda heads: [a for a in resolve(heads) if a.code not in codes]


def _is_that_clause(token: Token) -> bool:
    """A finite clause with its own subject, as after "its demand that ...": "that" or no marker at all."""
    return (
        token.dep_ in ("acl", "ccomp", "relcl")
        and token.pos_ in ("VERB", "AUX")
        and any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children)
        and not any(c.dep_ == "mark" and c.lower_ != "that" for c in token.children)
        and not any(c.tag_ in ("WDT", "WP") for c in token.children)
    )


def _object_of(noun: Token) -> Token:
    """The object phrase a noun names the event of: itself, or the head it modifies ("a mediation mission"), or
    the quantity it is counted by ("ten days of war games", "three rounds of talks"), through a list of objects
    ("launched artillery, mortar and rocket fire")."""
    while noun.dep_ == "conj" and noun.head.pos_ in ("NOUN", "PROPN"):
        noun = noun.head
    if noun.dep_ == "compound" and noun.head.dep_ in ("dobj", "obj"):
        return noun.head
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.dep_ in ("dobj", "obj"):
        return noun.head.head
    return noun


def _government_of(actor: Actor, action: Token) -> Actor | None:
    """The government of the actor's country, as the implied target of dissent."""
    if actor.country is None or actor.role == "GOV":
        return None
    return Actor(
        f"{actor.country}GOV",
        "(government)",
        actor.country,
        "GOV",
        action.idx,
        action.idx,
        "state",
        "context",
        "dissent is aimed at the government",
    )


VIOLENT_ROOTS = frozenset({"18", "19", "20"})  # assault, fight, mass violence
RELEASE_APPEALS = {"0253", "1053"}  # appeals and demands for the release of people
UNIDENTIFIED_ATTACKER = "unidentified attacker"  # the rule of a source made by `Coder._unidentified_attacker`
OBLIGATION_MODALS = {"must", "should", "ought"}


def _is_obligation(verb: Token) -> bool:
    """ "... that Libya must hand over", "... Iraq has to cooperate": the clause states an obligation."""
    for child in verb.children:
        if child.dep_ == "aux" and child.lower_ in OBLIGATION_MODALS:
            return True
    return lemma_of(verb) == "have" and any(
        c.dep_ == "xcomp" and any(a.lower_ == "to" for a in c.children) for c in verb.children
    )


def _consumed_tokens(clause: Clause, pattern: Pattern | None) -> set[int]:
    """Object tokens that are part of the action itself ("troops" in "sent troops"), not its target."""
    if pattern is None:
        return set()
    words = set().union(*pattern.content) if pattern.content else set()
    consumed = set()
    heads = list(clause.objects) + [h for hs in clause.preps.values() for h in hs]
    if clause.passive:
        heads += clause.subjects
    for head in heads:
        if head.lemma_.lower() in words or head.lower_ in words:
            consumed.add(head.i)
    return consumed


@cache
def _iso3_by_code() -> dict[str, str]:
    from events.cameo import read_tsv

    return {row["code"]: row["iso3"] for row in read_tsv(DATA_DIR / "countries.tsv") if row.get("iso3")}


def iso3_of(code: str) -> str:
    """ISO-3 for a CAMEO country code (they differ for a few: ROM/ROU, MTN/MNE, TMP/TLS, IMY/IMN)."""
    return _iso3_by_code().get(code, code)
