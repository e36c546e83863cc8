#!/usr/bin/env python3
"""Build testset.jsonl from the hand-annotated testset_source.txt.

Source format
-------------
* One story per block; blocks are separated by one or more blank lines.
* Each block starts with an id line: ``# deid-001`` optionally followed by
  flags.  Supported flag: ``crlf`` -> the lines of the story are joined with
  "\\r\\n" instead of "\\n" (Windows line endings).
* The remaining lines of the block form the story text (joined with a line
  break, so a story may span several lines but contains no blank line).
* Inline markup ``[[TYPE|surface text]]`` marks an annotated span.  The
  surface text may contain a line break (e.g. a phone number that is split
  over two lines).
* ``{NBSP}`` is replaced by U+00A0 (no-break space).

Output: one JSON object per line
    {"id": ..., "text": ..., "spans": [{"start", "end", "type"}, ...]}
with ``start``/``end`` as Python string indices (Unicode code points, end
exclusive) into ``text``.

The script checks, and aborts on failure:
* ids are unique and sequential (deid-001, deid-002, ...);
* every type is known, no span is empty, overlaps another span or has
  leading/trailing whitespace;
* every IBAN span validates (stdnum.iban) and every BSN span passes the
  11-proef (stdnum.nl.bsn);
* no unannotated 9-digit number in a text passes the 11-proef and no
  unannotated string looks like a valid IBAN (decoys must really be decoys);
* every story has between 20 and 150 words (whitespace tokens).
It also prints warnings (for manual review, not fatal) when an annotated
PERSOON surface form occurs unannotated elsewhere in the same story, or when
an unannotated "@" or 10-digit phone-like string occurs.

Usage:  python build_testset.py   (writes testset.jsonl and hardcases.jsonl next to it)
Only the standard library and python-stdnum are needed.
"""

import json
import re
import sys
from collections import Counter
from pathlib import Path

from stdnum import iban
from stdnum.nl import bsn

HERE = Path(__file__).resolve().parent
SRC = HERE / "testset_source.txt"
OUT = HERE / "testset.jsonl"

TYPES = {
    "PERSOON",
    "ADRES",
    "POSTCODE",
    "TELEFOON",
    "EMAIL",
    "IBAN",
    "BSN",
    "GEBOORTEDATUM",
    "URL",
    "HANDLE",
}
MARK = re.compile(r"\[\[([A-Z]+)\|(.*?)\]\]", re.S)
ID_LINE = re.compile(r"^# ((?:deid|hard)-\d{3})((?: [a-z]+)*)$")
# The main set, and the hard cases added for issue #10 (phones in every writing, e-mail
# addresses written out, handles, and words that must stay: diseases named after people,
# countries, demonyms, languages, sentence-initial capitals). Scored apart and together.
SETS = (
    ("deid", SRC, OUT),
    ("hard", HERE / "hardcases_source.txt", HERE / "hardcases.jsonl"),
)


def parse_blocks(raw):
    blocks = [b for b in re.split(r"\n[ \t]*\n", raw.strip("\n")) if b.strip()]
    for block in blocks:
        lines = block.split("\n")
        m = ID_LINE.match(lines[0])
        if not m:
            sys.exit(f"block does not start with an id line: {lines[0]!r}")
        flags = m.group(2).split()
        unknown = set(flags) - {"crlf"}
        if unknown:
            sys.exit(f"{m.group(1)}: unknown flags {unknown}")
        body = lines[1:]
        if not body:
            sys.exit(f"{m.group(1)}: empty story")
        yield m.group(1), ("crlf" in flags), body


def strip_markup(marked):
    """Return (plain_text, spans) for a marked-up string."""
    text_parts, spans, pos, last = [], [], 0, 0
    for m in MARK.finditer(marked):
        before = marked[last : m.start()]
        if "[[" in before or "]]" in before:
            raise ValueError(f"stray markup near: {before[-40:]!r}")
        text_parts.append(before)
        pos += len(before)
        typ, surface = m.group(1), m.group(2)
        spans.append({"start": pos, "end": pos + len(surface), "type": typ})
        text_parts.append(surface)
        pos += len(surface)
        last = m.end()
    tail = marked[last:]
    if "[[" in tail or "]]" in tail:
        raise ValueError(f"stray markup near: {tail[:40]!r}")
    text_parts.append(tail)
    return "".join(text_parts), spans


