"""The PLOVER event coder: predicates over the dependency parse → ``Event`` records.

How it codes a sentence (each step is a rule over parse relations, with knowledge from
``data/events/``):

1. predicates: verbs and event nouns of the lexicon, and light-verb constructions
   ("expressed concern over" → ACCUSE/disapprove) coded at the verb;
2. arguments: subject → source (by-agent for passives), object and with/against/to/on/over
   phrases → target; coordinated actors → a compound side; a symmetric event whose one side
   names two countries ("X and Y met") is split into both sides;
3. reported speech: the speaker is the source of what the quoted or reported clause says; an
   evaluative word there ("unacceptable") is the speaker's accusation; "In response, X said
   that ..." rejects the preceding accusation;
4. PLOVER conventions: a refusal of cooperation is a REJECT ("will not accept"); an act its
   source commits to ("offered to", "has sworn to", "X said it will ...") is the commitment,
   AGREE for cooperation and THREATEN for conflict (THREATEN also for "... unless ...");
   the content of a demand, refusal or accusation is no event of its own;
5. status (``modality``), date and place (``anchoring``), calibrated confidence;
6. precision guards: no source from another clause (a dateline, an apposition, a finite
   adverbial clause, the patient of a passive), no act from an opinion ("agree that X has"), a
   question ("asked if") or an adjective ("is demanding"), no one-sided consultation, no event
   noun read against the verb of a separate event ("after an investigation by X, Y admitted").

Incumbent dictionary coders match words anywhere in the sentence; this coder only codes a
predicate whose actors are bound to it by the parse, so it emits fewer spurious events.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from kronika.config import Settings
from kronika.errors import ConfigError
from kronika.events.anchoring import (
    date_text,
    event_date,
    governing_item,
    narrative_date,
    narrative_place,
    own_place,
    report_date,
    to_event_place,
)
from kronika.events.candidates import Candidate, propose
from kronika.events.classifier import EventModel
from kronika.events.features import candidate_features
from kronika.events.lexicon import Lexicon, Sense, load_lexicon, pattern_sense
from kronika.events.modality import event_status, typed_status
from kronika.events.ontology import DEFAULT_ROOT, cameo_root, load_cameo_table, quad_class
from kronika.events.petrarch import (
    VerbReader,
    is_verb_dictionary,
    match_pattern,
    parse_verb_dictionary,
)
from kronika.events.roles import RoleChoice, choose_sides_many
from kronika.events.sides import (
    Sides,
    clause_of,
    countries,
    distinct_target,
    foreign_first,
    main_parties,
    most_specific,
    mutual,
    other_party,
    party_mentions,
    reciprocal,
    venue,
    who,
    with_places,
)
from kronika.events.syntax import (
    NOUN_TARGET_PREPS,
    OBJ,
    PRONOUNS,
    SUBJ,
    TARGET_PREPS,
    VENUE_PREPS,
    XCOMP_TARGET_PREPS,
    DocView,
    is_verb,
)
from kronika.model import (
    SYMMETRIC_TYPES,
    ActorMention,
    ActorRef,
    Event,
    EventDate,
    ParsedDoc,
    PlaceMention,
    Sentence,
    TimeExpr,
)
from kronika.resources import data_path, load_yaml, read_text

COMPONENT = "events.plover-dep/1"
LEARNED = "events.learned"
SPEECH_FRAMES = frozenset({"speech-evaluation", "modal-demand", "response"})
MODE_FLOOR = 0.5  # a learned mode is used when it is at least this probable among its type's modes
# Per document (its places) → per predicate token → the place the event happened, or None.
PlaceLocator = Callable[[ParsedDoc, tuple[PlaceMention, ...]], Callable[[int], PlaceMention | None]]
PATTERN_WINDOW = 15  # tokens either side of a verb searched for its CAMEO patterns' words
CONFLICT_TYPES = frozenset({"ACCUSE", "REQUEST", "THREATEN"})
# Event nouns whose "of" phrase is the patient ("the arrest of X"), not the agent.
PATIENT_OF_TYPES = frozenset({"ASSAULT", "COERCE", "SANCTION", "ACCUSE", "SUPPORT", "REJECT", "REQUEST", "AID"})
# Event nouns whose "from" phrase is what the act moves away from, not its agent.
FROM_TARGET_TYPES = frozenset({"RETREAT", "SANCTION", "MOBILIZE", "COERCE"})
VERBAL_CONFLICT = frozenset({"ACCUSE", "REQUEST", "THREATEN", "REJECT"})
# Acts whose negation is a refusal ("will not accept" → REJECT, "failed to reach agreement").
ACCEPTING_TYPES = frozenset({"AGREE", "SUPPORT", "COOPERATE", "AID", "CONCEDE"})
# Verbal acts that are already statements; a stated intention of any other act is coded as the
# commitment (AGREE for cooperation, THREATEN for conflict), as PLOVER does.
STATEMENT_TYPES = frozenset({"AGREE", "THREATEN", "REQUEST", "REJECT", "ACCUSE"})
PARTY_ENTS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
INFER_TARGET_TYPES = frozenset({"ACCUSE", "REJECT"})
RAW_SCORES: tuple[tuple[float, float], ...] = ((0.0, 0.0), (1.0, 1.0))  # identity: no calibration


@dataclass(frozen=True, slots=True)
class Draft:
    """An event before its record is built: the predicate, its sides and how it was found."""

    sentence: int
    trigger: int  # token index of the predicate word
    anchors: tuple[int, ...]  # tokens a time or place may attach to (predicate, light verb)
    sense: Sense
    source: Sides
    target: Sides
    status: str
    conf: float
    noun: bool = False
    rule: str = ""
    date: EventDate | None = None
    place: PlaceMention | None = None
    date_governed: bool = False
    sides: float | None = None  # the role model's ``sides_score`` of the sides, when it chose them


class EventCoder:
    """``EventCoder(settings)(doc, times, actors, places) -> tuple[Event, ...]``."""

    name = "events"

    def __init__(self, settings: Settings, *, calibration: tuple[tuple[float, float], ...] | None = None,
                 verb_dictionaries: tuple[Path, ...] = (), model: EventModel | None = None,
                 locator: PlaceLocator | None = None) -> None:
        """``calibration``: the score → probability points; default ``data/events/calibration.yaml``
        (``RAW_SCORES`` gives the uncalibrated rule scores, for refitting that file).
        ``verb_dictionaries``: PETRARCH verb dictionaries layered over the shipped predicates,
        as are files in ``settings.user_dictionaries`` whose name mentions ``verbs``.
        ``locator``: where an event with no place of its own happened (geo's ``EventLocator``:
        clause and dateline rules); the pipeline passes it, so this package never imports geo.
        Without one, an event is placed only by what its predicate governs."""
        self.settings = settings
        user = tuple(p for p in settings.user_dictionaries if is_verb_dictionary(p)) + tuple(verb_dictionaries)
        self.lex: Lexicon = load_lexicon(verb_dictionaries=user)
        self._table = load_cameo_table() if self.lex.patterns else {}
        self._locator = locator
        if calibration is None:
            raw = (load_yaml("events/calibration.yaml") or {}).get("points") or [[0.0, 0.0], [1.0, 1.0]]
            calibration = tuple((float(a), float(b)) for a, b in raw)
        self._calibration = calibration
        # The CAMEO 2.0 verb dictionary: its reading of a verb is a feature of the learned model.
        self.cameo_verbs = VerbReader(parse_verb_dictionary(
            read_text("events/CAMEO.2.0.txt"), load_cameo_table(), origin="CAMEO.2.0"))
        self.model: EventModel | None = model
        if model is None and settings.events_coder == "learned":
            self.model = EventModel.load(settings.events_model or data_path("events/model"))

    def __call__(
        self,
        doc: ParsedDoc,
        times: tuple[TimeExpr, ...],
        actors: tuple[ActorMention, ...],
        places: tuple[PlaceMention, ...],
    ) -> tuple[Event, ...]:
        parties = main_parties(actors)
        view = DocView(doc, with_places(actors, places) if self.model is not None else actors)
        locate = self._locator(doc, places) if self._locator is not None and places else None
        drafts: list[Draft] = []
        decided = self._decide(view, parties) if self.model is not None else None
        report = report_date(view, times)
        for sent in doc.sentences:
            if decided is not None:
                found = decided[sent.index]
            else:
                found = self._code_sentence(view, sent.index, parties, drafts)
            triggers = frozenset(x.trigger for x in found)
            own_t = tuple(t for t in times if t.sentence == sent.index)  # dates come from the sentence
            drafts.extend(self._anchor(view, d, own_t, places, triggers, locate, report) for d in found)
        drafts = _targets_from_events(view, drafts, self.lex)
        drafts = _inherit_from_earlier(self._narrative_dates(view, drafts, times))
        drafts = self._narrative_places(drafts, places)
        records = (self._record(view, d) for d in _dedupe(drafts))
        # The card's floor on a record's chance of being right: the NONE margin weighs the type
        # alone, and a record whose sides are unlikely too is wrong far more often than it helps
        # recall (the floor is chosen on held-out training news, docs/events.md).
        floor = self.model.min_confidence if self.model is not None else 0.0
        return tuple(r for r in records if r.confidence >= floor)

    def _narrative_dates(self, view: DocView, drafts: list[Draft], times: tuple[TimeExpr, ...]) -> list[Draft]:
        """An act that happened, with no date in its own sentence, takes the narrative time: the
        date the previous sentence told (``anchoring.narrative_date``), not the article's."""
        acts = self.lex.words.get("narrative_date_types", frozenset())
        out = []
        for d in drafts:
            if d.date is not None and d.date.origin == "document" and d.status == "occurred" \
                    and d.sense.type.lower() in acts:
                told = narrative_date(view, times, d.sentence, self.lex, d.trigger)
                if told is not None:
                    d = replace(d, date=told)
            out.append(d)
        return out

    def _narrative_places(self, drafts: list[Draft], places: tuple[PlaceMention, ...]) -> list[Draft]:
        """An act that happened, with no place of its own, takes the place the story's earlier
        act was told at (``anchoring.narrative_place``); its record says ``origin: context``."""
        kinds = self.lex.words.get("narrative_place_types", frozenset())
        told = [d.place for d in drafts if d.place is not None and d.place.sentence == d.sentence]
        out = []
        for d in drafts:
            if d.place is None and d.status == "occurred" and d.sense.type.lower() in kinds:
                parties = {m.country for m in (*d.source, *d.target) if m.country}
                states = {m.country for m in d.target if m.country and m.kind in ("country", "metonym", "place")}
                place = narrative_place(places, told, d.sentence, parties, states)
                if place is not None:
                    d = replace(d, place=place)
            out.append(d)
        return out

    # ------------------------------------------------------------------ the learned decision

    def candidates(self, view: DocView, si: int, parties: tuple[str, ...],
                   nouns: frozenset[str] | None = None, unbound: bool | None = None) -> list[tuple[Candidate, list[str]]]:
        """Sentence ``si``'s candidates with their features (training and coding share this);
        ``nouns``: event nouns to propose beyond the lexicon's, ``unbound``: propose predicates
        with no side bound (``candidates.propose``; default for both: what the model was trained with)."""
        if nouns is None:
            nouns = self.model.nouns if self.model is not None else frozenset()
        if unbound is None:
            unbound = self.model.unbound if self.model is not None else False
        found = propose(self, view, si, parties, nouns, unbound)
        if not found:  # nothing to describe: the rule coder's reading is not needed
            return []
        ruled = {d.trigger: d.sense.type for d in self._code_sentence(view, si, parties, [])}
        return [(c, self.features(view, c, ruled)) for c in found]

    def features(self, view: DocView, c: Candidate, ruled: dict[int, str] | None = None) -> list[str]:
        """``ruled``: trigger → type the rule coder gives it (one feature among the others)."""
        f = candidate_features(view, c, self.lex, self._cameo_reading(view, c))
        if ruled is not None:
            f.append(f"rule={ruled.get(c.trigger, 'none')}")
        return f

    def _cameo_reading(self, view: DocView, c: Candidate) -> tuple[str | None, str | None]:
        """What the CAMEO verb dictionary says of the trigger, its words within a window (PETRARCH
        patterns are local; the window bounds the cost on pathological sentences)."""
        lemma = view.lemmas[c.trigger]
        if not self.cameo_verbs.has_patterns(lemma):  # the base code alone: no words to gather
            return self.cameo_verbs.read(lemma, [], [])
        s = view.doc.sentences[c.sentence]
        lo, hi = max(s.token_start, c.trigger - PATTERN_WINDOW), min(s.token_end, c.trigger + PATTERN_WINDOW + 1)
        return self.cameo_verbs.read(lemma, view.lower[lo:c.trigger], view.lower[c.trigger + 1:hi])

    def _decide(self, view: DocView, parties: tuple[str, ...]) -> list[list[Draft]]:
        """The model's events of each sentence (by index): candidates whose best type reaches
        the threshold. Each model (type, mode, roles) is called once for the whole document:
        called per sentence or per candidate, their cost was mostly numpy overhead. Rows are
        scored independently, so the records are the same either way."""
        model = self.model
        if model is None:
            raise ConfigError("no event model loaded", code="K013")
        found = [(s.index, cf) for s in view.doc.sentences for cf in self.candidates(view, s.index, parties)]
        decisions = model.decide([feats for _, (_, feats) in found])
        emitted = [(si, c, feats, ptype, p)
                   for (si, (c, feats)), (ptype, p, emit) in zip(found, decisions, strict=True) if emit]
        learned_modes = model.modes_of([(feats, ptype) for _, _, feats, ptype, _ in emitted])
        choices: list[RoleChoice | None] = [None] * len(emitted)
        if model.roles is not None:
            barred = [self._venues_barred(view, c, ptype, learned)
                      for (_, c, _, ptype, _), learned in zip(emitted, learned_modes, strict=True)]
            choices = list(choose_sides_many(model.roles, view, [c for _, c, *_ in emitted], barred))
        out: list[list[Draft]] = [[] for _ in view.doc.sentences]
        for (si, c, _, ptype, p), learned, choice in zip(emitted, learned_modes, choices, strict=True):
            out[si].extend(self._drafts(view, c, ptype, p, learned, choice, parties))
        return [_drop_complements(view, o) for o in out]

    def _reaches_places(self, type_: str, mode: str | None) -> bool:
        """Whether an event of this type (or TYPE:mode) can be aimed at a place it names: the
        town attacked, the capital visited (`place_target_types` in events/grammar.yaml)."""
        return bool({type_.lower(), f"{type_}:{mode}".lower()} & self.lex.words.get("place_target_types", frozenset()))

    def _venues_barred(self, view: DocView, c: Candidate, ptype: str,
                       learned: tuple[str | None, float] | None) -> Callable[[ActorMention], bool]:
        """Which mentions may not be the target of ``c`` coded as ``ptype``: a place that
        stands where something happened ("met in Brussels") is no party to a meeting, a
        statement or an agreement, nor to another clause's act ("met in Brussels and agreed
        to send aid to Kyiv"). An event whose type reaches places (`place_target_types`:
        "clashes in Gaza") may be aimed at a place of its own clause."""
        mode = learned[0] if learned is not None and learned[0] is not None and learned[1] >= MODE_FLOOR else \
            c.lex.mode if c.lex is not None and c.lex.type == ptype else None
        reaches = self._reaches_places(ptype, mode)
        own = {clause_of(view, a) for a in (c.trigger, *c.anchors)}

        def barred(m: ActorMention) -> bool:
            prep = venue(view, m, VENUE_PREPS)
            return prep is not None and (not reaches or clause_of(view, prep) not in own)
        return barred

    def _drafts(self, view: DocView, c: Candidate, ptype: str, p: float, learned: tuple[str | None, float] | None,
                choice: RoleChoice | None, parties: tuple[str, ...]) -> list[Draft]:
        """One emitted candidate's drafts (two for a mutual event), given its mode and its
        role model's choice of sides."""
        sense = c.lex if c.lex is not None and c.lex.type == ptype else \
            Sense(ptype, None, DEFAULT_ROOT.get(ptype, ""), conf=p)
        if learned is not None and learned[0] is not None and learned[1] >= MODE_FLOOR:
            # a learned mode the model is sure of; else the lexicon's mode, then its cues
            sense = replace(sense, mode=learned[0])
        # a speech frame happened when its saying did ("Russia said Turkey must act")
        status = typed_status(view, c.anchors[0] if c.frame in SPEECH_FRAMES else c.trigger, c.trigger, ptype,
                              self.lex)
        if status == "denied" and ptype in ACCEPTING_TYPES:  # PLOVER: a refusal is a REJECT
            sense, status = Sense("REJECT", None, "120", sense.contexts), "occurred"
        sides = None
        if choice is not None:  # the learned argument roles revise the parse's sides
            c, sides = _revised(c, choice)
        # the component says which mechanism gave the record ("noun+unbound+roles": a noun
        # the syntax bound no side to, whose sides the role model chose)
        rule = c.frame + ("+unbound" if c.how == "unbound" else "") + ("+roles" if c.revised else "")
        two_sided = view.has_reciprocal_object(c.trigger, self.lex) or view.has_between_parties(c.trigger, self.lex)
        pairs = mutual(c.source) if not c.target and two_sided else []
        if pairs and ptype not in SYMMETRIC_TYPES:  # "X and Y accused each other": one per direction
            return [Draft(c.sentence, c.trigger, c.anchors, sense, src, tgt, status, p,
                          noun=c.frame == "noun", rule=rule + "+mutual", sides=sides) for src, tgt in pairs]
        source, target = reciprocal(ptype, c.source, c.target)
        if not target and source and ptype.lower() in self.lex.words.get("object_target_types", frozenset()):
            target = _object_target(view, c, source)
            rule += "+object-target" if target else ""
        if not target and ptype in VERBAL_CONFLICT and source:
            # a verbal conflict with no target in its clause is aimed at the article's other
            # main party ("Turkey warned it will not stand by"), the coder's convention
            target = other_party(view, source, parties)
            rule += "+inferred-target" if target else ""
        if not target and source and ptype in self.lex.home_target:
            target = _home_target(view, source, self.lex.home_target[ptype])
            rule += "+home-target" if target else ""
        return [Draft(c.sentence, c.trigger, c.anchors, sense, source, foreign_first(source, target),
                      status, p, noun=c.frame == "noun", rule=rule, sides=sides)]

    # ------------------------------------------------------------------ sentence coding

    def _code_sentence(self, view: DocView, si: int, parties: tuple[str, ...],
                       earlier: list[Draft]) -> list[Draft]:
        s = view.doc.sentences[si]
        lex = self.lex
        speech_set = lex.words.get("speech_verbs", frozenset())
        speech = [v for v in range(s.token_start, s.token_end) if view.verbal[v] and view.lemmas[v] in speech_set]
        verbs: dict[int, tuple[Sense, int | None]] = {}
        for i in range(s.token_start, s.token_end):
            t = view.tokens[i]
            if not view.verbal[i]:
                continue
            if view.lemmas[i] in lex.user_verbs:  # a user dictionary's coding replaces Kronika's
                sense = self._dictionary_pattern(view, i, s) or _pick(lex.verbs.get(view.lemmas[i], ()), view, i)
                if sense is not None:
                    verbs[i] = (sense, None)
                continue
            light = self._light(view, i)
            if light is not None:
                verbs[i] = light
                continue
            sense = _pick(lex.verbs.get(t.lemma.lower(), ()), view, i)
            if sense is not None:
                verbs[i] = (sense, None)
        out, demanded = self._modal_demands(view, si, speech)
        claims = lex.words.get("claim_verbs", frozenset())
        mute = lex.words.get("no_comment_verbs", frozenset())
        for i in [i for i in verbs if view.lemmas[i] in claims and view.dep_kids(i, {"ccomp"})]:
            del verbs[i]  # "denied that ...", "conceded that ...": a claim, not the act
        for i in [i for i in verbs if self._opinion_or_question(view, i)]:
            del verbs[i]  # "diplomats agree that X has done nothing", "asked if she ..."
        for i in [i for i in verbs if verbs[i][0].type == "REJECT"
                  and any(view.lemmas[x] in mute for x in view.dep_kids(i, {"xcomp"}))]:
            del verbs[i]  # "refused to comment"
        for i, (sense, obj) in verbs.items():
            if i in demanded or _subsumed_verb(view, i, sense, verbs, lex.nouns):
                continue
            d = self._verb_event(view, i, sense, obj, parties)
            if d is not None:
                out.append(d)
        consumed = {obj for _, obj in verbs.values() if obj is not None}
        for i in range(s.token_start, s.token_end):
            t = view.tokens[i]
            if t.pos not in ("NOUN", "PROPN") or i in consumed:
                continue
            sense = _pick(lex.nouns.get(t.lemma.lower(), ()), view, i)
            if sense is None or _noun_under_predicate(view, i, verbs, lex.words.get("effort_nouns", frozenset())):
                continue
            d = self._noun_event(view, i, sense, parties)
            if d is not None:
                out.append(d)
        out.extend(self._speech_events(view, speech, parties, earlier, out, verbs))
        return out

    def _dictionary_pattern(self, view: DocView, i: int, s: Sentence) -> Sense | None:
        """A user PETRARCH pattern of this verb whose words surround it in the sentence."""
        pats = self.lex.patterns.get(view.lemmas[i])
        if not pats:
            return None
        words = [t.text.lower() for t in view.tokens[s.token_start:s.token_end]]
        k = i - s.token_start
        hit = match_pattern(pats, words[:k], words[k + 1:])
        return pattern_sense(hit, self._table) if hit is not None else None

    def _opinion_or_question(self, view: DocView, i: int) -> bool:
        """An agreeing verb whose that-clause states a fact, not a commitment ("agree that X
        has done nothing"), or a request verb that only asks a question ("asked if ...",
        "asked a question", '"Where?" asked X'), or a verb used as an adjective ("is demanding")."""
        t = view.tokens[i]
        if t.dep in ("acomp", "amod") or any(view.tokens[c].dep == "conj" and view.tokens[c].pos == "ADJ"
                                             for c in view.kids[i]):
            return True  # "is demanding but manageable": an adjective
        words = self.lex.words
        modals = words.get("planned_aux", frozenset()) | words.get("hypothetical_aux", frozenset())
        if view.lemmas[i] in words.get("opinion_verbs", ()):
            return any(not any(view.lemma(a) in modals for a in view.dep_kids(c, {"aux"}))
                       for c in view.dep_kids(i, {"ccomp"}))
        if view.lemmas[i] not in words.get("question_verbs", ()):
            return False
        if view.dep_kids(i, {"xcomp"}) or any(view.lemma(c) == "for" for c in view.dep_kids(i, {"prep"})):
            return False  # "asked X to leave", "asked for aid"
        clauses = view.dep_kids(i, {"ccomp", "parataxis"})
        marks = words.get("hypothetical_marks", frozenset())
        if any(view.lemma(m) in marks or view.tokens[m].tag in ("WRB", "WP") for c in clauses
               for m in view.kids[c]) or any(view.tokens[j].text == "?" for c in clauses for j in view.subtree(c)):
            return True
        return not clauses and not any(view.tokens[o].ent_type in PARTY_ENTS or o in view.actor_at
                                       for o in view.dep_kids(i, OBJ))

    def _light(self, view: DocView, i: int) -> tuple[Sense, int | None] | None:
        verb = view.lemma(i)
        for o in view.dep_kids(i, OBJ):
            sense = self.lex.light.get((verb, view.lemma(o)))
            for c in view.dep_kids(o, {"compound"}):  # "violated the ceasefire agreement"
                sense = sense or self.lex.light.get((verb, view.lemma(c)))
            if sense is not None:
                return sense, o
        for c in view.dep_kids(i, {"prt"}):  # "carried out an attack"
            for o in view.dep_kids(i, OBJ):
                sense = self.lex.light.get((verb, view.lemma(o))) or self.lex.light.get((view.lemma(c), view.lemma(o)))
                if sense is not None:
                    return sense, o
        return None

    def _verb_event(self, view: DocView, p: int, sense: Sense, obj: int | None,
                    parties: tuple[str, ...]) -> Draft | None:
        source, target, how = self._verb_sides(view, p, obj, parties)
        if not source and view.lemma(p) in self.lex.words.get("self_retreat_verbs", ()) \
                and not view.dep_kids(p, {"agent"}):
            # "guerrillas have been demobilized", "troops were withdrawn from X": who retreats
            patients = tuple(m for c in view.dep_kids(p, {"nsubjpass"}) for m in view.np_actors(c))
            source, target, how = patients, tuple(m for m in target if m not in patients), "passive-retreat"
        if not source or not self._patient_ok(view, p, sense, obj, has_target=bool(target)):
            return None
        conf = sense.conf
        if sense.type in INFER_TARGET_TYPES and not target and obj is not None:
            target = other_party(view, source, parties)
            conf -= 0.15
            how += "+inferred-target"
        source, target = reciprocal(sense.type, source, target)
        if sense.type == "CONSULT" and not target:
            return None  # "visited the scene", "is holding meetings": a consultation has two sides
        status = event_status(view, p, self.lex)
        sense, status = self._reframe(view, p, sense, status, source)
        conf += 0.05 if target else -0.1
        t = view.tokens[p]
        if t.dep == "advcl" and is_verb(view.tokens[t.head]) and t.head != p:
            conf -= 0.35  # "blocked roads demanding ...": the purpose is secondary to the act
        anchors = (p,) if obj is None else (p, obj)
        return Draft(view.tokens[p].sent, p, anchors, sense, source, target, status, conf, rule=how)

    def _patient_ok(self, view: DocView, p: int, sense: Sense, obj: int | None, *, has_target: bool) -> bool:
        """A material act whose patient is neither an actor nor a person or place ("killed
        the deal", "released a statement") is not that act; aid must hand over aid."""
        if sense.type == "AID" and obj is None:  # "sent a letter"
            gifts = self.lex.words.get("aid_patients", frozenset())
            objs = view.dep_kids(p, OBJ)
            return not objs or any(view.lemmas[j] in gifts for o in objs for j in view.subtree(o))
        if has_target or sense.type not in ("ASSAULT", "COERCE", "SANCTION", "RETREAT") \
                or sense.mode in self.lex.words.get("property_modes", ()):
            return True
        humans = self.lex.words.get("human_patients", frozenset())
        for c in view.dep_kids(p, OBJ | {"nsubjpass"}):
            t = view.tokens[c]
            if c != obj and t.pos == "NOUN" and not t.ent_type and view.lemmas[c] not in humans \
                    and view.lemmas[c] not in self.lex.nouns:  # "prevented the demonstration"
                return False
        return True

    def _reframe(self, view: DocView, p: int, sense: Sense, status: str, source: Sides) -> tuple[Sense, str]:
        """Refusals and commitments are events of their own: "will not accept" is a REJECT,
        "X said it will withdraw" / "X has sworn to fight" an AGREE / a THREATEN by X."""
        if status == "denied" and sense.type in ACCEPTING_TYPES:
            return Sense("REJECT", None, "120", sense.contexts, conf=sense.conf - 0.05), "occurred"
        if sense.type in STATEMENT_TYPES or status == "denied":
            return sense, status
        t = view.tokens[p]
        pledged = (t.dep == "xcomp" or (t.dep == "advcl" and any(view.lemma(a) == "to" for a in view.dep_kids(p, {"aux"})))) \
            and view.lemma(t.head) in self.lex.words.get("commitment_heads", ())
        if pledged or (status in ("planned", "hypothetical") and self._announced(view, p, source)):
            coop = (quad_class(sense.cameo) or "").endswith("cooperation")
            if self._conditional(view, p):
                coop = False
            new = Sense("AGREE", None, "030", sense.contexts, conf=sense.conf - 0.05) if coop else \
                Sense("THREATEN", None, "130", sense.contexts, conf=sense.conf - 0.05)
            return new, "occurred"
        return sense, status

    def _announced(self, view: DocView, p: int, source: Sides) -> bool:
        """Is predicate ``p`` an act its speaker announces they will do ("X said it will ...")?"""
        spoken = view.speaker_of(p, self.lex)
        if spoken is None or not spoken[1] or not source:
            return False
        if all(any(m is s for s in spoken[1]) for m in source):
            return True
        said = {m.country for m in spoken[1] if m.country}
        return bool(said & {m.country for m in source if m.country})

    def _conditional(self, view: DocView, p: int) -> bool:
        marks = self.lex.words.get("ultimatum_marks", frozenset())
        return any(view.lemma(m) in marks for c in view.dep_kids(p, {"advcl"}) for m in view.dep_kids(c, {"mark"}))

    def _modal_demands(self, view: DocView, si: int, speech: list[int]) -> tuple[list[Draft], set[int]]:
        """"X said Y must withdraw": the speaker demands the act of Y. Returns the REQUEST
        drafts and the tokens of the demanded clauses (their acts are not events)."""
        modals = self.lex.words.get("demand_modals", frozenset())
        out: list[Draft] = []
        region: set[int] = set()
        for v in speech:
            speaker = tuple(view.subject_actors_of(v))
            for c in view.dep_kids(v, {"ccomp"}):
                if not speaker or not any(view.lemma(a) in modals for a in view.dep_kids(c, {"aux"})):
                    continue
                sj = view.dep_kids(c, SUBJ)
                target = distinct_target(speaker, view.np_actors(sj[0])) if sj else ()
                if not target:
                    continue
                sense = Sense("REQUEST", None, "100", conf=0.65)
                status = event_status(view, v, self.lex)
                out.append(Draft(si, c, (v, c), sense, speaker, target, status, 0.65, rule="modal-demand"))
                region.update(view.subtree(c))
        return out, region

    def _verb_sides(self, view: DocView, p: int, obj: int | None,
                    parties: tuple[str, ...]) -> tuple[Sides, Sides, str]:
        """Source and target of a verb predicate, and which rule found the source (asked by the
        rule coder and by the proposer of the same verb: read once per view)."""
        return view.recall(("verb_sides", p, obj, parties), lambda: self._read_verb_sides(view, p, obj, parties))

    def _read_verb_sides(self, view: DocView, p: int, obj: int | None,
                         parties: tuple[str, ...]) -> tuple[Sides, Sides, str]:
        agent = [o for a in view.dep_kids(p, {"agent"}) for o in view.pobjs(a)]
        passive = view.dep_kids(p, {"nsubjpass"})
        target: list[ActorMention] = []
        how = "subject"
        if agent:
            source = [m for a in agent for m in view.np_actors(a)]
            how = "agent"
        elif passive:
            source = []
        elif view.dep_kids(p, {"auxpass"}) or (view.tokens[p].dep == "acl" and view.tokens[p].tag == "VBN"):
            # "X continued to be banned", "3,000 police approved": X is the patient
            target.extend(self._subject_actors(view, p, parties))
            source = []
            how = "passive"
        else:
            source = self._subject_actors(view, p, parties)
        if not source and not passive and how != "passive":
            source = view.preverbal_actors(p)
            how = "preverbal"
        for s in passive:
            target.extend(view.np_actors(s))
        heads = [p] if obj is None else [p, obj]
        for h in heads:
            target.extend(self._complements(view, h, TARGET_PREPS, skip_obj=(h == obj)))
        for x in view.dep_kids(p, {"xcomp"}):  # "offered to hand over to X", "refused to meet X"
            target.extend(self._complements(view, x, XCOMP_TARGET_PREPS, skip_obj=False))
        if not target:  # the first actor inside the object, a target phrase or the complement
            for c in sorted(c for h in heads for c in view.kids[h]):
                t = view.tokens[c]
                if (t.dep in OBJ | {"xcomp", "nsubjpass"} and c != obj) or \
                        (t.dep == "prep" and t.lemma.lower() in TARGET_PREPS):
                    target.extend(view.first_actor_below(c, tuple(source)))
                    if target:
                        break
        for c in view.dep_kids(p, {"ccomp"}):  # "demanded that X provide ..."
            for sj in view.dep_kids(c, SUBJ):
                target.extend(view.np_actors(sj))
        src = tuple(source)
        return src, distinct_target(src, target), how

    def _complements(self, view: DocView, h: int, preps: frozenset[str], *, skip_obj: bool) -> list[ActorMention]:
        out: list[ActorMention] = []
        for c in view.kids[h]:
            t = view.tokens[c]
            if t.dep in OBJ and t.pos == "ADP":  # a prepositional dative: "sent aid to X"
                out.extend(m for o in view.pobjs(c) for m in view.np_actors(o))
            elif t.dep in OBJ and not skip_obj:
                out.extend(view.np_actors(c))
            elif t.dep == "prep" and t.lemma.lower() in preps:
                for o in view.pobjs(c):
                    out.extend(view.np_actors(o))
        return out

    def _subject_actors(self, view: DocView, p: int, parties: tuple[str, ...]) -> list[ActorMention]:
        subj = view.clause_subject(p, self.lex.words.get("human_patients", frozenset()))
        if subj is None:
            return []
        t = view.tokens[subj]
        if t.pos == "PRON" and t.lemma.lower() in PRONOUNS:
            owner = _noun_owner(view, p)
            if owner:  # "Bush's confirmation that he had approved ...": he is the owner
                return owner
            spoken = view.speaker_of(p, self.lex)
            if spoken and not _pronoun_agrees(view, t.lemma.lower(), spoken[0]):
                return []  # "agencies reported that he would resign": he is not the agencies
            return list(spoken[1]) if spoken else view.matrix_actors(p)
        owner = view.dep_kids(subj, {"poss"})
        if owner and view.tokens[owner[0]].pos == "PRON" and not view.np_actors(subj):
            spoken = view.speaker_of(p, self.lex)  # "its troops": the governing subject's
            return list(spoken[1]) if spoken else view.matrix_actors(p)
        if view.is_generic_parties(subj, self.lex):
            spoken = view.speaker_of(p, self.lex)
            if spoken and len({m.country for m in spoken[1] if m.country}) >= 2:
                return list(spoken[1])
            own = view.whole(view.actor_at[subj]) if subj in view.actor_at else ()
            if len({m.country for m in own if m.country}) >= 2:
                return list(own)  # the parties the actor stage resolved the phrase to
            return party_mentions(view, parties)
        return view.np_actors(subj)

    def _noun_event(self, view: DocView, trigger: int, sense: Sense, parties: tuple[str, ...]) -> Draft | None:
        # "launched a mediation effort between X and Y": the phrase of the effort holds the arguments
        n = view.tokens[trigger].head if view.tokens[trigger].dep == "compound" else trigger
        source: list[ActorMention] = [m for c in view.kids[n] if view.tokens[c].dep != "prep"
                                      for m in view.np_actors(c)
                                      if view.tokens[c].dep in ("poss", "compound", "amod", "nmod", "conj")]
        target: list[ActorMention] = []
        for c in view.dep_kids(n, {"prep"}):
            lemma = view.lemma(c)
            for o in view.pobjs(c):
                found = view.np_actors(o)
                if lemma == "of":  # "the invasion of X": the patient; "a meeting of X": the parties
                    (target if sense.type in PATIENT_OF_TYPES else source).extend(found)
                elif lemma == "by" or (lemma == "from" and sense.type not in FROM_TARGET_TYPES):
                    source.extend(found)  # "protests by X", "criticism from X"
                elif lemma == "from":  # "the withdrawal of forces from X"
                    target.extend(found)
                elif lemma == "between":
                    source.extend(found)
                elif lemma in NOUN_TARGET_PREPS:
                    target.extend(found)
        anchors = [n]
        head, prep = self._noun_governor(view, n)
        getter = self._recipient_verb(view, n)
        if getter is not None:  # "X received aid from Y": X is the target, Y the source
            anchors.append(getter)
            target = self._subject_actors(view, getter, parties)
            source.extend(m for c in view.dep_kids(getter, {"prep"}) if view.lemma(c) == "from"
                          for o in view.pobjs(c) for m in view.np_actors(o))
            source = [m for m in source if m not in target]
        elif head is not None and prep in self.lex.words.get("patient_preps", ()):
            target.extend(self._subject_actors(view, head, parties))  # "X came under attack"
        elif head is not None:
            anchors.append(head)
            if not source:
                source = self._subject_actors(view, head, parties)
            if not source and prep and view.lemma(head) in self.lex.words.get("participation_verbs", ()):
                source = [m for c in view.dep_kids(head, {"nsubjpass"}) for m in view.np_actors(c)]
            if not target and view.tokens[n].dep == "dobj" and sense.type in VERBAL_CONFLICT:
                # "reiterated its demand that X ease ..."
                target.extend(m for c in view.dep_kids(head, {"ccomp"}) + view.dep_kids(n, {"ccomp", "acl"})
                              for sj in view.dep_kids(c, SUBJ) for m in view.np_actors(sj))
            if not target:  # "give X a grant", "continue aid to X"
                target.extend(m for c in view.dep_kids(head, {"dative"}) for m in view.np_actors(c))
                target.extend(m for c in view.dep_kids(head, {"prep"}) if view.lemma(c) in NOUN_TARGET_PREPS
                              for o in view.pobjs(c) for m in view.np_actors(o))
        src = tuple(dict.fromkeys(source))
        tgt = distinct_target(src, target)
        src, tgt = reciprocal(sense.type, src, tgt)
        if not src or (sense.type in SYMMETRIC_TYPES and not tgt):
            return None
        status = event_status(view, n, self.lex)
        conf = sense.conf - 0.1 + (0.05 if tgt else -0.1)
        return Draft(view.tokens[n].sent, trigger, tuple(dict.fromkeys([trigger, *anchors])), sense, src, tgt,
                     status, conf, noun=True, rule="noun")

    def _recipient_verb(self, view: DocView, n: int) -> int | None:
        """The verb of receiving whose object holds the event noun ("received 2 million in
        food aid", "won the support of"), climbing only through object and noun-phrase links."""
        cur = n
        for _ in range(4):
            t = view.tokens[cur]
            if t.dep not in ("dobj", "pobj", "prep", "compound", "conj", "appos") or t.head == cur:
                return None
            cur = t.head
            if is_verb(view.tokens[cur]):
                via = t.dep == "dobj" or (t.dep == "prep" and view.lemma(t.i) in ("in", "of"))  # "received $2m in aid"
                ok = via and view.lemma(cur) in self.lex.words.get("recipient_verbs", ())
                return cur if ok else None
        return None

    def _noun_governor(self, view: DocView, n: int) -> tuple[int | None, str]:
        """The verb an event noun hangs from as its object or through a preposition ("held
        talks", "converged for a rally"), and that preposition. None where the phrase sets a
        separate event in time or cause ("after an investigation by X, Y admitted"), or is
        the passive agent ("were affected by a strike"): the verb's subject is no party."""
        t = view.tokens[n]
        head, prep = t.head, ""
        if t.dep == "pobj":
            prep, head = view.lemma(head), view.tokens[head].head
        if t.dep not in ("dobj", "nsubjpass", "pobj") or not is_verb(view.tokens[head]) \
                or prep in self.lex.words.get("separate_event_preps", ()):
            return None, prep
        return head, prep

    # ------------------------------------------------------------------ reported speech

    def _speech_events(self, view: DocView, speech: list[int], parties: tuple[str, ...], earlier: list[Draft],
                       here: list[Draft], verbs: dict[int, tuple[Sense, int | None]]) -> list[Draft]:
        out: list[Draft] = []
        for v in speech:
            speaker = tuple(view.subject_actors_of(v))
            if not speaker:
                continue
            clauses = view.dep_kids(v, {"ccomp", "parataxis"})
            if any(view.within(d.trigger, c) for c in clauses for d in here) \
                    or any(view.within(j, c) for c in clauses for j in verbs):
                continue
            ev = self._evaluation(view, v, clauses, speaker, parties)
            if ev is not None:
                out.append(ev)
            elif clauses and self._is_response(view, v):
                out.append(self._response(view, v, speaker, parties, earlier))
        return out

    def _evaluation(self, view: DocView, v: int, clauses: list[int], speaker: Sides,
                    parties: tuple[str, ...]) -> Draft | None:
        for c in clauses:
            for j in sorted(view.local_subtree(c)):  # not inside a further clause
                sense = self.lex.evaluative.get(view.lemma(j))
                if sense is None:
                    continue
                target = tuple(m for sj in view.dep_kids(c, SUBJ) for m in view.np_actors(sj)
                               if m.country not in {a.country for a in speaker})
                conf = sense.conf
                if not target:
                    target = other_party(view, speaker, parties)
                    conf -= 0.1
                status = event_status(view, v, self.lex)
                return Draft(view.tokens[v].sent, j, (v, j), sense, speaker, target, status, conf,
                             rule="speech-evaluation")
        return None

    def _is_response(self, view: DocView, v: int) -> bool:
        nouns = self.lex.words.get("response_nouns", frozenset())
        resp_verbs = self.lex.words.get("response_verbs", frozenset())
        if view.lemma(v) in resp_verbs:
            return True
        for c in view.kids[v]:
            t = view.tokens[c]
            if t.dep == "prep" and any(view.lemma(o) in nouns for o in view.pobjs(c)):
                return True
            if t.dep == "advcl" and t.lemma.lower() in resp_verbs:
                return True
        return False

    def _response(self, view: DocView, v: int, speaker: Sides, parties: tuple[str, ...],
                  earlier: list[Draft]) -> Draft:
        mine = {m.country for m in speaker if m.country}
        target: Sides = ()
        for d in reversed(earlier):
            if d.sense.type in CONFLICT_TYPES and not mine & {m.country for m in d.source if m.country}:
                target = d.source
                break
        conf = 0.6
        if not target:
            target = other_party(view, speaker, parties)
            conf = 0.45
        sense = Sense(type="REJECT", mode=None, cameo="120", conf=conf)
        status = event_status(view, v, self.lex)
        return Draft(view.tokens[v].sent, v, (v,), sense, speaker, target, status, conf, rule="response")

    # ------------------------------------------------------------------ anchoring, records

    def _anchor(self, view: DocView, d: Draft, times: tuple[TimeExpr, ...],
                places: tuple[PlaceMention, ...], triggers: frozenset[int],
                locate: Callable[[int], PlaceMention | None] | None, report: EventDate) -> Draft:
        """Date and place of one draft (``times``: its sentence's; ``places``: the document's,
        for geo's dateline rule; ``report``: the date an undated act falls back to); the other
        predicates of its sentence (``triggers`` less its own anchors) block a timex or place
        they govern themselves."""
        blockers = triggers.difference(d.anchors)
        preds = list(d.anchors)
        date = event_date(view, times, preds, d.sentence, self.lex, blockers, purpose=d.status == "occurred",
                          report=report)
        governed = date.origin == "text" and any(
            t.sentence == d.sentence and t.anchor_token is not None and date_text(view, t) == date.text
            and _is_governed(view, t.anchor_token, preds, self.lex, blockers) for t in times)
        # The place the predicate itself governs ("meet ... in X", "the meeting, which will take
        # place ... in Y") first; else geo's event_location (clause and dateline rules).
        place = own_place(view, places, preds, self.lex, blockers)
        if place is None and self._reaches_places(d.sense.type, d.sense.mode):
            # the place attacked, entered or visited is where it happened
            place = next((p for m in d.target if m.kind == "place" for p in places if p.start == m.start), None)
        if place is None and locate is not None:
            place = locate(d.trigger)
        if place is not None:
            place = most_specific(view, place, places)
        status = d.status
        day = date.value[:10]
        today = view.doc.article.date.isoformat()[: len(day)]  # the article's date to the event date's precision
        if status == "occurred" and date.origin == "text" and day > today:
            status = "planned"
        elif status == "planned" and d.sense.type.lower() in self.lex.words.get("statement_types", ()) and (
                date.origin == "document" or day < today):
            # "pledged to support": the pledge is the event, and it was made (a time said with
            # it that is not plainly past, "will sign next week", keeps it planned)
            status = "occurred"
        return replace(d, date=date, place=place, status=status, date_governed=governed)

    def _record(self, view: DocView, d: Draft) -> Event:
        doc = view.doc
        sent = doc.sentences[d.sentence]
        evidence = doc.text[sent.start:sent.end].strip()
        ev_start = sent.start + (len(doc.text[sent.start:sent.end]) - len(doc.text[sent.start:sent.end].lstrip()))
        trig = view.tokens[d.trigger]
        mode = d.sense.mode or self._mode_from_cues(view, d)
        date = d.date or EventDate(doc.article.date.isoformat(), None, "document")
        return Event(
            event_id=Event.make_id(doc.article.id, d.sentence, trig.start, d.sense.type),
            article_id=doc.article.id, doc_id=doc.article.doc_id, sentence=d.sentence,
            evidence=evidence, evidence_start=ev_start, evidence_end=ev_start + len(evidence),
            type=d.sense.type, mode=mode, contexts=self._contexts(view, d),
            status=d.status, cameo=cameo_root(d.sense.cameo) and d.sense.cameo[:2],
            quad_class=quad_class(d.sense.cameo), source=_refs(d.source), target=_refs(d.target),
            date=date, location=to_event_place(d.place, d.sentence), confidence=self._confidence(d),
            trigger=trig.text, trigger_start=trig.start, component=self._component(d),
        )

    def _confidence(self, d: Draft) -> float:
        """The chance that the record is right. For the learned model: the type's probability
        through the card's confidence map (the chance that an emitted event has the right
        type, fitted on held-out training candidates), times the chance that its sides are
        right (the role model's ``sides_score`` through its card's ``sides_map``). A rule
        score goes through ``calibration.yaml``."""
        if self.model is None:
            return calibrate(d.conf, self._calibration)
        points = self.model.meta.get("confidence_map")
        conf = calibrate(d.conf, _points(points)) if points else d.conf
        roles = self.model.roles
        sides_map = roles.meta.get("sides_map") if roles is not None else None
        if d.sides is not None and sides_map:
            conf *= calibrate(d.sides, _points(sides_map))
        return round(conf, 4)

    def _component(self, d: Draft) -> str:
        if self.model is not None:
            return f"{LEARNED}/{self.model.version}:{d.rule}"
        return f"{COMPONENT}:{d.rule}"

    def _contexts(self, view: DocView, d: Draft) -> tuple[str, ...]:
        lemmas = {t.lemma.lower() for t in view.doc.sentence_tokens(d.sentence)}
        found = list(d.sense.contexts)
        for name, cues in self.lex.contexts.items():
            if lemmas & cues and name not in found:
                found.append(name)
        return tuple(found)

    def _mode_from_cues(self, view: DocView, d: Draft) -> str | None:
        cues = self.lex.mode_cues.get(d.sense.type)
        if not cues:
            return None
        lemmas = {t.lemma.lower() for t in view.doc.sentence_tokens(d.sentence)}
        for mode, words in cues.items():
            if lemmas & words:
                return mode
        return None


