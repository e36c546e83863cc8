"""Slowing down password guessing, through the database so every worker process counts together.

Three counters over the last 15 minutes of failed logins:
- one account from one address: after 5 failures that pair waits until the window has passed;
- one address over all accounts: after 50 failures that address waits (password spraying);
- one account from all addresses: after 20 failures each further try must wait 10 seconds
  after the last failure. This slows a spread-out attack on one account without locking the
  real user out from their own address: they only wait seconds, never minutes.
Accounts and addresses are stored as keyed hashes, never in plain text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ..models import LoginFailure

WINDOW = dt.timedelta(minutes=15)
PAIR_LIMIT = 5
ADDRESS_LIMIT = 50
ACCOUNT_LIMIT = 20
ACCOUNT_DELAY = dt.timedelta(seconds=10)
KEEP = dt.timedelta(hours=24)


@dataclass(frozen=True)
class LoginKeys:
    account: str
    address: str


def login_keys(secret_key: str, email: str, address: str | None) -> LoginKeys:
    def keyed(kind: str, value: str) -> str:
        message = f"{kind}:{value}".encode("utf-8", "replace")
        return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()

    return LoginKeys(keyed("account", email.strip().lower()), keyed("address", address or "-"))


def _failures(session: Session, since: dt.datetime, *conditions):
    return session.execute(
        select(
            func.count(), func.min(LoginFailure.created_at), func.max(LoginFailure.created_at)
        ).where(LoginFailure.created_at >= since, *conditions)
    ).one()


def seconds_to_wait(session: Session, keys: LoginKeys, now: dt.datetime) -> int:
    """0 when a login may be tried now, else how many seconds to wait."""
    since = now - WINDOW
    waits = [0.0]
    pair = _failures(
        session,
        since,
        LoginFailure.account_key == keys.account,
        LoginFailure.address_key == keys.address,
    )
    if pair[0] >= PAIR_LIMIT:
        waits.append((pair[1] + WINDOW - now).total_seconds())
    address = _failures(session, since, LoginFailure.address_key == keys.address)
    if address[0] >= ADDRESS_LIMIT:
        waits.append((address[1] + WINDOW - now).total_seconds())
    account = _failures(session, since, LoginFailure.account_key == keys.account)
    if account[0] >= ACCOUNT_LIMIT:
        waits.append((account[2] + ACCOUNT_DELAY - now).total_seconds())
    return max(0, int(-(-max(waits) // 1)))


def record_failure(session: Session, keys: LoginKeys, now: dt.datetime) -> None:
    """Count a failed login (the caller commits); forget failures older than a day."""
    session.execute(delete(LoginFailure).where(LoginFailure.created_at < now - KEEP))
    session.add(LoginFailure(account_key=keys.account, address_key=keys.address, created_at=now))


def forget_pair(session: Session, keys: LoginKeys) -> None:
    """After a successful login this account and address start afresh (the caller commits)."""
    session.execute(
        delete(LoginFailure).where(
            LoginFailure.account_key == keys.account, LoginFailure.address_key == keys.address
        )
    )
