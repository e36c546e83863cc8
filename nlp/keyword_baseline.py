"""The keyword baseline: a theme is assigned when one of its own theme words occurs.

It shows in the model card how much the classifier adds over simple word search.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from nlp.themes import Theme, load_themes

WORD_PATTERN = re.compile(r"[^\W_]+", re.UNICODE)


class KeywordBaseline:
    """Labels a text with every theme whose keywords (themes.yaml) occur in it as words."""

    def __init__(self, themes: Sequence[Theme] | None = None):
        themes = list(themes) if themes is not None else load_themes()
        self.theme_keys = [theme.key for theme in themes]
        self.keywords = {theme.key: frozenset(theme.keywords) for theme in themes}

    def predict_labels(self, texts: Sequence[str]) -> list[list[str]]:
        results = []
        for text in texts:
            words = set(WORD_PATTERN.findall(text.lower()))
            results.append([key for key in self.theme_keys if words & self.keywords[key]])
        return results
