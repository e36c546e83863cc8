"""TF-IDF features over analysed texts: lemma n-grams and per-token character n-grams.

Character n-grams make the model robust to spelling mistakes and Dutch compounds
("eenzaamhied", "energierekening"); they are computed once per distinct word and cached, so a
batch costs one dictionary look-up per token instead of a dozen. Both vectorizers use
sublinear term frequency, smoothed IDF and L2-normalised rows (as sklearn's TfidfVectorizer).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import chain

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin

from nlp.text_analysis import AnalysedText

TOKEN_CACHE_LIMIT = 100_000


def lemma_ngrams(analysed: AnalysedText) -> list[str]:
    """Lemma unigrams and bigrams of a text; n-grams do not include punctuation."""
    lemmas = analysed.lemmas
    features = [lemma for lemma in lemmas if lemma[0].isalnum()]
    for first, second in zip(lemmas, lemmas[1:], strict=False):
        if first[0].isalnum() and second[0].isalnum():
            features.append(f"{first} {second}")
    return features


def _token_char_ngrams(token: str, low: int, high: int) -> list[str]:
    padded = f" {token} "
    if len(padded) <= low:
        return [padded]
    return [padded[i : i + n] for n in range(low, high + 1) for i in range(len(padded) - n + 1)]


def _count_matrix(rows: list[list[int]], n_columns: int) -> sp.csr_matrix:
    """A CSR matrix counting how often each column index occurs in each row's list."""
    indptr = np.cumsum([0] + [len(row) for row in rows])
    indices = np.fromiter(chain.from_iterable(rows), dtype=np.int32, count=int(indptr[-1]))
    data = np.ones(len(indices), dtype=np.float32)
    counts = sp.csr_matrix((data, indices, indptr), shape=(len(rows), n_columns))
    counts.sum_duplicates()
    return counts


def _tfidf_rows(rows: list[list[int]], idf: np.ndarray) -> sp.csr_matrix:
    """L2-normalised sublinear TF-IDF rows from per-text lists of feature indices."""
    counts = _count_matrix(rows, len(idf))
    counts.data = (1 + np.log(counts.data)) * idf[counts.indices]
    return _normalise_rows(counts)


def _normalise_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """Scale each row to unit L2 norm in place (sklearn's `normalize` without its checks,
    which cost more than the work for a single short text)."""
    lengths = np.diff(matrix.indptr)
    rows = np.repeat(np.arange(len(lengths)), lengths)
    norms = np.sqrt(np.bincount(rows, weights=matrix.data**2, minlength=len(lengths)))
    norms[norms == 0] = 1.0
    matrix.data /= norms[rows].astype(matrix.data.dtype)
    return matrix


def _vocabulary_and_idf(
    document_frequency: Counter[str], n_documents: int, min_df: int, max_features: int | None
) -> tuple[dict[str, int], np.ndarray]:
    """The most frequent features (document frequency >= min_df) and their smoothed IDF."""
    kept = [(gram, df) for gram, df in document_frequency.items() if df >= min_df]
    kept.sort(key=lambda item: (-item[1], item[0]))
    kept = sorted(kept[:max_features] if max_features is not None else kept)
    df = np.array([count for _, count in kept], dtype=np.float64)
    idf = (np.log((1 + n_documents) / (1 + df)) + 1).astype(np.float32)
    return {gram: index for index, (gram, _) in enumerate(kept)}, idf


def _names(vocabulary: dict[str, int]) -> np.ndarray:
    names = np.empty(len(vocabulary), dtype=object)
    for gram, index in vocabulary.items():
        names[index] = gram
    return names


