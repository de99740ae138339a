"""Extract clauses: for each verb of a parsed sentence, who is its subject, what are its objects and complements,
and is it asserted, negated, hypothetical or reported.

Subjects are found the way a reader finds them: a verb's own subject; for a conjoined verb ("condemned ... and
recalled"), a participial clause (", accusing it of ...") or a controlled infinitive ("agreed to meet"), the subject
of the governing verb; for object control ("urged Russia to withdraw"), the governing verb's object. Relative
clauses and background clauses ("after ...", "because ...") describe other events and are marked to be skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from events.lexicon import Lexicon, NounFrame, VerbFrame, lemma_of

SUBJECT_DEPS = {"nsubj", "csubj", "expl"}
PASSIVE_SUBJECT_DEPS = {"nsubjpass", "csubjpass"}
OBJECT_DEPS = {"dobj", "obj", "dative", "attr", "oprd"}
BACKGROUND_MARKERS = {
    "after",
    "before",
    "since",
    "because",
    "as",
    "while",
    "when",
    "although",
    "though",
    "until",
    "once",
    "whereas",
    "whether",
}
CONDITIONAL_MARKERS = {"if", "unless"}
FUTURE_AUX = {"will", "shall", "'ll"}
CONDITIONAL_AUX = {"would", "'d"}
HYPOTHETICAL_AUX = {"may", "might", "could", "should", "must", "can"}
# Prepositions that mean the same to the lexicon: "agreed upon a pact" is "agreed on a pact".
PREPOSITION_ALIASES = {"upon": "on", "towards": "toward"}
# First words of two-word prepositions whose second word is not a preposition of the verb: "according to X" names
# a source of the news, "due to X" a cause, not a target.
COMPOUND_PREPOSITION_HEADS = frozenset({"according", "due", "owing", "thanks", "prior", "because", "instead"})
NEGATIONS = {"not", "n't", "never", "no"}
NEGATING_VERBS = {"fail"}


@dataclass
class Clause:
    verb: Token
    subjects: list[Token] = field(default_factory=list)
    subject_how: str = "clause"  # clause, inherited, control, object-control, passive-agent
    passive: bool = False
    agents: list[Token] = field(default_factory=list)
    objects: list[Token] = field(default_factory=list)
    preps: dict[str, list[Token]] = field(default_factory=dict)  # preposition or particle -> object heads
    complement: Token | None = None  # the infinitive or clausal complement a frame verb governs
    negated: bool = False
    modality: str = "asserted"
    reporter: Token | None = None  # the reporting verb ("said") when the clause is reported speech
    speaker: Token | None = None  # head of the speaker phrase of "according to X"
    skip_reason: str | None = None  # relative or background clause: not a new event

    @property
    def lemma(self) -> str:
        return lemma_of(self.verb)


def conjuncts(token: Token) -> list[Token]:
    """The token and the tokens conjoined with it ("Egypt and Jordan")."""
    found = [token]
    stack = [token]
    while stack:
        current = stack.pop()
        for child in current.children:
            if child.dep_ == "conj" and child.pos_ in ("NOUN", "PROPN", "PRON", "ADJ", "NUM", "X"):
                found.append(child)
                stack.append(child)
    return sorted(found, key=lambda t: t.i)


def _children(token: Token, deps: set[str]) -> list[Token]:
    return [child for child in token.children if child.dep_ in deps]


def _is_verbal(token: Token) -> bool:
    return token.pos_ in ("VERB", "AUX") and token.dep_ not in ("aux", "auxpass", "amod", "compound")


def is_infinitive(verb: Token) -> bool:
    """Whether the verb has the infinitive marker: "to meet", "to help Mali"."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def stranded_subject(verb: Token) -> Token | None:
    """The subject of a main verb the parser hung on a noun: in "Doctors from two aid groups donated goods to ...",
    a past-tense verb read as a participle ("groups donated", acl) leaves the sentence with a noun as its root. With
    no other verb at the root, the verb is the sentence's main verb and the root noun its subject."""
    if verb.dep_ != "acl" or verb.tag_ not in ("VBD", "VBN"):
        return None
    if any(c.dep_ in (*SUBJECT_DEPS, *PASSIVE_SUBJECT_DEPS, "aux", "auxpass", "mark") for c in verb.children):
        return None
    root = verb.sent.root
    if root.pos_ not in ("NOUN", "PROPN") or verb.i < root.i:
        return None
    first = next((t for t in root.subtree if t.pos_ in ("VERB", "AUX") and t.dep_ == "acl"), None)
    return root if first is not None and first.i == verb.i else None