# ---------------------------------------------------------------------- helpers


def _points(pairs: list[list[float]]) -> tuple[tuple[float, float], ...]:
    return tuple((float(x), float(y)) for x, y in pairs)


def _revised(c: Candidate, choice: RoleChoice) -> tuple[Candidate, float | None]:
    revised = replace(c, source=choice.source, target=choice.target, revised=True) if choice.changed else c
    return revised, choice.score


def _pick(senses: tuple[Sense, ...], view: DocView, i: int) -> Sense | None:
    if not senses:
        return None
    kids = {view.lemma(c) for c in view.kids[i] if view.tokens[c].dep in ("prt", "prep") and not _temporal_pp(view, c)}
    objs = None
    for s in senses:
        if s.objects:  # "accepted the offer" is an agreement, "accepted payments" is not
            objs = objs if objs is not None else [view.lemma(c) for c in view.dep_kids(i, {"dobj"})]
            if objs and not s.objects.intersection(objs):
                continue
        if not s.requires or s.requires & kids:
            return s
    return None


def _temporal_pp(view: DocView, prep: int) -> bool:
    """A preposition whose object is a date or time ("called an election for December"): it
    says when, so it does not select a sense ("call for" = demand)."""
    objs = [c for c in view.kids[prep] if view.tokens[c].dep == "pobj"]
    return bool(objs) and all(view.tokens[o].ent_type in ("DATE", "TIME") for o in objs)


