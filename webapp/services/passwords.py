"""The one password rule for staff accounts: long, not common, not trivial.

Returns an English msgid (marked with N_) that the web form, the command line and tests
translate with their own gettext.
"""

from __future__ import annotations

import gzip
import re
from functools import cache
from pathlib import Path

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 200
COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent.parent / "data" / "common-passwords.txt.gz"
_SEQUENCES = (
    "abcdefghijklmnopqrstuvwxyz",
    "0123456789",
    "qwertyuiopasdfghjklzxcvbnm",
    "azertyuiopqsdfghjklmwxcvbn",
)


def N_(msgid: str) -> str:
    return msgid


@cache
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as handle:
        return frozenset(line.strip() for line in handle if line.strip())


def _is_trivial(password: str) -> bool:
    """Few distinct characters, one short block repeated, or a run along the alphabet/keyboard."""
    lowered = password.lower()
    if len(set(lowered)) <= 3:
        return True
    for size in range(1, len(lowered) // 2 + 1):
        block = lowered[:size]
        if len(lowered) % size == 0 and block * (len(lowered) // size) == lowered:
            return True
    for sequence in _SEQUENCES:
        for text in (sequence, sequence[::-1]):
            if lowered in text * 2:
                return True
    return False


def _common_core(password: str) -> str:
    """The password without digits and symbols around it: "iloveyou1234!" -> "iloveyou".

    Most listed passwords are shorter than 12 characters; people lengthen them this way.
    """
    lowered = password.lower().strip()
    core = re.sub(r"^[\W\d_]+|[\W\d_]+$", "", lowered)
    return core or lowered


def password_problem(password: str) -> str | None:
    """Why this password cannot be used (a msgid with %(min)s), or None when it is fine."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return N_("Choose a password of at least %(min)s characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        return N_("Choose a password of at most %(max)s characters.")
    if "\x00" in password:
        return N_("A password cannot contain this character.")
    if _is_trivial(password):
        return N_("This password is too easy to guess. Choose a longer sentence or mix words.")
    if {password.lower().strip(), _common_core(password)} & common_passwords():
        return N_("This password is on a list of common passwords. Choose another one.")
    return None


PASSWORD_LIMITS = {"min": MIN_PASSWORD_LENGTH, "max": MAX_PASSWORD_LENGTH}
