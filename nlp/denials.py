"""Flat denials of a theme: clauses in which the writer says the theme does not apply to them.

"Ik ben helemaal niet eenzaam, ik heb genoeg mensen om me heen" and "Ik heb geen
geldproblemen, we redden ons prima." deny a theme; the model's word features still read them
as the theme, because in training texts most negated cues do carry it ("ik heb geen geld").
So a theme is also scored on the text without the clauses that deny it, and the lower score
counts (a denial is evidence against the theme; leaving it out must not raise the score): a
text that only denies gets no theme, a text with other evidence keeps it.

Each theme lexicon lists its denial phrases under `denials:`; modifiers.yaml lists the guards
under `denial_guards:`. A phrase denies its clause (the sentence cut at commas and at words
such as "maar", "en", "tot"), unless
  - its sentence tells a change ("niet meer eenzaam sinds ...", "geen schulden meer dankzij
    ...", "nu niet meer"): a relief story keeps its theme (nlp/data/LABEL_RULES.md);
  - the clause holds another cue of the theme ("ondanks de bijstand geen geldzorgen");
  - a contrast follows with a cue of the theme ("ik ben niet eenzaam, maar ik mis mijn man").
A denying clause that opens with a contrast word takes what it answers with it: in "ik woon
alleen, maar ik ben nooit eenzaam" the whole sentence is left out for eenzaamheid.
Neither the phrases nor the guards are model features: they apply to any theme model.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from nlp.cue_features import CLAUSE_OPENERS, ThemeCues, theme_cues
from nlp.cue_lexicon import (
    LEXICON_DIR,
    MODIFIER_OWNER,
    CueLexicon,
    CueMatch,
    ThemeLexicon,
    entry_list,
)
from nlp.text_analysis import AnalysedText
from nlp.themes import DataFileError, load_yaml_nodes

DENIES = "denies"
GUARDS = ("change", "contrast", "clause_openers")
CLAUSE_PUNCTUATION = frozenset({",", ";", ":", "-", "–", "—", "(", ")", "."})


@dataclass(frozen=True)
class Denial:
    """One clause that denies a theme: its token range and the denial phrase in it."""

    theme: str
    first_token: int
    end_token: int  # one past the last token of the clause
    phrase_start: int
    phrase_end: int


class DenialRules:
    """The denial phrases per theme and the shared guards, compiled for matching."""

    def __init__(self, denials: dict[str, list[str]], guards: dict[str, list[str]]):
        self.denials = {theme: list(phrases) for theme, phrases in denials.items() if phrases}
        self.guards = {name: list(guards.get(name, ())) for name in GUARDS}
        self.lexicon = CueLexicon(
            [ThemeLexicon(theme, {DENIES: p}, [], [], []) for theme, p in self.denials.items()],
            {name: self.guards[name] for name in ("change", "contrast")},
        )
        self.clause_openers = (
            CLAUSE_OPENERS | CLAUSE_PUNCTUATION | set(self.guards["clause_openers"])
        )

    def find(self, analysed: AnalysedText, cue_lexicon: CueLexicon | None) -> list[Denial]:
        """The clauses of `analysed` that deny a theme (see the module docstring for the
        guards); `cue_lexicon` is the theme model's lexicon, whose cues the guards look for."""
        matches = self.lexicon.find_cues(analysed)
        phrases = [m for m in matches if m.owner != MODIFIER_OWNER]
        if not phrases:
            return []
        changed = {m.sentence for m in matches if m.category == "change"}
        contrasts = [m for m in matches if m.category == "contrast"]
        cues = theme_cues(cue_lexicon, analysed) if cue_lexicon is not None else {}
        clauses = _clause_bounds(analysed, self.clause_openers)
        denials: dict[tuple[str, int], Denial] = {}
        for phrase in phrases:
            if phrase.sentence in changed:
                continue
            first, end = clauses[phrase.start][0], clauses[phrase.end - 1][1]
            other_cues = _cue_positions(cues.get(phrase.owner)) - _phrase_positions(
                phrases, phrase.owner
            )
            if other_cues & set(range(first, end)):
                continue  # other evidence for the theme in the same clause
            if _contrast_with_cues_after(analysed, phrase.sentence, end, contrasts, other_cues):
                continue
            if any(m.start == first for m in contrasts):
                # "ik woon alleen, maar ik ben nooit eenzaam": what the contrast answers is
                # conceded, and left out with the denial
                first = analysed.sentence_starts[phrase.sentence]
            key = (phrase.owner, first)
            if key not in denials:
                denials[key] = Denial(phrase.owner, first, end, phrase.start, phrase.end)
        return sorted(denials.values(), key=lambda d: (d.first_token, d.theme))