def _subsumed_verb(view: DocView, i: int, sense: Sense, verbs: dict[int, tuple[Sense, int | None]],
                   nouns: dict[str, tuple[Sense, ...]]) -> bool:
    """A clause that is the content of a coded predicate is no event of its own: "refused to
    meet", "accused X of attacking", "met ... to discuss" (a purpose of the same type)."""
    t = view.tokens[i]
    head = verbs.get(t.head)
    if t.head == i:
        return False
    if t.dep == "pcomp" and view.tokens[t.head].head in verbs:  # "accused X of attacking"
        return True
    if head is None:
        # "its demand that Israel ease ...": the clause is the content of an event noun
        # (attached to the noun, or to the verb the noun is the object of).
        if t.dep == "acl" and view.lemma(t.head) in nouns:
            return True
        return t.dep == "ccomp" and (view.lemma(t.head) in nouns or any(
            view.lemma(o) in nouns for o in view.dep_kids(t.head, OBJ)))
    if t.dep in ("xcomp", "ccomp"):  # "refused to meet", "demanded that X leave": the head is the event
        return True
    return t.dep in ("advcl", "conj") and head[0].type == sense.type


def _noun_under_predicate(view: DocView, n: int, verbs: dict[int, tuple[Sense, int | None]],
                          efforts: frozenset[str]) -> bool:
    """An event noun that is the object of a coded verb is that verb's content
    ("demanded a truce", "rejected the peace plan"), not an event of its own."""
    t = view.tokens[n]
    head = t.head
    if t.dep == "pobj":
        head = view.tokens[head].head
    elif t.dep == "compound":  # "ceasefire agreement": the head is the event
        if view.lemma(head) not in efforts:
            return True
        return _noun_under_predicate(view, head, verbs, frozenset())  # "a mediation effort"
    return head in verbs and head != n


