"""On SQLite, story POSTs and classification writes take turns through a lock file."""

from __future__ import annotations

import multiprocessing
import threading
import time

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
        # The story's own turn, then the classification's (the test queue runs jobs at once).
        assert taken == [1, 1]
        with original():  # given back: the next writer gets it at once
            pass
    finally:
        del turns.turn