def subject_of(verb: Token, depth: int = 0) -> tuple[list[Token], str, bool, list[Token]]:
    """(subject heads, how found, passive, agent heads) of a verb, inheriting through conj/xcomp/advcl."""
    if depth > 6:
        return [], "clause", False, []
    stranded = stranded_subject(verb)
    if stranded is not None:
        return conjuncts(stranded), "clause", False, []
    passive_subjects = _children(verb, PASSIVE_SUBJECT_DEPS)
    agents = [pobj for agent in _children(verb, {"agent"}) for pobj in agent.children if pobj.dep_ == "pobj"]
    agents = [a for head in agents for a in conjuncts(head)]
    if passive_subjects:
        return [s for head in passive_subjects for s in conjuncts(head)], "clause", True, agents
    subjects = _children(verb, SUBJECT_DEPS)
    if subjects:
        return [s for head in subjects for s in conjuncts(head)], "clause", False, agents
    head = verb.head
    if head.i == verb.i:
        return [], "clause", bool(_children(verb, {"auxpass"})), agents
    if verb.dep_ == "conj" and _is_verbal(head):
        heads, _, head_passive, head_agents = subject_of(head, depth + 1)
        passive = bool(_children(verb, {"auxpass"})) or (head_passive and verb.tag_ == "VBN")
        return heads, "inherited", passive, agents or (head_agents if passive else [])
    if verb.dep_ == "xcomp" and _is_verbal(head):
        objects = _children(head, {"dobj", "obj"})
        if objects:  # object control: "urged Russia to withdraw"
            return [s for o in objects for s in conjuncts(o)], "object-control", False, agents
        heads, _, _, _ = subject_of(head, depth + 1)
        return heads, "control", False, agents
    if verb.dep_ == "advcl" and _is_verbal(head) and verb.tag_ in ("VBG", "VBN"):
        heads, _, head_passive, head_agents = subject_of(head, depth + 1)
        if head_passive and head_agents and verb.tag_ == "VBG":
            # "the camp was attacked by militiamen, killing 156 people": the agent does the killing.
            return head_agents, "inherited", False, agents
        return heads, "inherited", verb.tag_ == "VBN", agents
    if verb.dep_ == "pcomp" and head.head is not None and _is_verbal(head.head):
        heads, _, _, _ = subject_of(head.head, depth + 1)
        return heads, "inherited", False, agents
    if verb.dep_ == "acomp" and lemma_of(head) == "be":
        # "Hungary is opposed to ...": the participle describes the copula's subject.
        heads, _, _, _ = subject_of(head, depth + 1)
        return heads, "inherited", False, agents
    if verb.dep_ == "pcomp" and head.head.dep_ == "acomp" and _is_verbal(head.head.head):
        # "X and Y are guilty of violating the ceasefire", "X is responsible for shelling"
        heads, _, _, _ = subject_of(head.head.head, depth + 1)
        return heads, "inherited", False, agents
    return [], "clause", bool(_children(verb, {"auxpass"})), agents