def _home_country(source: Sides) -> str | None:
    """The source's own country, if it has one that is a state (an IGO has no citizens)."""
    return next((m.country for m in source if m.country and m.country != "IGO"), None)


def _object_target(view: DocView, c: Candidate, source: Sides) -> Sides:
    """The citizens of the source's country, as the target of an event whose object names no
    actor (``object_target_types`` in grammar.yaml): the record quotes the object's words."""
    span = view.unbound_object(c.trigger)
    home = _home_country(source)
    if span is None or home is None:
        return ()
    first, last = view.tokens[span[0]], view.tokens[span[1]]
    text = view.doc.text[first.start:last.end]
    return (ActorMention(first.start, last.end, text, c.sentence, last.i, f"{home}CVL", home, "CVL",
                         kind="group", how=f"object of the event, no actor: {home}'s citizens", confidence=0.3),)


def _home_target(view: DocView, source: Sides, sector: str) -> Sides:
    """The source country's own people (or government) as the target of an event that names
    none (``home_target`` in grammar.yaml). The side quotes the article's first named mention
    of that country other than the source's own (else the source's), so the record points at
    real text; with no named mention of that country, no target."""
    home = _home_country(source)
    if home is None:
        return ()
    named = [m for m in view.named if m.country == home]
    quoted = next((m for m in named if m not in source), named[0] if named else None)
    if quoted is None:
        return ()
    return (replace(quoted, code=f"{home}{sector}", sector=sector, kind="group", role=None,
                    entity=None, how=f"no target named: {home}'s own {sector}", confidence=0.3),)


