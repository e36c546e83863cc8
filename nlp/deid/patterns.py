"""Detectors for personal data with a fixed form: e-mail, URL, handle, IBAN, BSN, postcode,
phone number (nlp.deid.phones) and birth date. Each takes the original text and returns spans into it."""

from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum import iban as stdnum_iban
from stdnum.nl import bsn as stdnum_bsn

from nlp.deid.phones import find_phone_numbers
from nlp.deid.spoken import find_spoken_emails
from nlp.deid.types import PiiType, Span

EMAIL_AT = r"(?:@|\s?[\[(]\s?at\s?[\])]\s?)"
EMAIL_DOT = r"(?:\.|\s?[\[(]\s?(?:dot|punt)\s?[\])]\s?|\s\.(?=[a-z]{2,4}\b))"
# Also misspelt or obfuscated addresses: 'naam(at)domein.nl', 'erik [at] gmail [dot] com',
# 'annie@ziggo .nl'.
EMAIL = re.compile(
    rf"(?<![\w.+\-])[\w.%+\-]+{EMAIL_AT}[A-Za-z0-9\-]+(?:{EMAIL_DOT}[A-Za-z0-9\-]+)*"
    rf"{EMAIL_DOT}[A-Za-z]{{2,}}\b"
)
# Where EMAIL_AT can begin: an '@', or a bracket before 'at' (with an optional space before it).
EMAIL_AT_START = re.compile(r"@|\s?[\[(]\s?at")
URL = re.compile(
    r"(?:(?:https?://|www\.)[^\s<>\"'\])]+"
    r"|(?<![\w@.\-])[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\."
    r"(?:nl|com|org|net|eu|be|info|nu|io|de|co|app|me|tv|amsterdam|frl)\b(?:/[^\s<>\"']*)?"
    # Any other top-level domain when a path follows: 'linktr.ee/jan', 't.me/jan123'.
    r"|(?<![\w@.\-])[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[a-z]{2,6}/[^\s<>\"']+)",
    re.IGNORECASE,
)
URL_HINT = re.compile(
    r"www\.|://|\.(?:nl|com|org|net|eu|be|info|nu|io|de|co|app|me|tv|amsterdam|frl)\b"
    r"|\.[a-z]{2,6}/[^\s]",
    re.I,
)
URL_TLD = re.compile(
    r"\.(?:(?:nl|com|org|net|eu|be|info|nu|io|de|co|app|me|tv|amsterdam|frl)\b|[a-z]{2,6}/\S)",
    re.I,
)  # the last part of URL_HINT: a search starting with a literal '.' is fast
WHITESPACE = re.compile(r"\s")
DIGIT_RUN = re.compile(r"\d+")
HANDLE = re.compile(r"(?<![\w@./])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?")
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b", re.I)
BSN = re.compile(
    r"(?<![\d.,\-/])(?:\d{9}|\d{4}[ .]\d{2}[ .]\d{3}|\d{3}[ .]\d{3}[ .]\d{3})(?![\d\-/]|[.,]\d)"
)
BSN_SHORT = re.compile(r"\b(?:bsn|burgerservicenummer|sofinummer)\b\D{0,20}(\d{8})\b", re.I)
POSTCODE = re.compile(
    r"(?<![\w\-])[1-9]\d{3}(?: ?[A-Z]{2}|[a-z]{2}|(?: [a-z]{2}(?= [A-Z][a-z])))(?![\w\-])"
    # '..., 1056 ec.': lower case with a space only right after a comma (an address list).
    r"|(?<=, )[1-9]\d{3} [a-z]{2}(?=[\s.,;]|$)"
)
BSN_WORDS = ("bsn", "burgerservicenummer", "sofinummer")
TRAILING_URL_PUNCT = ".,;:!?)'\""