def _modality(verb: Token, sent: Span) -> tuple[bool, str]:
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass", "neg", "advmod")]
    words = {a.lower_ for a in auxes}
    negated = bool(words & NEGATIONS) or any(c.dep_ == "neg" for c in verb.children)
    modality = "asserted"
    if words & FUTURE_AUX:
        modality = "future"
    if words & CONDITIONAL_AUX:
        modality = "conditional"
    if words & HYPOTHETICAL_AUX:
        modality = "hypothetical"
    # "is going to strike", "plans to"
    if verb.dep_ == "xcomp" and lemma_of(verb.head) == "go" and verb.head.tag_ == "VBG":
        modality = "future"
    # Inside an "if" clause, anywhere up the tree.
    node = verb
    while node.head.i != node.i:
        if node.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKERS for c in node.children
        ):
            modality = "conditional"
            break
        node = node.head
    if sent.text.rstrip().endswith("?"):
        modality = "question"  # "Will Germany send missiles to Ukraine?" asks; it states no intent
    return negated, modality


RELATIVE_PRONOUNS = {"who", "which", "that", "whom", "whose", "what"}


def is_object_relative(verb: Token) -> bool:
    """ "the treaty he signed with Putin": a relative clause with its own subject, whose object is the noun it
    modifies. It reports an event of its own; a subject relative ("Russia, which attacked ...") is background."""
    if verb.dep_ != "relcl":
        return False
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    has_object = any(c.dep_ in ("dobj", "obj") for c in verb.children)
    return bool(subjects) and subjects[0].lower_ not in RELATIVE_PRONOUNS and not has_object


def condition_clauses(verb: Token) -> list[Token]:
    """The verbs of the "if"/"unless" clauses attached to `verb`."""
    return [
        c
        for c in verb.children
        if c.dep_ == "advcl" and any(m.lower_ in CONDITIONAL_MARKERS for m in c.children if m.dep_ == "mark")
    ]


def has_condition(verb: Token) -> bool:
    return bool(condition_clauses(verb))


def _skip_reason(verb: Token, lexicon: Lexicon) -> str | None:
    """Relative and background clauses, and what someone is accused or praised of, mention events that are not
    the news of this sentence."""
    if is_object_relative(verb):
        return None
    node = verb
    while node.head.i != node.i:
        if stranded_subject(node) is not None:
            return None  # the sentence's real main verb
        if is_statement_content(node, lexicon):
            # "issued a declaration demanding ...": as asserted as the issuing.
            node = _statement_verb(node.head)
            if node is None:
                return "inside a noun phrase"
            continue
        if node.dep_ in ("relcl", "acl"):
            return "relative clause"
        if node.dep_ == "advcl":
            marks = {c.lower_ for c in node.children if c.dep_ == "mark"}
            if marks & BACKGROUND_MARKERS:
                return "background clause"
            if is_infinitive(node):
                return "purpose clause"
        if node.dep_ in ("pcomp", "pobj") and node.head.lower_ in BACKGROUND_MARKERS:
            return "background clause"
        if (
            node.dep_ == "pcomp"
            and node.head.lower_ in ("of", "for")
            and lemma_of(node.head.head) in lexicon.allegation_verbs
        ):
            return "allegation"
        if node.dep_ in ("csubj", "csubjpass"):
            return "clausal subject"
        if node.dep_ in ("nsubj", "dobj", "pobj", "attr", "appos") and node.pos_ not in ("VERB", "AUX"):
            return "inside a noun phrase"
        node = node.head
    return None


def _reporter(verb: Token, lexicon: Lexicon) -> tuple[Token | None, Token | None]:
    """(reporting verb, speaker phrase head) when the clause is what someone said: "X said (that) ...",
    "..., X said", "..., adding that ...", "according to X"."""
    node = verb
    while node.head.i != node.i:
        head = node.head
        if node.dep_ in ("ccomp", "parataxis") and lemma_of(head) in lexicon.reporting_verbs:
            return head, None
        if node.dep_ not in ("conj", "ccomp", "xcomp", "advcl"):
            break
        node = head
    for prep in _children(verb, {"prep"}):
        if prep.lower_ == "according":
            for pcomp in prep.children:
                for pobj in pcomp.children:
                    if pobj.dep_ == "pobj":
                        return None, pobj
    return None, None