def _drop_complements(view: DocView, drafts: list[Draft]) -> list[Draft]:
    """A predicate that is the complement of another coded predicate of the same type is that
    event's content, not a second event ("agreed to push for", "vowed to continue fighting")."""
    by_trigger = {d.trigger: d for d in drafts}
    out = []
    for d in drafts:
        t = view.tokens[d.trigger]
        head = by_trigger.get(t.head) if t.head != t.i else None
        if head is not None and head.sense.type == d.sense.type and t.dep in ("xcomp", "ccomp", "conj", "advcl"):
            continue
        out.append(d)
    return out


def _is_governed(view: DocView, anchor: int, preds: list[int], lex: Lexicon, blockers: frozenset[int]) -> bool:
    return governing_item(view, [(anchor, True)], preds, lex, blockers) is not None


def _noun_owner(view: DocView, p: int) -> list[ActorMention]:
    """Actors owning the noun whose content clause holds ``p`` ("X's claim that it ...")."""
    t = view.tokens[p]
    if t.dep not in ("acl", "ccomp") or is_verb(view.tokens[t.head]):
        return []
    return [m for c in view.dep_kids(t.head, {"poss"}) for m in view.np_actors(c)]


def _pronoun_agrees(view: DocView, pronoun: str, speech: int) -> bool:
    """Can "he"/"she" in reported speech be the speaker? Not when the speaker is plural."""
    if pronoun not in ("he", "she", "him", "her"):
        return True
    subj = view.dep_kids(speech, SUBJ)
    return not subj or "Number=Plur" not in view.tokens[subj[0]].morph


