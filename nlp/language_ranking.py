"""py3langid's ranking of languages, for many texts in one vectorised pass.

`LanguageIdentifier.rank` walks the model's feature automaton byte by byte in Python and scores
each text with a matrix product of its own: about a quarter of a millisecond per sentence, most
of the time of a theme prediction. The automaton is an Aho-Corasick automaton over byte strings
of at most `depth` (6) bytes (checked transition by transition in
tests/nlp/test_language_ranking.py), so the state after a byte depends only on the bytes
before it up to that depth: the states of all bytes of all texts follow from `depth` vectorised
steps, and the scores of many texts from one product. Same model and same formula as
`rank` (Naive Bayes on log1p of the feature counts, softmax at temperature sqrt(bytes), script
aliases folded into their first column); only the order of float32 additions differs.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

# Texts scored in one dense matrix product (texts x the features they use): larger blocks
# amortise numpy's per-call cost but multiply mostly zeros; 16 was fastest on sentences.
TEXTS_PER_PRODUCT = 16
# Bytes walked in one pass: a few arrays of 8 bytes per byte, so about 10-40 MB at a time.
BYTES_PER_PASS = 1 << 20


class LanguageRanker:
    """The languages of many texts, best first, as `LanguageIdentifier.rank` gives them
    (`norm_probs=True`)."""

    def __init__(self, identifier):
        """`identifier`: py3langid's LanguageIdentifier with normalised probabilities."""
        self._encode = identifier._encode  # the same text -> bytes rule (case, NFC, UTF-8)
        moves = identifier.tk_nextmove  # array.array of one unsigned type
        self._next_state = np.frombuffer(moves, dtype=f"u{moves.itemsize}")
        self._row_start = np.asarray(identifier.tk_row, dtype=np.int32) << 8
        self._feature = np.asarray(identifier.tk_output, dtype=np.int32)
        self._log_probabilities = identifier.nb_ptc  # features x classes (float16)
        self._class_prior = identifier.nb_pc
        self._alias_pairs = list(identifier._alias_pairs)
        first_column: dict[str, int] = {}
        for column, label in enumerate(identifier.nb_classes):
            first_column.setdefault(label, column)  # an alias's second column is folded in
        self.labels: list[str] = list(first_column)
        self._label_columns = np.array(list(first_column.values()))
        self.depth = automaton_depth(self._next_state, self._row_start)

    def rank_many(self, texts: Sequence[str], top: int) -> list[list[tuple[str, float]]]:
        """The `top` most likely languages of each text with their probabilities, best first
        (ties in the model's class order, as `rank` sorts them)."""
        columns, probabilities = self.top_columns(texts, top)
        labels = self.labels
        return [
            [(labels[column], p) for column, p in zip(row, row_probabilities, strict=True)]
            for row, row_probabilities in zip(columns, probabilities, strict=True)
        ]

    def top_columns(
        self, texts: Sequence[str], top: int
    ) -> tuple[list[list[int]], list[list[float]]]:
        """`rank_many` as two lists per text: the `top` labels' indexes into `labels`, and
        their probabilities."""
        columns: list[list[int]] = []
        probabilities: list[list[float]] = []
        for encoded in _passes([self._encode(text) for text in texts]):
            scores = self._probabilities(encoded)
            order = np.argsort(-scores, axis=1, kind="stable")[:, :top]
            columns += order.tolist()
            probabilities += np.take_along_axis(scores, order, axis=1).tolist()
        return columns, probabilities

    def _probabilities(self, encoded: list[bytes]) -> np.ndarray:
        """texts x labels: the normalised probabilities `LanguageIdentifier._decide` gives."""
        lengths = np.fromiter(map(len, encoded), dtype=np.intp, count=len(encoded))
        features = self._features_per_byte(b"".join(encoded), lengths)
        owner = np.repeat(np.arange(len(encoded)), lengths)
        found = features >= 0
        owner, features = owner[found], features[found]
        scores = np.zeros((len(encoded), len(self._class_prior)), dtype=np.float32)
        if len(features):
            # float16 rows converted once per call, only the ones these texts use
            used, column = np.unique(features, return_inverse=True)
            table = self._log_probabilities[used].astype(np.float32)
            for first in range(0, len(encoded), TEXTS_PER_PRODUCT):
                lo, hi = np.searchsorted(owner, [first, first + TEXTS_PER_PRODUCT])
                block = scores[first : first + TEXTS_PER_PRODUCT]
                self._score_block(block, owner[lo:hi] - first, column[lo:hi], table)
        # a text without any feature scores 0 everywhere: uniform, as in py3langid
        scores *= (1.0 / np.sqrt(np.maximum(lengths, 1))).astype(np.float32)[:, None]
        np.exp(scores - scores.max(axis=1, keepdims=True), out=scores)
        scores /= scores.sum(axis=1, keepdims=True)
        for first, alias in self._alias_pairs:
            scores[:, first] += scores[:, alias]
        return scores[:, self._label_columns]

    def _score_block(
        self, out: np.ndarray, owner: np.ndarray, column: np.ndarray, table: np.ndarray
    ) -> None:
        """Naive Bayes scores of a block of texts from their (text, table row) occurrences."""
        if not len(column):
            return
        used, local = np.unique(column, return_inverse=True)
        cells = np.bincount(owner * len(used) + local, minlength=len(out) * len(used))
        counts = cells.reshape(len(out), len(used)).astype(np.float32)
        scored = np.unique(owner)
        out[scored] = (np.log1p(counts[scored]) @ table[used]) + self._class_prior

    def _features_per_byte(self, data: bytes, lengths: np.ndarray) -> np.ndarray:
        """The automaton's output after each byte (-1: none), each text walked from the start
        state: the state after byte i is the one reached from the start by bytes i-depth+1..i
        that lie inside its text."""
        text_bytes = np.frombuffer(data, dtype=np.uint8).astype(np.intp)
        position = np.arange(len(text_bytes))
        text_start = np.repeat(np.cumsum(lengths) - lengths, lengths)
        state = np.zeros(len(text_bytes), dtype=np.intp)
        for back in range(self.depth - 1, -1, -1):
            inside = position - back >= text_start
            step = position[inside] - back
            state[inside] = self._next_state[self._row_start[state[inside]] + text_bytes[step]]
        return self._feature[state]


def _passes(encoded: list[bytes]) -> Iterator[list[bytes]]:
    """The encoded texts in consecutive runs of about BYTES_PER_PASS bytes (at least one text
    each): memory per pass stays bounded however many texts a caller passes."""
    run: list[bytes] = []
    size = 0
    for text in encoded:
        if run and size + len(text) > BYTES_PER_PASS:
            yield run
            run, size = [], 0
        run.append(text)
        size += len(text)
    if run:
        yield run


def automaton_depth(next_state: np.ndarray, row_start: np.ndarray) -> int:
    """The longest shortest path from the start state: the longest string a state stands for."""
    table = next_state.reshape(-1, 256)
    rows = row_start >> 8
    seen = np.zeros(len(rows), dtype=bool)
    seen[0] = True
    frontier, depth = np.array([0]), 0
    while True:
        reached = np.zeros(len(rows), dtype=bool)
        for first in range(0, len(frontier), 1024):  # a few MB at a time
            reached[table[rows[frontier[first : first + 1024]]].ravel()] = True
        frontier = np.flatnonzero(reached & ~seen)
        if not len(frontier):
            return depth
        seen[frontier] = True
        depth += 1