MONTHS = (
    r"januari|jan|februari|feb|maart|mrt|april|apr|mei|juni|jun|juli|jul|augustus|aug|"
    r"september|sept|sep|oktober|okt|november|nov|december|dec"
)
DATE = re.compile(
    r"\b(?:(?:0?[1-9]|[12]\d|3[01])[-/.](?:0?[1-9]|1[0-2])[-/.](?:19|20)?\d{2}"
    r"|(?:19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"
    rf"|(?:0?[1-9]|[12]\d|3[01])(?:e|ste|de)?\s+(?:{MONTHS})\.?(?:\s+(?:(?:19|20)\d{{2}}|'\d{{2}}))?"
    r")(?![\w\-/])",
    re.IGNORECASE,
)
BIRTH_YEAR = re.compile(r"\b(?:geboren|geb\.?)\s+(?:in\s+|anno\s+)?((?:19|20)\d{2})\b", re.I)
BIRTH_CONTEXT = re.compile(
    r"(?:geboren|geb\.|\bgeb\b|geboortedatum|geboortedag|gebdatum|geb\.datum|verjaardag|jarig"
    r"|date of birth|\bdob\b|birthday|doğum)",
    re.IGNORECASE,
)
BIRTH_WORDS = ("geb", "jarig", "verjaardag", "birth", "dob", "doğum")
# Runs of digits as (start, end): most texts have few, and every number pattern below can only
# start at (or just before) one, so the patterns are tried there instead of at every character.
Runs = list[tuple[int, int]]
# Postcode letter pairs that are almost always a word after a year ("in 2019 EN dan").
POSTCODE_WORDS = {
    "EN",
    "OF",
    "IN",
    "OP",
    "DE",
    "TE",
    "AL",
    "EU",
    "NL",
    "BV",
    "NV",
    "JA",
    "OK",
    "TV",
}


def find_emails(text: str) -> list[Span]:
    """E-mail addresses, also written as 'naam(at)domein.nl'."""
    if "@" not in text and "at)" not in text and "at]" not in text:
        return []
    # The local part is a run of [\w.%+\-] (\w: str.isalnum() or '_') right before an '@' or
    # '(at)'. EMAIL can start only where its look-behind allows: at the start of such a run,
    # or after a '%' inside it (when an earlier address took the start of the run).
    starts = set()
    for at in EMAIL_AT_START.finditer(text):
        start = at.start()
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_.%+-"):
            start -= 1
            if text[start] == "%" and start + 1 < at.start():
                starts.add(start + 1)
        if start < at.start():
            starts.add(start)
    return [_span(m, PiiType.EMAIL) for m in _matches_at(EMAIL, text, sorted(starts))]


def find_urls(text: str) -> list[Span]:
    """Web addresses with a scheme, 'www.' or a common top-level domain."""
    if "://" not in text and "www." not in text.lower() and not URL_TLD.search(text):
        return []  # no URL_HINT
    spans = []
    chunk_end = 0
    # A URL has no whitespace and holds a hint: look only in the chunks around the hints.
    for hint in URL_HINT.finditer(text):
        if hint.start() < chunk_end:
            continue
        chunk_start = hint.start()
        while chunk_start > 0 and not text[chunk_start - 1].isspace():
            chunk_start -= 1
        space = WHITESPACE.search(text, hint.end())
        chunk_end = space.start() if space else len(text)
        for match in URL.finditer(text, chunk_start, chunk_end):
            end = match.end()
            while end > match.start() and text[end - 1] in TRAILING_URL_PUNCT:
                end -= 1
            if end - match.start() >= 4:
                spans.append(Span(match.start(), end, PiiType.URL, text[match.start() : end]))
    return spans


def find_handles(text: str) -> list[Span]:
    """Social-media handles such as '@jan_v'."""
    if "@" not in text:
        return []
    return [_span(m, PiiType.HANDLE) for m in HANDLE.finditer(text) if len(m.group()) > 2]


def find_ibans(text: str, runs: Runs | None = None) -> list[Span]:
    """IBANs that pass the ISO 7064 check, with or without groups of four."""
    runs = digit_runs(text) if runs is None else runs
    if not any(end - start >= 4 for start, end in runs):
        return []
    spans = []
    # 'NL91ABNA…': two letters, then the run of digits.
    starts = [
        start - 2
        for start, end in runs
        if start >= 2 and end - start >= 2 and text[start - 2 : start].isalpha()
    ]
    for match in _matches_at(IBAN, text, starts):
        candidate = match.group()
        # The optional groups can swallow a following number; try shorter prefixes.
        for end in range(len(candidate), 14, -1):
            if candidate[end - 1] == " ":
                continue
            if stdnum_iban.is_valid(candidate[:end].upper()):
                start = match.start()
                spans.append(Span(start, start + end, PiiType.IBAN, candidate[:end]))
                break
    return spans


