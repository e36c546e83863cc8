"""Contact details written out to get past filters: e-mail addresses in words
('jan punt jansen apenstaartje gmail punt com', 'jan.jansen at gmail dot com',
'jan @ gmail . com') and social-media names after a platform word ('insta: jantje123',
'mijn tiktok is jantje.123').

E-mail addresses are read as a small token grammar, so every mix of symbols and words works:

    address = local AT domain (DOT domain)* DOT tld
    local   = word ((DOT | UNDERSCORE | DASH) word)*

where AT is '@', 'at', '(at)', '[at]', 'apenstaartje' …, DOT is '.', 'punt', 'dot', '(punt)',
'[dot]' …, and tld is a known top-level domain. A bare English 'at' or a spaced '.' only counts
when the domain is a known mail provider or the dots are spelled out: 'I was at home. Nl…' is
no address.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from nlp.deid.types import PiiType, Span

AT_WORDS = frozenset(
    {"@", "at", "apenstaartje", "apestaartje", "apenstaart", "at-teken", "atteken", "aapje"}
)
DOT_WORDS = frozenset({".", "punt", "dot", "period"})
JOIN_WORDS = frozenset({"underscore", "laag-streepje", "streepje", "dash", "koppelteken", "_", "-"})
TLDS = frozenset(
    "nl com net org be eu de info nu io fr uk es it pl tr ma sr cw aw co me biz online email "
    "amsterdam frl live app edu gov".split()
)
MAIL_PROVIDERS = frozenset(
    "gmail googlemail hotmail outlook live yahoo ziggo kpnmail kpnplanet planet xs4all icloud msn "
    "chello casema upcmail hetnet quicknet telfort tele2 online zonnet proton protonmail "
    "gmx web caiway solcon".split()
)
# Tokens: '(at)' '[punt]' '{dot}' as one token, words with digits, '@', '.', '_', '-'.
SPELLED = r"at|@|punt|dot|apen?staartje|at-?teken"
TOKEN = re.compile(
    rf"[\[({{]\s?(?:{SPELLED})\s?[\])}}]|[\w%+]+(?:-[\w%+]+)*|[@._\-]", re.IGNORECASE
)
SPOKEN_HINT = re.compile(
    rf"apen?staart|at-?teken|\baapje\b|[\[({{]\s?(?:{SPELLED})\s?[\])}}]|\bat\b|@",
    re.IGNORECASE,
)
MAX_GAP = 3  # characters of whitespace between two tokens of one address

PLATFORMS = (
    r"insta(?:gram)?|ig|tik\s?tok|snap(?:chat)?|twitter|facebook|fb|telegram|discord|"
    r"linkedin|youtube|threads|bluesky|pinterest|twitch|signal|skype|mastodon"
)
PLATFORM_STEMS = (
    "insta", "ig", "tok", "snap", "twitter", "face", "fb", "telegram", "discord", "linkedin",
    "youtube", "threads", "bluesky", "pinterest", "twitch", "signal", "skype", "mastodon",
)  # fmt: skip
# 'insta: jantje123', 'mijn tiktok is jantje.123', 'snap = jan_v', 'op insta als jantje123'.
CUED_HANDLE = re.compile(
    rf"\b(?:{PLATFORMS})\b(?:\s?(?:account|naam|name|handle|username|gebruikersnaam))?"
    r"(?P<link>\s?[:=]\s?|\s+(?:is|heet|als|=|:)(?:\s+(?:ik|me|we|wij|hij|zij|ze))?\s+|\s+)"
    r"(?P<quote>['\"‘“]?)(?P<handle>@?[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?)(?![\w@])",
    re.IGNORECASE,
)


def find_spoken_emails(text: str) -> list[Span]:
    """E-mail addresses whose '@' or dots are words or have spaces around them."""
    if not SPOKEN_HINT.search(text):
        return []
    tokens = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]
    spans = []
    for k, (_, _, word) in enumerate(tokens):
        if _kind(word) != "at" or not _close(text, tokens, k - 1, k):
            continue
        span = _address_around(text, tokens, k)
        if span is not None:
            spans.append(span)
    return spans


def find_cued_handles(text: str, ordinary_word: Callable[[str], bool]) -> list[Span]:
    """Social-media names after a platform word; ``ordinary_word`` says which words are
    ordinary language ('mijn insta is leuk' names nobody)."""
    lower = text.lower()
    if not any(stem in lower for stem in PLATFORM_STEMS):
        return []
    spans = []
    for match in CUED_HANDLE.finditer(text):
        handle = match.group("handle")
        link = match.group("link").strip().lower() or match.group("quote")
        marked = handle.startswith("@") or any(c.isdigit() or c in "_." for c in handle)
        if not marked and (not link or ordinary_word(handle.lower()) or len(handle) < 3):
            continue
        start = match.start("handle")
        spans.append(Span(start, start + len(handle), PiiType.HANDLE, handle))
    return spans


def _kind(word: str) -> str:
    lower = word.lower().strip("[](){} ")
    if word.startswith(("(", "[", "{")):
        return "dot" if lower in DOT_WORDS else "at"
    if lower in AT_WORDS:
        return "at"
    if lower in DOT_WORDS:
        return "dot"
    if lower in JOIN_WORDS:
        return "join"
    return "word"


def _close(text: str, tokens: list[tuple[int, int, str]], a: int, b: int) -> bool:
    """Tokens a and b are neighbours: only a little whitespace between them."""
    if a < 0 or b >= len(tokens):
        return False
    gap = text[tokens[a][1] : tokens[b][0]]
    return len(gap) <= MAX_GAP and (not gap or gap.isspace()) and "\n" not in gap


def _address_around(text: str, tokens: list[tuple[int, int, str]], at: int) -> Span | None:
    """The address whose AT token is tokens[at], or None when the words around it are no
    address."""
    # Domain: word (DOT word)* ending in DOT tld.
    k = at + 1
    if k >= len(tokens) or _kind(tokens[k][2]) != "word" or not _close(text, tokens, at, k):
        return None
    domain_words = [tokens[k][2].lower()]
    dots: list[str] = []
    end_token = None
    while k + 2 < len(tokens):
        dot, word = tokens[k + 1], tokens[k + 2]
        if _kind(dot[2]) != "dot" or _kind(word[2]) != "word":
            break
        if not (_close(text, tokens, k, k + 1) and _close(text, tokens, k + 1, k + 2)):
            break
        dots.append(text[tokens[k][1] : word[0]])
        domain_words.append(word[2].lower())
        k += 2
        if word[2].lower() in TLDS:
            end_token = k
    at_word = tokens[at][2].lower()
    if end_token is None:
        # 'jan@gmail': a mail provider without its top-level domain, after a real '@' ('jan at
        # gmail' could be a sentence about the company).
        if domain_words[0] not in MAIL_PROVIDERS or at_word.strip("[](){} ") != "@":
            return None
        end_token, dots = at + 1, []
    spelled = any(d.strip().lower() not in ("", ".") for d in dots)
    spaced = any(d != "." for d in dots)
    if (at_word == "at" or spaced) and not spelled and domain_words[0] not in MAIL_PROVIDERS:
        return None  # 'I was at home. Nl…'
    typed_spaced = any(d.strip() == "." and d != "." for d in dots)
    start_token = _local_start(text, tokens, at, spaced_dots=typed_spaced)
    if start_token is None:
        return None
    start, end = tokens[start_token][0], tokens[end_token][1]
    return Span(start, end, PiiType.EMAIL, text[start:end])


def _local_start(
    text: str, tokens: list[tuple[int, int, str]], at: int, spaced_dots: bool
) -> int | None:
    """First token of the local part: a word, then (DOT|JOIN word)* backwards. A typed '.'
    may have spaces around it only when the domain's dots have them too ('jan . de . vries @
    gmail . com')."""
    k = at - 1
    if k < 0 or _kind(tokens[k][2]) != "word":
        return None
    while (
        k >= 2
        and _kind(tokens[k - 1][2]) in ("dot", "join")
        and _kind(tokens[k - 2][2]) == ("word")
    ):
        if not (_close(text, tokens, k - 1, k) and _close(text, tokens, k - 2, k - 1)):
            break
        symbol = tokens[k - 1][2] in ".-_"
        glued = tokens[k - 1][0] == tokens[k - 2][1] and tokens[k][0] == tokens[k - 1][1]
        if symbol and not glued and not spaced_dots:
            break  # 'Mail me. jan at …': a typed '.' in an address has no spaces around it
        k -= 2
    return k
