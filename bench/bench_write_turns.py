"""Priority inversion on SQLite write turns: how long do residents' POSTs wait for a turn while
a niced job worker takes turns of its own, with and without holding them at its starting
priority (webapp.write_turns.WriteTurns.hold_turns_at)?

    .venv/bin/python bench/bench_write_turns.py [--seconds 8] [--rounds 2]

Four processes on the machine's cores: a job worker at niceness 10 that burns 20 ms of CPU
outside a turn (classifying) and 7 ms inside one (its bulk writes, as measured for 20 stories),
two "web workers" that burn 1.5 ms, then take a turn for 0.3 ms, and one CPU hog standing for the
rest of the load. Prints the web workers' wait for a turn (p50, p99, max) per variant. Uses the
real WriteTurns class on a lock file in a temporary folder; no database.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from webapp.write_turns import WriteTurns  # noqa: E402

JOB_NICENESS = 10


def burn(milliseconds: float) -> None:
    end = time.thread_time() + milliseconds / 1000
    while time.thread_time() < end:
        pass


def job_worker(lock: Path, hold_at_start: bool, stop) -> None:
    started_at = os.getpriority(os.PRIO_PROCESS, 0)
    os.nice(JOB_NICENESS)
    turns = WriteTurns(lock)
    if hold_at_start:
        turns.hold_turns_at(started_at)
    while not stop.is_set():
        burn(20)
        with turns.turn():
            burn(7)


def web_worker(lock: Path, waits, stop) -> None:
    turns = WriteTurns(lock)
    mine = []
    while not stop.is_set():
        burn(1.5)
        asked = time.perf_counter()
        with turns.turn():
            mine.append(time.perf_counter() - asked)
            burn(0.3)
    waits.put(mine)


def hog(stop) -> None:
    while not stop.is_set():
        burn(10)


def run(lock: Path, hold_at_start: bool, seconds: float) -> list[float]:
    stop, waits = multiprocessing.Event(), multiprocessing.Queue()
    processes = [multiprocessing.Process(target=job_worker, args=(lock, hold_at_start, stop))]
    processes += [
        multiprocessing.Process(target=web_worker, args=(lock, waits, stop)) for _ in range(2)
    ]
    processes.append(multiprocessing.Process(target=hog, args=(stop,)))
    for process in processes:
        process.start()
    time.sleep(seconds)
    stop.set()
    collected = sorted(waits.get() + waits.get())
    for process in processes:
        process.join()
    return collected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} at the start")
    with tempfile.TemporaryDirectory() as folder:
        lock = Path(folder) / "bench.writers"
        for _ in range(args.rounds):
            for hold_at_start in (False, True):
                waits = run(lock, hold_at_start, args.seconds)
                n = len(waits)
                label = "turns at starting priority" if hold_at_start else "turns at niceness 10 "
                print(
                    f"{label}: {n} web turns, wait p50 {waits[n // 2] * 1000:.2f} ms, "
                    f"p99 {waits[int(n * 0.99)] * 1000:.1f} ms, max {waits[-1] * 1000:.0f} ms"
                )


if __name__ == "__main__":
    main()