def _targets_from_events(view: DocView, drafts: list[Draft], lex: Lexicon) -> list[Draft]:
    """"Police arrested two journalists. The arrests were condemned by the EU": an event aimed
    at an earlier event ("the arrests", "the agreement", "the crackdown") is aimed at that
    event's source. A draft with no target (or only an inferred one) whose object or passive
    subject is a definite noun naming no actor takes the source of the latest earlier event
    whose predicate, or the predicate's object, has that noun's lemma ("arrested" / "the
    arrests", "signed a deal" / "the deal"), or whose type the lexicon gives the noun ("the
    crackdown": COERCE)."""
    out: list[Draft] = []
    for d in drafts:
        if not d.target or "+inferred-target" in d.rule:
            ref = _event_reference(view, d.trigger, lex.words.get("definite_determiners", frozenset()))
            if ref is not None:
                senses = lex.nouns.get(ref, ())
                types = {sense.type for sense in senses}
                quads = {quad_class(sense.cameo) for sense in senses} - {None}
                before = [e for e in out if e.source and (e.sentence, e.trigger) < (d.sentence, d.trigger)]
                earlier = [e for e in before if ref in _event_words(view, e.trigger) or e.sense.type in types] or \
                    [e for e in before if quad_class(e.sense.cameo) in quads]  # "the crackdown" on a dispersal
                mine = {m.code or m.text for m in d.source}  # never its own source as its target
                tgt = tuple(m for m in earlier[-1].source if (m.code or m.text) not in mine) if earlier else ()
                if tgt:
                    d = replace(d, target=tgt, rule=d.rule.replace("+inferred-target", "") + "+event-ref")
        out.append(d)
    return out