def eleven_proof(digits):
    return len(digits) == 9 and bsn.is_valid(digits)


def check_story(sid, text, spans, errors, warnings):
    n_words = len(text.split())
    if not 20 <= n_words <= 150:
        errors.append(f"{sid}: {n_words} words (need 20-150)")
    covered = [False] * len(text)
    prev_end = -1
    for sp in sorted(spans, key=lambda s: s["start"]):
        s, e, t = sp["start"], sp["end"], sp["type"]
        surf = text[s:e]
        if t not in TYPES:
            errors.append(f"{sid}: unknown type {t}")
        if e <= s:
            errors.append(f"{sid}: empty span {sp}")
        if s < prev_end:
            errors.append(f"{sid}: overlapping span {sp}")
        prev_end = max(prev_end, e)
        if surf != surf.strip():
            errors.append(f"{sid}: whitespace at span edge {surf!r}")
        if t == "IBAN" and not iban.is_valid(surf):
            errors.append(f"{sid}: invalid IBAN {surf!r}")
        if t == "BSN":
            digits = re.sub(r"[.\s]", "", surf)
            if not (digits.isdigit() and eleven_proof(digits)):
                errors.append(f"{sid}: invalid BSN {surf!r}")
        for i in range(s, e):
            covered[i] = True

    def uncovered(m):
        return not any(covered[m.start() : m.end()])

    # Decoy checks: unannotated 9-digit numbers must fail the 11-proef,
    # unannotated IBAN-like strings must not validate.
    for m in re.finditer(r"(?<![\d.])\d{9}(?![\d])", text):
        if uncovered(m) and eleven_proof(m.group()):
            errors.append(f"{sid}: unannotated valid BSN-like {m.group()}")
    for m in re.finditer(r"\b[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]{4}){3,4}(?: ?\d{1,4})?", text):
        if uncovered(m) and iban.is_valid(m.group()):
            errors.append(f"{sid}: unannotated valid IBAN {m.group()}")

    # Review warnings.
    for sp in spans:
        if sp["type"] != "PERSOON":
            continue
        surf = text[sp["start"] : sp["end"]]
        for m in re.finditer(r"(?<!\w)" + re.escape(surf) + r"(?!\w)", text):
            if uncovered(m):
                warnings.append(
                    f"{sid}: PERSOON form {surf!r} also unannotated at {m.start()}: "
                    f"...{text[max(0, m.start() - 25) : m.end() + 25]!r}..."
                )
    for m in re.finditer(r"@", text):
        if uncovered(m):
            warnings.append(
                f"{sid}: unannotated '@' at {m.start()}: {text[max(0, m.start() - 20) : m.end() + 20]!r}"
            )
    for m in re.finditer(r"(?<!\d)0\d(?:[ \-.]?\d){8}(?!\d)", text):
        if uncovered(m):
            warnings.append(f"{sid}: unannotated phone-like {m.group()!r}")


def main():
    for prefix, source, out in SETS:
        build(prefix, source, out)


def build(prefix, source, out):
    raw = source.read_text(encoding="utf-8")
    records, errors, warnings = [], [], []
    seen = []
    for sid, crlf, body in parse_blocks(raw):
        seen.append(sid)
        marked = ("\r\n" if crlf else "\n").join(body).replace("{NBSP}", "\u00a0")
        try:
            text, spans = strip_markup(marked)
        except ValueError as exc:
            errors.append(f"{sid}: {exc}")
            continue
        check_story(sid, text, spans, errors, warnings)
        records.append({"id": sid, "text": text, "spans": spans})

    expected = [f"{prefix}-{i:03d}" for i in range(1, len(seen) + 1)]
    if seen != expected:
        errors.append("ids are not unique and sequential")

    for w in warnings:
        print("WARNING", w)
    if errors:
        for e in errors:
            print("ERROR", e)
        sys.exit(1)

    with out.open("w", encoding="utf-8", newline="\n") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")

    counts = Counter(sp["type"] for r in records for sp in r["spans"])
    empty = sum(1 for r in records if not r["spans"])
    print(f"wrote {len(records)} stories to {out.name}")
    for t in sorted(TYPES):
        print(f"  {t:14s} {counts.get(t, 0)}")
    print(f"  {'total spans':14s} {sum(counts.values())}")
    print(f"stories without personal data: {empty} ({100 * empty / len(records):.1f}%)")


if __name__ == "__main__":
    main()
