"""TF-IDF features over analysed texts: lemma n-grams and per-token character n-grams.

Character n-grams make the model robust to spelling mistakes and Dutch compounds
("eenzaamhied", "energierekening"); they are computed once per distinct word and cached, so a
batch costs one dictionary look-up per token instead of a dozen.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from nlp.text_analysis import AnalysedText

TOKEN_CACHE_LIMIT = 200_000


def lemma_ngrams(analysed: AnalysedText) -> list[str]:
    """Lemma unigrams and bigrams of a text; bigrams do not cross punctuation."""
    lemmas = analysed.lemmas
    features = [lemma for lemma in lemmas if lemma[0].isalnum()]
    for first, second in zip(lemmas, lemmas[1:], strict=False):
        if first[0].isalnum() and second[0].isalnum():
            features.append(f"{first} {second}")
    return features


def build_lemma_vectorizer(min_df: int = 2, max_features: int | None = 40_000) -> TfidfVectorizer:
    """TF-IDF over lemma n-grams of analysed texts."""
    return TfidfVectorizer(
        analyzer=lemma_ngrams,
        min_df=min_df,
        max_features=max_features,
        sublinear_tf=True,
        lowercase=False,
        dtype=np.float32,
    )


def _token_char_ngrams(token: str, low: int, high: int) -> list[str]:
    padded = f" {token} "
    if len(padded) <= low:
        return [padded]
    return [padded[i : i + n] for n in range(low, high + 1) for i in range(len(padded) - n + 1)]


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

    def _words(self, analysed: AnalysedText) -> list[str]:
        return [word for word in analysed.lower if word[0].isalnum()]

    def fit(self, analysed_texts: Sequence[AnalysedText], y=None) -> TokenCharNgrams:
        low, high = self.ngram_range
        document_frequency: Counter[str] = Counter()
        for analysed in analysed_texts:
            grams = set()
            for word in set(self._words(analysed)):
                grams.update(_token_char_ngrams(word, low, high))
            document_frequency.update(grams)
        kept = [(gram, df) for gram, df in document_frequency.items() if df >= self.min_df]
        kept.sort(key=lambda item: (-item[1], item[0]))
        if self.max_features is not None:
            kept = kept[: self.max_features]
        kept.sort()
        self.vocabulary_ = {gram: index for index, (gram, _) in enumerate(kept)}
        n_documents = len(analysed_texts)
        df = np.array([count for _, count in kept], dtype=np.float64)
        self.idf_ = (np.log((1 + n_documents) / (1 + df)) + 1).astype(np.float32)
        return self

    def _indices_of(self, word: str) -> list[int]:
        cache = self.__dict__.setdefault("_token_cache", {})
        indices = cache.get(word)
        if indices is None:
            low, high = self.ngram_range
            vocabulary = self.vocabulary_
            indices = [
                vocabulary[g] for g in _token_char_ngrams(word, low, high) if g in vocabulary
            ]
            if len(cache) > TOKEN_CACHE_LIMIT:
                cache.clear()
            cache[word] = indices
        return indices

    def transform(self, analysed_texts: Sequence[AnalysedText]) -> sp.csr_matrix:
        indptr = [0]
        indices: list[int] = []
        for analysed in analysed_texts:
            for word in self._words(analysed):
                indices.extend(self._indices_of(word))
            indptr.append(len(indices))
        data = np.ones(len(indices), dtype=np.float32)
        shape = (len(analysed_texts), len(self.vocabulary_))
        counts = sp.csr_matrix((data, np.asarray(indices, dtype=np.int32), indptr), shape=shape)
        counts.sum_duplicates()
        counts.data = (1 + np.log(counts.data)) * self.idf_[counts.indices]
        return normalize(counts, copy=False)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        names = np.empty(len(self.vocabulary_), dtype=object)
        for gram, index in self.vocabulary_.items():
            names[index] = gram
        return names
