"""Story language detection benchmark: model load time and memory, cost per story, accuracy.

Run: .venv/bin/python bench/bench_language.py   (prints one line per figure)
Cost is CPU time of this process (not distorted by other load on a shared machine) for demo
stories: whole stories of 1-5 sentences (as submitted) and 80-word stories. Accuracy: primary
language of the demo stories, whose language is known, and of mixed two-language stories.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEMO_STORIES = ROOT / "webapp" / "data" / "demo_stories.jsonl"
ROUNDS = 5


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> None:
    import numpy  # noqa: F401  (the app has numpy loaded already; count only the model)

    from nlp.language import identify_languages, load_language_model

    before = rss_mb()
    start = time.perf_counter()
    load_language_model()
    print(f"model load: {time.perf_counter() - start:.2f} s, +{rss_mb() - before:.0f} MB RSS")

    stories = [json.loads(line) for line in DEMO_STORIES.read_text(encoding="utf8").splitlines()]
    texts = [story["text"] for story in stories]
    words = " ".join(texts).split()
    eighty = [" ".join(words[i : i + 80]) for i in range(0, len(words) - 80, 80)]
    for name, batch in (("demo story", texts), ("80-word story", eighty)):
        cpu = time.process_time()
        for _ in range(ROUNDS):
            for text in batch:
                identify_languages(text)
        per_story = (time.process_time() - cpu) / (ROUNDS * len(batch))
        print(f"cost per {name}: {per_story * 1000:.2f} ms CPU ({len(batch)} stories)")

    known = [(s["text"], s.get("lang", "nl")) for s in stories]
    right = sum(identify_languages(text).primary == lang for text, lang in known)
    print(f"primary language right on demo stories: {right}/{len(known)}")
    by_lang: dict[str, list[str]] = {}
    for text, lang in known:
        by_lang.setdefault(lang, []).append(text)
    others = [lang for lang in by_lang if lang != "nl"]
    mixed_right = mixed = 0
    for lang in others:
        for dutch, other in zip(by_lang["nl"], by_lang[lang], strict=False):
            mixed += 1
            mixed_right += set(identify_languages(f"{dutch}\n{other}").found) >= {"nl", lang}
    print(f"both languages found in mixed Dutch + other stories: {mixed_right}/{mixed}")


if __name__ == "__main__":
    main()