def _cue_positions(cues: ThemeCues | None) -> set[int]:
    """Tokens of the theme's affirmative and no-longer cues (the model's lexicon)."""
    if cues is None:
        return set()
    return {p for m in cues.affirmative + cues.no_longer for p in range(m.start, m.end)}


def _phrase_positions(phrases: list[CueMatch], theme: str) -> set[int]:
    """Tokens inside any denial phrase of the theme ("genoeg mensen om me heen" holds a
    contact cue that the denial itself explains)."""
    return {p for m in phrases if m.owner == theme for p in range(m.start, m.end)}


def _clause_bounds(analysed: AnalysedText, openers: frozenset[str]) -> list[tuple[int, int]]:
    """For each token: the (first, end) token range of its clause, a sentence cut before
    each clause opener."""
    bounds: list[tuple[int, int]] = []
    for start, end in analysed.sentence_spans():
        cuts = [start]
        for i in range(start + 1, end):
            if analysed.lower[i] in openers:
                # punctuation ends the clause before it, a word opens the clause after it
                cut = i + 1 if analysed.lower[i] in CLAUSE_PUNCTUATION else i
                if cuts[-1] < cut < end:
                    cuts.append(cut)
        cuts.append(end)
        for first, last in zip(cuts, cuts[1:], strict=False):
            bounds += [(first, last)] * (last - first)
    return bounds


def _contrast_with_cues_after(
    analysed: AnalysedText,
    sentence: int,
    clause_end: int,
    contrasts: list[CueMatch],
    cue_positions: set[int],
) -> bool:
    """Whether a contrast word ("maar", "but", "tot") follows the clause in its sentence or
    opens the next sentence, with a cue of the theme after it in that sentence."""
    spans = analysed.sentence_spans()
    for contrast in contrasts:
        same_sentence = contrast.sentence == sentence and contrast.start >= clause_end
        opens_next = (
            contrast.sentence == sentence + 1 and contrast.start == spans[contrast.sentence][0]
        )
        sentence_end = spans[contrast.sentence][1]
        if (same_sentence or opens_next) and any(
            contrast.end <= p < sentence_end for p in cue_positions
        ):
            return True
    return False


def texts_without(analysed: AnalysedText, denials: Iterable[Denial]) -> str:
    """The text with the given clauses left out (what a theme is scored on)."""
    pieces, position = [], 0
    for denial in sorted(denials, key=lambda d: d.first_token):
        start = analysed.starts[denial.first_token]
        if start > position:
            pieces.append(analysed.text[position:start])
        position = max(position, analysed.ends[denial.end_token - 1])
    pieces.append(analysed.text[position:])
    return " ".join(piece.strip() for piece in pieces if piece.strip())


def denials_by_theme(denials: Iterable[Denial]) -> dict[str, list[Denial]]:
    by_theme: dict[str, list[Denial]] = defaultdict(list)
    for denial in denials:
        by_theme[denial.theme].append(denial)
    return dict(by_theme)


def load_denial_rules(directory: Path | str | None = None) -> DenialRules:
    """The `denials:` of every theme lexicon and the `denial_guards:` of modifiers.yaml in
    `directory` (default nlp/data/lexicons); raises DataFileError naming file and line."""
    return _load_denial_rules(Path(directory) if directory is not None else LEXICON_DIR)


@cache
def _load_denial_rules(directory: Path) -> DenialRules:
    denials: dict[str, list[str]] = {}
    guards: dict[str, list[str]] = {}
    for path in sorted(directory.glob("*.yaml")):
        data, text = _read_mapping(path)
        if path.stem == "modifiers":
            section = data.get("denial_guards") or {}
            line = _key_line(text, "denial_guards")
            if not isinstance(section, dict):
                raise DataFileError(path, line, "expected a mapping")
            guards = {str(k): entry_list(path, line, v, f"guard {k!r}") for k, v in section.items()}
            unknown = set(guards) - set(GUARDS)
            if unknown:
                raise DataFileError(path, line, f"unknown denial guards {sorted(unknown)}")
        elif "denials" in data:
            theme = str(data.get("theme") or path.stem)
            line = _key_line(text, "denials")
            denials[theme] = entry_list(path, line, data["denials"], "denials")
    return DenialRules(denials, guards)


def _read_mapping(path: Path) -> tuple[dict, str]:
    """A lexicon file's data and text, read with libyaml when present: the lexicons are large
    and only their denial sections are needed here (a web worker loads them at start-up)."""
    try:
        text = path.read_text(encoding="utf8")
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError):
        load_yaml_nodes(path)  # raises DataFileError naming the file and line
        raise
    if not isinstance(data, dict):
        raise DataFileError(path, 1, "expected a mapping")
    return data, text


def _key_line(text: str, key: str) -> int:
    """The line number of a top-level key (1 when absent)."""
    match = re.search(rf"^{re.escape(key)}\s*:", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 1
