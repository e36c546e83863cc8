"""Secret link tokens: only their SHA-256 is stored, and lookups refuse absurd lengths."""

from __future__ import annotations

import hashlib

MAX_TOKEN_LENGTH = 100


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def plausible_token(token: str) -> bool:
    """Worth a database lookup: present and not longer than any token we hand out."""
    return bool(token) and len(token) <= MAX_TOKEN_LENGTH