def is_statement_content(verb: Token, lexicon: Lexicon) -> bool:
    """A participle that gives a statement's content: "a declaration demanding that ..."."""
    return verb.dep_ == "acl" and verb.tag_ == "VBG" and lemma_of(verb.head) in lexicon.statement_nouns


def statement_author(statement: Token) -> list[Token]:
    """Who made the statement: its possessor ("its statement"), else the subject of the verb that issued it or
    said something in it ("issued a declaration", "said in a statement")."""
    owners = [c for c in statement.children if c.dep_ == "poss"]
    if owners:
        return conjuncts(owners[0])
    verb = _statement_verb(statement)
    if verb is None or not _is_verbal(verb):
        return []
    subjects, _, passive, agents = subject_of(verb)
    return agents if passive else subjects


def _statement_verb(statement: Token) -> Token | None:
    """The verb that issued a statement ("issued a declaration") or said something in it ("said in a statement");
    None when the statement is not its object or inside its prepositional phrase."""
    if statement.dep_ == "pobj":
        return statement.head.head
    return statement.head if statement.dep_ in ("dobj", "obj") else None


def _denied(verb: Token, lexicon: Lexicon) -> bool:
    """A clause that someone denies ("denied that its troops fired") or failed to do is not asserted."""
    node = verb
    while node.head.i != node.i:
        head_lemma = lemma_of(node.head)
        if node.dep_ in ("ccomp", "xcomp", "pcomp") and (
            head_lemma in lexicon.denial_verbs or head_lemma in NEGATING_VERBS
        ):
            return True
        if node.dep_ not in ("conj", "ccomp", "xcomp", "pcomp", "pobj", "prep"):
            return False
        node = node.head
    return False


def _preposition(token: Token) -> str:
    return PREPOSITION_ALIASES.get(token.lower_, token.lower_)


def extract_clauses(sent: Span, lexicon: Lexicon) -> list[Clause]:
    clauses = []
    for verb in sent:
        if not _is_verbal(verb):
            continue
        subjects, how, passive, agents = subject_of(verb)
        if not subjects and is_statement_content(verb, lexicon):
            subjects, how = statement_author(verb.head), "inherited"
        if passive and not agents and verb.lower_ in lexicon.stative_participles:
            passive = False  # "Israel is opposed to ...": a stance of the subject, not done to it
        clause = Clause(verb=verb, subjects=subjects, subject_how=how, passive=passive, agents=agents)
        for child in verb.children:
            if child.dep_ == "dative" and child.pos_ == "ADP":
                # "sent aid to Afghanistan and Pakistan": the model sometimes labels "to" itself the dative.
                pobjs = [p for p in child.children if p.dep_ == "pobj"]
                clause.preps.setdefault(_preposition(child), []).extend(
                    t for p in pobjs for t in conjuncts(p)
                )
            elif child.dep_ in OBJECT_DEPS:
                clause.objects.extend(conjuncts(child))
            elif child.dep_ in ("prt", "prep"):
                pobjs = [p for p in child.children if p.dep_ in ("pobj", "pcomp")]
                clause.preps.setdefault(_preposition(child), []).extend(
                    t for p in pobjs for t in conjuncts(p)
                )
                for grand in child.children:  # "pull out of", "up to": a preposition after a particle
                    if grand.dep_ == "prep" and child.lower_ not in COMPOUND_PREPOSITION_HEADS:
                        inner = [p for p in grand.children if p.dep_ == "pobj"]
                        clause.preps.setdefault(_preposition(grand), []).extend(
                            t for p in inner for t in conjuncts(p)
                        )
            elif (
                child.dep_ in ("xcomp", "ccomp")
                and child.pos_ in ("VERB", "AUX")
                and clause.complement is None
            ):
                clause.complement = child
        if not clause.objects:
            # "denounced as an ugly crime Serbia's suppression of ...": the object moved after the "as" phrase,
            # and the parser hangs it on the "as" noun.
            clause.objects.extend(
                a
                for p in clause.preps.get("as", [])
                for a in p.children
                if a.dep_ == "appos" and a.pos_ == "NOUN"
            )
        if is_object_relative(verb):
            clause.objects.append(verb.head)
            clause.subject_how = "relative"
        clause.negated, clause.modality = _modality(verb, sent)
        if _denied(verb, lexicon):
            clause.negated = True
        clause.reporter, clause.speaker = _reporter(verb, lexicon)
        if clause.reporter is not None and clause.modality == "conditional" and not has_condition(verb):
            clause.modality = (
                "future"  # reported "would" is the future seen from the past: "said it would meet"
            )
        clause.skip_reason = _skip_reason(verb, lexicon)
        clauses.append(clause)
    return clauses