class LemmaNgrams(TransformerMixin, BaseEstimator):
    """TF-IDF over lemma unigrams and bigrams."""

    def __init__(self, min_df: int = 2, max_features: int | None = 40_000):
        self.min_df = min_df
        self.max_features = max_features

    def fit(self, analysed_texts: Sequence[AnalysedText], y=None) -> LemmaNgrams:
        document_frequency: Counter[str] = Counter()
        for analysed in analysed_texts:
            document_frequency.update(set(lemma_ngrams(analysed)))
        self.vocabulary_, self.idf_ = _vocabulary_and_idf(
            document_frequency, len(analysed_texts), self.min_df, self.max_features
        )
        return self

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.pop("_vocabulary_tables", None)
        return state

    def _split_vocabulary(self) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
        """Unigram and bigram look-up tables (bigrams keyed by lemma pairs: no string joins)."""
        split = self.__dict__.get("_vocabulary_tables")
        if split is None:
            unigrams = {g: i for g, i in self.vocabulary_.items() if " " not in g}
            bigrams = {tuple(g.split(" ")): i for g, i in self.vocabulary_.items() if " " in g}
            split = self.__dict__["_vocabulary_tables"] = (unigrams, bigrams)
        return split

    def transform(self, analysed_texts: Sequence[AnalysedText]) -> sp.csr_matrix:
        unigrams, bigrams = self._split_vocabulary()
        unigram_of, bigram_of = unigrams.get, bigrams.get
        rows = []
        for analysed in analysed_texts:
            lemmas = analysed.lemmas
            row = [i for i in map(unigram_of, lemmas) if i is not None]
            row += [
                i for i in map(bigram_of, zip(lemmas, lemmas[1:], strict=False)) if i is not None
            ]
            rows.append(row)
        return _tfidf_rows(rows, self.idf_)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        return _names(self.vocabulary_)


class TokenCharNgrams(TransformerMixin, BaseEstimator):
    """TF-IDF over character n-grams of each word (like sklearn's "char_wb"), cached per word."""

    def __init__(
        self,
        ngram_range: tuple[int, int] = (3, 5),
        min_df: int = 2,
        max_features: int | None = 60_000,
    ):
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_features = max_features

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.pop("_token_cache", None)
        return state

    def _word_grams(self, words: Iterable[str]) -> set[str]:
        low, high = self.ngram_range
        return {
            g for word in words if word[0].isalnum() for g in _token_char_ngrams(word, low, high)
        }

    def fit(self, analysed_texts: Sequence[AnalysedText], y=None) -> TokenCharNgrams:
        document_frequency: Counter[str] = Counter()
        for analysed in analysed_texts:
            document_frequency.update(self._word_grams(set(analysed.lower)))
        self.vocabulary_, self.idf_ = _vocabulary_and_idf(
            document_frequency, len(analysed_texts), self.min_df, self.max_features
        )
        return self

    def _indices_of(self, word: str) -> list[int]:
        cache = self.__dict__.setdefault("_token_cache", {})
        if len(cache) > TOKEN_CACHE_LIMIT:
            cache.clear()
        indices: list[int] = []
        if word[0].isalnum():
            low, high = self.ngram_range
            grams = _token_char_ngrams(word, low, high)
            indices = [self.vocabulary_[g] for g in grams if g in self.vocabulary_]
        cache[word] = indices
        return indices

    def transform(self, analysed_texts: Sequence[AnalysedText]) -> sp.csr_matrix:
        # texts x word types (counts) times word types x n-grams: the n-grams of each distinct
        # word are looked up once per batch and the sums are done by a sparse product.
        word_index: dict[str, int] = {}
        add = word_index.setdefault
        doc_words = [[add(word, len(word_index)) for word in a.lower] for a in analysed_texts]
        cached = self.__dict__.setdefault("_token_cache", {}).get
        word_grams = [cached(word) for word in word_index]
        word_grams = [
            grams if grams is not None else self._indices_of(word)
            for word, grams in zip(word_index, word_grams, strict=True)
        ]
        by_text = _count_matrix(doc_words, len(word_index))
        by_word = _count_matrix(word_grams, len(self.vocabulary_))
        counts = (by_text @ by_word).tocsr()
        counts.data = (1 + np.log(counts.data)) * self.idf_[counts.indices]
        return _normalise_rows(counts)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        return _names(self.vocabulary_)