def _event_reference(view: DocView, p: int, definite: frozenset[str]) -> str | None:
    """The lemma of a definite noun naming no actor that is ``p``'s object or passive subject
    ("condemned the arrests", "the agreement was criticised"); ``definite``: the determiners
    that make it one (``definite_determiners`` in the grammar)."""
    for c in view.dep_kids(p, {"dobj", "nsubjpass"}):
        t = view.tokens[c]
        if t.pos != "NOUN" or view.np_actors(c):
            continue
        if any(view.tokens[k].dep == "det" and view.lemma(k) in definite for k in view.kids[c]):
            return view.lemma(c)
    return None


def _event_words(view: DocView, p: int) -> set[str]:
    return {view.lemma(p), *(view.lemma(o) for o in view.dep_kids(p, {"dobj"}))}


def _inherit_from_earlier(drafts: list[Draft]) -> list[Draft]:
    """A later mention of an event ("the X-Y meeting") without its own date takes the date,
    place and planned status of the earlier event of the same type between the same parties."""
    out: list[Draft] = []
    for d in drafts:
        if d.noun and not d.date_governed:
            pair = who(d.source) | who(d.target)
            for e in reversed(out):
                if e.sense.type == d.sense.type and e.sentence < d.sentence and \
                        who(e.source) | who(e.target) == pair and e.date_governed:
                    d = replace(d, date=e.date, place=d.place or e.place,
                                status=e.status if e.status == "planned" else d.status)
                    break
        out.append(d)
    return out