def _np_words(token: Token, depth: int = 0) -> set[str]:
    """The head, its modifiers, and the head of an "of" phrase ("tons of aid", "a memorandum of understanding")."""
    words = {lemma_of(token), token.lower_}
    for child in token.children:
        if child.dep_ in ("compound", "amod", "nmod"):
            words |= {lemma_of(child), child.lower_}
            # and a compound's own modifiers: "military" in "a military aid program"
            if child.dep_ == "compound":
                words |= {lemma_of(m) for m in child.children if m.dep_ in ("compound", "amod")}
        elif child.dep_ == "prep" and child.lower_ == "of" and depth < 1:
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    words |= _np_words(pobj, depth + 1)
    return words


def verb_frame(clause: Clause) -> VerbFrame:
    """The words the lexicon matcher may use for this clause."""
    verb = clause.verb
    preps = set(clause.preps)
    words: set[str] = set()
    for obj in clause.objects:
        words |= _np_words(obj)
    for child in verb.children:
        if child.dep_ in ("acomp", "advmod"):  # "be optimistic", "remain silent"
            words |= {lemma_of(child), child.lower_}
    prep_words = []
    for prep, heads in clause.preps.items():
        prep_words.append((prep, frozenset().union(*(_np_words(h) for h in heads)) if heads else frozenset()))
    if clause.passive:  # "sanctions were imposed": the patient is the object of the pattern
        for subject in clause.subjects:
            words |= _np_words(subject)
    complement = clause.complement
    if complement is not None:
        words |= {lemma_of(complement)}
        if is_infinitive(complement):
            preps.add("to")
        for child in complement.children:
            if child.dep_ in OBJECT_DEPS:
                words |= _np_words(child)
            elif child.dep_ in ("prep", "prt"):
                preps.add(_preposition(child))
                pobjs = [p for p in child.children if p.dep_ == "pobj"]
                if pobjs:
                    prep_words.append(
                        (_preposition(child), frozenset().union(*(_np_words(p) for p in pobjs)))
                    )
    for child in verb.children:  # a purpose clause completes the action: "sent troops to help Mali"
        if child.dep_ == "advcl" and is_infinitive(child):
            words.add(lemma_of(child))
            preps.add("to")
            preps.update(c.lower_ for c in child.children if c.dep_ in ("prep", "prt"))
    context = {lemma_of(t) for t in verb.subtree} | {t.lower_ for t in verb.subtree}
    return VerbFrame(
        lemma_of(verb), frozenset(preps), frozenset(words), frozenset(context), tuple(prep_words)
    )


def noun_frame(noun: Token) -> NounFrame:
    modifiers = set()
    for child in noun.children:
        if child.dep_ in ("compound", "amod", "nmod"):
            modifiers |= {lemma_of(child), child.lower_}
        elif child.dep_ == "prep" and child.lower_ == "of":
            # "a suspension of air links" is a link suspension, "the severing of diplomatic ties" a diplomatic one.
            for pobj in child.children:
                if pobj.dep_ == "pobj" and pobj.pos_ == "NOUN":
                    modifiers.add(lemma_of(pobj))
                    modifiers |= {lemma_of(m) for m in pobj.children if m.dep_ in ("amod", "compound")}
    preps = frozenset(child.lower_ for child in noun.children if child.dep_ == "prep")
    context = frozenset(lemma_of(t) for t in noun.subtree)
    return NounFrame(lemma_of(noun), frozenset(modifiers), preps, context)
