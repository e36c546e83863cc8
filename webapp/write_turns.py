"""On SQLite, the busiest writers on one machine take turns through a lock file.

SQLite has one write lock per database file. A writer that finds it taken does not queue: its
busy handler sleeps 1, 2, 5, 10, 15, 20, 25 ... ms and tries again, so under a stream of story
POSTs from several threads and processes some wait for hundreds of milliseconds while others
get in at once, and the job worker (at a lower CPU priority) can be overtaken again and again.
Story POSTs and the classification job's writes therefore first take a turn: a threading lock
inside the process and an exclusive `flock` on `<database>.writers` between processes. Waiters
are woken the moment the turn is free, in order, and the SQLite lock they then take is free.

A turn is taken before the transaction's first write and given back after its commit, so a
holder never waits for a turn while holding SQLite's lock (no deadlock with writers that take
no turn; those still meet the busy handler). On PostgreSQL, and for an in-memory SQLite
database, taking a turn does nothing.

A job worker runs at a lower CPU priority (`weefsel worker --nice`), so on a busy machine a turn
it holds could last many times its few milliseconds of CPU while residents' POSTs wait behind
it (priority inversion). It therefore holds its turns at the priority it started with
(`hold_turns_at`): the thread raises its own priority for the turn and lowers it again after.
Where the system does not allow that (raising a priority may need CAP_SYS_NICE or RLIMIT_NICE),
turns are taken at the lower priority, as before. Measured with `bench/bench_write_turns.py`.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import threading
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)


def lock_path_for(database_url: str) -> Path | None:
    """`<database file>.writers` for a SQLite file, None for anything else."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    if url.database.startswith("file:"):
        return None
    return Path(url.database).with_name(Path(url.database).name + ".writers")


class WriteTurns:
    def __init__(self, lock_path: Path | None):
        self.lock_path = lock_path
        self._thread_lock = threading.Lock()
        self._fd: int | None = None
        self._pid: int | None = None
        self._turn_niceness: int | None = None

    def hold_turns_at(self, niceness: int) -> None:
        """Hold every turn at this niceness (a job worker's niceness before its `--nice`)."""
        self._turn_niceness = niceness

    @contextlib.contextmanager
    def _at_turn_priority(self) -> Iterator[None]:
        wanted = self._turn_niceness
        if wanted is None:
            yield
            return
        thread = threading.get_native_id()  # on Linux a thread has a niceness of its own
        own = os.getpriority(os.PRIO_PROCESS, thread)
        if own <= wanted:
            yield
            return
        try:
            os.setpriority(os.PRIO_PROCESS, thread, wanted)
        except PermissionError:
            log.info("write turns stay at niceness %s: raising the priority is not allowed", own)
            self._turn_niceness = None
            yield
            return
        try:
            yield
        finally:
            os.setpriority(os.PRIO_PROCESS, thread, own)

    def _descriptor(self) -> int:
        # Opened per process: a descriptor inherited through fork shares its lock with the parent.
        if self._fd is None or self._pid != os.getpid():
            self._fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
            self._pid = os.getpid()
        return self._fd

    @contextlib.contextmanager
    def turn(self) -> Iterator[None]:
        if self.lock_path is None:
            yield
            return
        with self._thread_lock:
            descriptor = self._descriptor()
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            try:
                with self._at_turn_priority():
                    yield
            finally:
                fcntl.flock(descriptor, fcntl.LOCK_UN)
