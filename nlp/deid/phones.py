"""Phone numbers by their shape, not by today's allocation: a reader sees a phone number, so it
is one ('06-71920384' is unallocated today, yet anyone can dial it tomorrow).

A number is a chain of digit groups with separators a person types between them (spaces,
no-break spaces, '-', '--', '.', '/', a line break, brackets around the area code). Each chain
is cut into numbers that fit the Dutch numbering plan or an international '+'/'00' form:

* national: 0 + 9 digits (06-…, 020-…, 0111-…); 0800/0900/0906/0909 + 4 or 7 digits;
  '14 010' style municipal numbers (14 + an area code);
* +31 / 0031, with or without '(0)': 9 digits after the country code;
* other countries: '+' or '00', a country code libphonenumber knows, then 6 to 12 digits.

Near a phone word ('bel', 'tel', 'mobiel', 'WhatsApp' …) one digit more or less still counts:
a reader sees a mistyped phone number. Dates, times and numbers labelled as a customer or
invoice number are not phone numbers.
"""

from __future__ import annotations

import re

from phonenumbers import COUNTRY_CODE_TO_REGION_CODE

from nlp.deid.types import PiiType, Span

SPACE = r"[ \t\u00a0\u202f]"
ITEM = r"\(\s?\d+\s?\)|\d+"
# Between two groups: up to two spaces, up to two dashes, dots or slashes, up to two spaces,
# and at most one line break.
SEPARATOR = rf"{SPACE}{{0,2}}(?:[-–./]{{1,2}}{SPACE}{{0,2}})?(?:\r?\n{SPACE}{{0,2}})?"
# Not inside a word, an amount or a decimal; 'tel.0612345678' is fine.
CHAIN = re.compile(rf"(?<![\w+,/€$])(?<!\d\.)(?:\+{SPACE}?)?(?:{ITEM})(?:{SEPARATOR}(?:{ITEM}))*")
GROUP = re.compile(r"\d+")
DATE = re.compile(
    r"(?<![\d\-./])(?:0?[1-9]|[12]\d|3[01])([-./])(?:0?[1-9]|1[0-2])\1(?:19|20)?\d{2}(?!\d)"
    r"(?!\1\d\d\1\d\d(?!\d))"  # '06.11.20.03.84': five pairs are a phone number
)
TIME_RANGE = re.compile(
    r"(?<!\d)[0-2]?\d[.:][0-5]\d\s?(?:-|–|/|tot|t/m)\s?[0-2]?\d[.:][0-5]\d(?!\d)"
)
SERVICE_PREFIXES = ("0800", "0900", "0906", "0909")
PHONE_CUE = re.compile(
    r"(?:gemeente|\bbel|\btel\b|\btel\.|telefoon|\bmobiel|\bgsm\b|nummer|\bnr\b|whats\s?app|\bapp\b|"
    r"\bapp(?:en|t)\b|\bsms|\bcall|\bphone|\bring\b|bereikbaar|📞|☎|📱)",
    re.IGNORECASE,
)
NOT_PHONE_CUE = re.compile(
    r"(?:klant|factuur|order|zending|pakket|dossier|relatie|contract|polis|artikel|"
    r"kenmerk|referentie|registratie|aanvraag|zaak|bestel|track|lid|pas)"
    r"(?:nummer|nr\.?|number|code)?\s*:?\s*$",
    re.IGNORECASE,
)
SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-Z])")  # not after "tel. "
COUNTRY_CODES = frozenset(str(code) for code in COUNTRY_CODE_TO_REGION_CODE if code != 31)
TRAILING = "-–./ \t\u00a0\u202f\r\n"


def find_phone_numbers(text: str) -> list[Span]:
    """Every phone number in ``text`` by shape (see the module docstring)."""
    spans: list[Span] = []
    for chain in CHAIN.finditer(text):
        if sum(c.isdigit() for c in chain.group()) < 5:
            continue
        if _touches_word(text, chain.end()):
            continue
        spans += _numbers_in_chain(text, chain.start(), chain.group())
    return spans


def _touches_word(text: str, end: int) -> bool:
    """'0612345678abc' or '0612345678,5': the chain is part of something else."""
    if end >= len(text):
        return False
    return text[end].isalpha()


def _numbers_in_chain(text: str, offset: int, chain: str) -> list[Span]:
    """Cut a chain of digit groups into phone numbers, longest first from each start."""
    # A date only where the chain starts ('06-12-2023 14 mensen'); after '(0111) ' or '+31'
    # the same digits are a subscriber number.
    date = DATE.match(chain)
    blocked = [m.span() for m in TIME_RANGE.finditer(chain)] + ([date.span()] if date else [])
    groups = [
        (m.start(), m.end())
        for m in GROUP.finditer(chain)
        if not any(a <= m.start() < b for a, b in blocked)
    ]
    spans = []
    i = 0
    while i < len(groups):
        taken = _longest_number(text, offset, chain, groups, i)
        if taken is None:
            i += 1
            continue
        j, start, end = taken
        spans.append(Span(start, end, PiiType.TELEFOON, text[start:end]))
        i = j + 1
    return spans