def _dedupe(drafts: list[Draft]) -> list[Draft]:
    """One event per sentence, type, pair of sides, status and date: the most confident wins
    (two meetings of the same pair on different dates in one sentence stay two events)."""
    best: dict[tuple[object, ...], Draft] = {}
    for d in drafts:
        sides = (countries(d.source), countries(d.target))
        if d.sense.type in SYMMETRIC_TYPES:
            sides = tuple(sorted(sides, key=sorted))  # type: ignore[assignment]
        key = (d.sentence, d.sense.type, sides, d.status, d.date.value if d.date else None)
        if key not in best or d.conf > best[key].conf:
            best[key] = d
    return sorted(_without_mirrors(list(best.values())), key=lambda d: (d.sentence, d.trigger))


def _without_mirrors(drafts: list[Draft]) -> list[Draft]:
    """``drafts`` less each one that a surer draft of another predicate of its sentence
    mirrors: the same directed type between the same two parties the other way round
    ("Israeli jets struck Hamas targets": "struck" reads Israel → Hamas, the noun "targets"
    Hamas → Israel). One sentence rarely tells an act and its mirror by two predicates; "X and
    Y accused each other" is one predicate, whose two records (``sides.mutual``) are kept.
    Compared within a sentence and type only, each draft's countries read once."""
    groups: dict[tuple[int, str], list[tuple[Draft, frozenset[str], frozenset[str]]]] = {}
    for d in drafts:
        if d.sense.type not in SYMMETRIC_TYPES:
            groups.setdefault((d.sentence, d.sense.type), []).append((d, countries(d.source), countries(d.target)))
    mirrored: set[int] = set()
    for group in (g for g in groups.values() if len(g) > 1):
        for d, src, tgt in group:
            if src and tgt and src != tgt and any(
                    e.trigger != d.trigger and e.conf > d.conf and e_src == tgt and e_tgt == src
                    for e, e_src, e_tgt in group):
                mirrored.add(id(d))
    return [d for d in drafts if id(d) not in mirrored]


def _refs(side: Sides) -> tuple[ActorRef, ...]:
    return tuple(
        ActorRef(text=m.text, actor=m.code, country=m.country, sector=m.sector, entity=m.entity, role=m.role)
        for m in side
    )


def calibrate(score: float, points: tuple[tuple[float, float], ...]) -> float:
    """Map a rule score to a probability by the piecewise-linear table in
    ``data/events/calibration.yaml`` (fitted on dev gold; see its header)."""
    x = max(0.0, min(1.0, score))
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        if x0 <= x <= x1:
            return y0 if x1 == x0 else y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return max(0.0, min(1.0, points[-1][1] if x > points[-1][0] else points[0][1]))
