"""Languages of many texts in one vectorised pass: the same ranking as py3langid's own `rank`,
and the same readable parts whether stories are read alone or in a batch."""

from __future__ import annotations

import numpy as np
import pytest

from nlp import language_ranking
from nlp.language import _identifier, _ranker, readable_part, readable_parts

DUTCH = "De huur is weer omhoog gegaan en ik kan de energierekening niet meer betalen."
DUTCH_HELP = "Bij het geldloket helpen ze me nu met een betalingsregeling."
ENGLISH = "I only moved here in March and I still don't know a single neighbour."
TURKISH = "Üç yıldır bu mahallede yaşıyorum ama hâlâ kimseyi tanımıyorum, çok yalnızım."
POLISH = "Od kiedy chodzę do kawiarenki językowej, nie czuję się już samotna."
ARABIC = "منذ أن بدأت أذهب إلى مقهى اللغة لم أعد أشعر بالوحدة."

TEXTS = [
    DUTCH,
    ENGLISH,
    TURKISH,
    POLISH,
    ARABIC,
    "Ja!",
    "ik",
    "s",
    "",
    "12345 !!",
    "👍👍",
    "ÇOK GÜZEL, TEŞEKKÜRLER",
    "Я очень одинок",
    "我很孤独。",
    f"{DUTCH} {TURKISH} {ENGLISH}",
]


def _walked_states(identifier, data: bytes) -> list[int]:
    state, states = 0, []
    rows = identifier.tk_row
    for byte in data:
        state = identifier.tk_nextmove[(rows[state] << 8) + byte]
        states.append(state)
    return states


def test_the_ranking_is_py3langids_own():
    identifier = _identifier()
    for text, ranked in zip(TEXTS, _ranker().rank_many(TEXTS, 12), strict=True):
        expected = identifier.rank(text)[:12]
        # ties (equal float32 probabilities, e.g. text without features) keep the model's order
        assert [code for code, _ in ranked[:5]] == [code for code, _ in expected[:5]], text
        assert np.allclose([p for _, p in ranked], [p for _, p in expected], atol=1e-5), text


def test_texts_scored_together_do_not_run_into_each_other():
    """Each text is walked from the automaton's start: "ij" then "s" is not "ijs"."""
    ranker = _ranker()
    together = ranker.rank_many(["ij", "s", DUTCH, "ik"], 12)
    alone = [ranker.rank_many([text], 12)[0] for text in ["ij", "s", DUTCH, "ik"]]
    for ranked, single in zip(together, alone, strict=True):
        assert [code for code, _ in ranked] == [code for code, _ in single]
        assert np.allclose([p for _, p in ranked], [p for _, p in single], atol=1e-6)
    assert together[1] != ranker.rank_many(["ijs"], 12)[0]


def test_many_texts_are_ranked_in_passes_with_the_same_result(monkeypatch):
    ranker = _ranker()
    in_one_pass = ranker.rank_many(TEXTS, 12)
    monkeypatch.setattr(language_ranking, "BYTES_PER_PASS", 100)
    assert len(list(language_ranking._passes([text.encode() for text in TEXTS]))) > 5
    in_passes = ranker.rank_many(TEXTS, 12)
    for ranked, expected in zip(in_passes, in_one_pass, strict=True):
        assert [code for code, _ in ranked] == [code for code, _ in expected]
        assert np.allclose([p for _, p in ranked], [p for _, p in expected], atol=1e-6)
    assert ranker.rank_many([], 12) == []


def test_the_state_after_each_byte_depends_only_on_the_last_depth_bytes():
    """The vectorised walk gives the automaton's own states on text in many scripts."""
    identifier, ranker = _identifier(), _ranker()
    data = "".join(TEXTS).encode("utf8") + bytes(range(256)) * 3
    walked = _walked_states(identifier, data)
    features = ranker._features_per_byte(data, np.array([len(data)]))
    assert features.tolist() == [identifier.tk_output[state] for state in walked]
    assert ranker.depth == 6


@pytest.mark.slow
def test_the_automaton_is_aho_corasick_so_any_input_walks_the_same():
    """Every transition goes to the longest suffix of (state's string + byte) that is a state's
    string: then the state after any byte is fixed by the last `depth` bytes, for every input
    (not only for the texts tried above)."""
    ranker = _ranker()
    table = ranker._next_state.reshape(-1, 256).astype(np.int64)
    rows = ranker._row_start >> 8
    count = len(rows)
    depth, key = np.full(count, -1), np.zeros(count, dtype=np.int64)
    depth[0], frontier = 0, np.array([0])
    while len(frontier):  # breadth first: each state's shortest string, packed into an int
        reached = table[rows[frontier]]
        source = np.repeat(frontier, 256)
        byte = np.tile(np.arange(256), len(frontier))
        target = reached.ravel()
        new = depth[target] < 0
        target, source, byte = target[new], source[new], byte[new]
        frontier, first = np.unique(target, return_index=True)
        depth[frontier] = depth[source[first]] + 1
        key[frontier] = key[source[first]] * 256 + byte[first]
    assert depth.max() == ranker.depth
    strings = np.sort(key * 8 + depth)
    assert len(np.unique(strings)) == count  # one string per state
    for start in range(0, count, 8192):
        states = np.arange(start, min(count, start + 8192))
        target = table[rows[states]]
        extended = key[states][:, None] * 256 + np.arange(256)[None, :]
        assert (depth[target] <= depth[states][:, None] + 1).all()
        # the target's string is a suffix of the extended string...
        assert ((extended & ((1 << (8 * depth[target])) - 1)) == key[target]).all()
        # ...and no longer suffix of it is any state's string
        for length in range(1, ranker.depth + 1):
            longer = (length > depth[target]) & (length <= depth[states][:, None] + 1)
            suffix = (extended[longer] & ((1 << (8 * length)) - 1)) * 8 + length
            found = np.minimum(np.searchsorted(strings, suffix), count - 1)
            assert not (strings[found] == suffix).any()


STORIES = [
    f"{DUTCH} {TURKISH} {DUTCH_HELP}",
    f"{DUTCH}\n{ENGLISH}",
    f"{TURKISH} {POLISH}",
    "knie doet weer pijn",
    f"{DUTCH} Echt! {TURKISH} Çok üzgünüm. {DUTCH_HELP}",
    "",
    "12345 👍👍",
    f"{ENGLISH} {ARABIC} {ENGLISH}",
]


def test_stories_read_in_a_batch_are_read_as_each_alone():
    assert readable_parts(STORIES) == [readable_part(story) for story in STORIES]


def test_a_turkish_sentence_in_a_dutch_story_is_still_left_out_in_a_batch():
    part = readable_parts(STORIES)[0]
    assert part.text == f"{DUTCH} {DUTCH_HELP}" and part.left_out == ("tr",)
    assert part.language == "nl" and set(part.languages) == {"nl", "tr"}


def test_an_english_sentence_in_a_dutch_story_is_still_read_in_a_batch():
    part = readable_parts(STORIES)[1]
    assert part.text == STORIES[1] and part.complete
    assert set(part.languages) == {"nl", "en"}


def test_stories_with_nothing_readable_keep_their_language_in_a_batch():
    parts = readable_parts(STORIES)
    assert parts[2].text == "" and parts[2].left_out[0] in ("tr", "pl")
    assert parts[7].text == f"{ENGLISH} {ENGLISH}" and parts[7].left_out == ("ar",)