def _longest_number(
    text: str, offset: int, chain: str, groups: list[tuple[int, int]], i: int
) -> tuple[int, int, int] | None:
    """(last group, start, end) of the longest number starting at group i, or None."""
    g_start = groups[i][0]
    plus = _plus_before(chain, g_start, i)
    opened = chain[:g_start].rstrip(" \t\u00a0\u202f").endswith("(")
    start_in_chain = plus if plus is not None else g_start - (1 if opened else 0)
    if opened and chain[start_in_chain] != "(":
        start_in_chain = chain.rfind("(", 0, g_start)
    if i > 0 and not _gap_before(chain, groups, i):
        return None  # '09.00' or '1.234': a number starts after a space or bracket
    before = text[max(0, offset + start_in_chain - 40) : offset + start_in_chain]
    if NOT_PHONE_CUE.search(before):
        return None
    cue = bool(PHONE_CUE.search(SENTENCE_END.split(before[-30:])[-1]))
    digits = ""
    best = None
    singles = 0
    for j in range(i, len(groups)):
        group = chain[groups[j][0] : groups[j][1]]
        digits += group
        singles += len(group) == 1
        if len(digits) > 16 or singles > 2:
            break  # '0 1 2 3 4 5 6 7 8 9' is counting, not a number
        first_group = chain[groups[i][0] : groups[i][1]]
        if _is_phone(digits, plus is not None, first_group, cue, j - i + 1):
            best = j
    if best is None:
        return None
    end_in_chain = groups[best][1]
    if end_in_chain < len(chain) and chain[end_in_chain] == ")":
        end_in_chain += 1
    elif chain[end_in_chain:].lstrip(" ").startswith(")") and opened and best == i:
        end_in_chain = chain.index(")", end_in_chain) + 1
    return best, offset + start_in_chain, offset + end_in_chain


def _gap_before(chain: str, groups: list[tuple[int, int]], i: int) -> bool:
    """Whether whitespace or a bracket separates group i from the group before it."""
    between = chain[groups[i - 1][1] : groups[i][0]]
    return any(c.isspace() or c in "()" for c in between)


def _plus_before(chain: str, g_start: int, i: int) -> int | None:
    """Index of the '+' that opens the number when group i is its country code."""
    if i == 0 and chain.startswith("+"):
        return 0
    return None


def _is_phone(digits: str, plus: bool, first_group: str, cue: bool, n_groups: int) -> bool:
    """Whether a run of digits (separators removed) is a phone number by its shape."""
    if plus:
        return _international(digits, cue)
    if digits.startswith("00"):
        return len(digits) >= 10 and _international(digits[2:], cue)
    if digits.startswith("0"):
        return _national(digits, first_group, cue, n_groups)
    if digits.startswith("14") and first_group == "14" and n_groups > 1:
        # '14 010', '14 0118': a municipality's number; '14 020 bezoekers' needs a phone word.
        return cue and digits[2:3] == "0" and len(digits) in (5, 6)
    return False


def _national(digits: str, first_group: str, cue: bool, n_groups: int) -> bool:
    """Dutch numbers written with the trunk prefix 0."""
    if digits.startswith(SERVICE_PREFIXES) and first_group.startswith(SERVICE_PREFIXES):
        return len(digits) in (8, 11)  # 0800-1234, 0900 1234567
    if len(digits) < 9 or digits[1] == "0":
        return False
    if len(digits) == 10:
        return True
    if len(digits) in (11, 12) and n_groups > 1 and 2 <= len(first_group) <= 4:
        return True  # '097 - 1234 5678': longer ranges, written as a phone number is
    # '06-1234567', '020 12345678': one digit short or long, but a phone word stands before it.
    return cue and len(digits) in (9, 11) and len(first_group) <= 4


def _international(digits: str, cue: bool) -> bool:
    """Digits after '+' or '00': country code, then a national number of a plausible length."""
    if digits.startswith("31"):
        national = digits[2:]
        if national.startswith("0"):
            national = national[1:]  # '+31 (0)20 …' and '+31 020 …'
        if national.startswith(("800", "900", "906", "909")):
            return len(national) in (7, 10)
        return len(national) == 9 or (cue and len(national) in (8, 10))
    for size in (1, 2, 3):
        if digits[:size] in COUNTRY_CODES:
            return 6 <= len(digits) - size <= 12 and len(digits) <= 15
    return False
