"""On SQLite, story POSTs and classification writes take turns through a lock file."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time

import pytest

from webapp.write_turns import WriteTurns, lock_path_for


def test_only_a_sqlite_file_gets_a_lock_file(tmp_path):
    assert (
        lock_path_for(f"sqlite:///{tmp_path}/weefsel.sqlite") == tmp_path / "weefsel.sqlite.writers"
    )
    assert lock_path_for("sqlite://") is None
    assert lock_path_for("sqlite:///:memory:") is None
    assert lock_path_for("postgresql+psycopg://postgres@127.0.0.1:5432/test") is None


def test_without_a_lock_file_a_turn_is_free():
    turns = WriteTurns(None)
    with turns.turn(), turns.turn():  # no lock at all: nesting does not block
        pass


def test_threads_of_one_process_take_turns(tmp_path):
    turns = WriteTurns(tmp_path / "db.writers")
    inside, most_inside = [0], [0]
    guard = threading.Lock()

    def write():
        for _ in range(20):
            with turns.turn():
                with guard:
                    inside[0] += 1
                    most_inside[0] = max(most_inside[0], inside[0])
                time.sleep(0.0005)
                with guard:
                    inside[0] -= 1

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most_inside[0] == 1


def _hold_turn(lock_path, entered, release):
    turns = WriteTurns(lock_path)
    with turns.turn():
        entered.set()
        release.wait(10)


def test_processes_take_turns_through_the_lock_file(tmp_path):
    lock_path = tmp_path / "db.writers"
    turns = WriteTurns(lock_path)
    with turns.turn():  # opened here first: a child must still not share this turn
        pass
    context = multiprocessing.get_context("fork")
    entered, release = context.Event(), context.Event()
    child = context.Process(target=_hold_turn, args=(lock_path, entered, release))
    child.start()
    try:
        assert entered.wait(10)
        got_turn = threading.Event()

        def take():
            with turns.turn():
                got_turn.set()

        taker = threading.Thread(target=take)
        taker.start()
        assert not got_turn.wait(0.3)  # the child holds the turn
        release.set()
        assert got_turn.wait(10)
        taker.join()
    finally:
        release.set()
        child.join(10)


def test_a_story_post_takes_and_gives_back_its_turn(client, app):
    from tests.webapp.factories import make_areas

    make_areas()
    turns = app.extensions["weefsel_write_turns"]
    taken = []
    original = turns.turn

    def counting_turn():
        taken.append(1)
        return original()

    turns.turn = counting_turn
    try:
        response = client.post(
            "/verhaal", data={"story": "Bij de maaltijd leerde ik mijn buren kennen."}
        )
        assert response.status_code == 303
        # The story's own turn, then the classification's and the review evidence's (the test
        # queue runs jobs at once).
        assert taken == [1, 1, 1]
        with original():  # given back: the next writer gets it at once
            pass
    finally:
        del turns.turn


def _niceness_inside_a_turn(turns: WriteTurns, start_at: int) -> tuple[int, int, int]:
    """(before, inside, after) niceness of a fresh thread that lowers its priority to
    `start_at`, then takes a turn (nice values are per thread on Linux)."""
    seen = []

    def run():
        thread = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, thread, start_at)
        seen.append(os.getpriority(os.PRIO_PROCESS, thread))
        with turns.turn():
            seen.append(os.getpriority(os.PRIO_PROCESS, thread))
        seen.append(os.getpriority(os.PRIO_PROCESS, thread))

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    return tuple(seen)


def _may_raise_priority() -> bool:
    allowed = []

    def run():
        thread = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, thread, 5)
        try:
            os.setpriority(os.PRIO_PROCESS, thread, 0)
            allowed.append(True)
        except PermissionError:
            allowed.append(False)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    return allowed[0]


def test_a_job_worker_holds_its_turns_at_the_priority_it_started_with(tmp_path):
    """A niced job worker raises its priority while it holds a turn, so residents' POSTs do not
    wait for a starved holder (priority inversion), and lowers it again after."""
    if not _may_raise_priority():
        pytest.skip("this system does not allow a process to raise its priority again")
    turns = WriteTurns(tmp_path / "db.writers")
    base = os.getpriority(os.PRIO_PROCESS, 0)
    assert _niceness_inside_a_turn(turns, base + 10) == (base + 10, base + 10, base + 10)
    turns.hold_turns_at(base)
    assert _niceness_inside_a_turn(turns, base + 10) == (base + 10, base, base + 10)


def test_where_raising_the_priority_is_refused_turns_are_taken_as_they_are(tmp_path, monkeypatch):
    refused = []

    def refuse(which, who, niceness):
        refused.append(niceness)
        raise PermissionError(1, "Operation not permitted")

    turns = WriteTurns(tmp_path / "db.writers")
    turns.hold_turns_at(os.getpriority(os.PRIO_PROCESS, 0))
    seen = []

    def run():
        thread = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, thread, 19)
        monkeypatch.setattr(os, "setpriority", refuse)
        with turns.turn():
            seen.append(os.getpriority(os.PRIO_PROCESS, thread))
        with turns.turn():  # refused once: not tried again
            seen.append(os.getpriority(os.PRIO_PROCESS, thread))

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    assert seen == [19, 19] and len(refused) == 1