def find_bsns(text: str, runs: Runs | None = None) -> list[Span]:
    """Citizen service numbers (BSN) that pass the 11-proef."""
    runs = digit_runs(text) if runs is None else runs
    # '123456782', '1234.56.782', '232 679 381': the first group has 9, 4 or 3 digits.
    starts = [start for start, end in runs if end - start in (3, 4, 9)]
    spans = [
        _span(m, PiiType.BSN)
        for m in _matches_at(BSN, text, starts)
        if stdnum_bsn.is_valid(m.group())
    ]
    if any(end - start == 8 for start, end in runs):
        lower = _pattern_lower(text)
        if any(word in lower for word in BSN_WORDS):
            for match in BSN_SHORT.finditer(text):
                if stdnum_bsn.is_valid(match.group(1)):
                    spans.append(Span(match.start(1), match.end(1), PiiType.BSN, match.group(1)))
    return spans


def find_postcodes(text: str, runs: Runs | None = None) -> list[Span]:
    """Dutch postcodes '3012 AB' and '3012AB' (letters SA, SD and SS are never issued)."""
    runs = digit_runs(text) if runs is None else runs
    spans = []
    for match in _matches_at(POSTCODE, text, [start for start, end in runs if end - start == 4]):
        value = match.group()
        letters = value[-2:].upper()
        if letters in {"SA", "SD", "SS"}:
            continue
        if " " in value and letters in POSTCODE_WORDS and 1900 <= int(value[:4]) <= 2099:
            continue
        spans.append(_span(match, PiiType.POSTCODE))
    return spans


def find_birth_dates(text: str, runs: Runs | None = None) -> list[Span]:
    """Dates that the nearby words mark as a birth date ('geboren op 3 mei 1961')."""
    runs = digit_runs(text) if runs is None else runs
    if not runs:
        return []
    lower = text.lower()
    if not any(word in lower for word in BIRTH_WORDS):
        return []
    spans = []
    for match in _matches_at(DATE, text, [start for start, _ in runs]):
        before = text[max(0, match.start() - 45) : match.start()]
        after = text[match.end() : match.end() + 25]
        triggers = list(BIRTH_CONTEXT.finditer(before))
        if triggers:
            # The birth date is the first date after the trigger, in the same sentence.
            between = before[triggers[-1].end() :]
            if DATE.search(between) or re.search(r"[.!?]\s+[A-Z]|\n", between):
                triggers = []
        if triggers or re.match(r"\s*\(?\s*(?:geboren|geb\.)", after, re.I):
            spans.append(_span(match, PiiType.GEBOORTEDATUM))
    for match in BIRTH_YEAR.finditer(text):
        spans.append(Span(match.start(1), match.end(1), PiiType.GEBOORTEDATUM, match.group(1)))
    return spans


def find_structured(text: str) -> list[Span]:
    """All fixed-form personal data in the text (may overlap; the caller resolves)."""
    spans = find_emails(text) + find_spoken_emails(text) + find_urls(text) + find_handles(text)
    runs = digit_runs(text)
    if runs:
        spans += find_ibans(text, runs)
        spans += find_bsns(text, runs)
        spans += find_postcodes(text, runs)
        spans += find_phone_numbers(text)
        spans += find_birth_dates(text, runs)
    return spans


def digit_runs(text: str) -> Runs:
    """(start, end) of every run of digits."""
    return [match.span() for match in DIGIT_RUN.finditer(text)]


def _matches_at(pattern: re.Pattern[str], text: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """What ``pattern.finditer(text)`` finds, for a pattern that can only match at ``starts``
    (ascending). Look-behinds still see the text before each start."""
    last_end = 0
    for start in starts:
        if start >= last_end:
            match = pattern.match(text, start)
            if match:
                yield match
                last_end = match.end()


def _pattern_lower(text: str) -> str:
    """Lower case in which a word occurs wherever a case-insensitive pattern finds it: re
    also matches 'İ' and 'ı' as 'i' and 'ſ' as 's'."""
    lower = text.lower()
    if lower.isascii():
        return lower
    return lower.replace("i\u0307", "i").replace("ı", "i").replace("ſ", "s")


def _span(match: re.Match[str], pii_type: PiiType) -> Span:
    return Span(match.start(), match.end(), pii_type, match.group())
