"""XLSForm corpus benchmark: how many forms written by other tools load, and that none crash.

Run: .venv/bin/python bench/bench_xlsform_corpus.py [CORPUS_DIR ...] [--verbose]

Every .xls/.xlsx/.xlsm file under the given folders is checked with ``check_definition_file``.
A form "loads" when it has no errors (unsupported questions such as a GPS point, a photo or
a repeat are left out with a warning naming sheet, row and column); a "crash" is any exception escaping the loader (the
loader must turn every bad input into a located problem). Without arguments the script looks
in ``bench/data/xlsform_corpus`` and in the committed selection under
``tests/surveys/data/pyxform``.

The corpus used for docs/benchmarks.md is pyxform's own test forms (BSD-2-Clause), which the
1.2.0 source release still ships (later releases leave the tests out):

    pip download --no-binary :all: --no-deps pyxform==1.2.0 -d /tmp/pyxform
    tar xzf /tmp/pyxform/pyxform-1.2.0.tar.gz -C /tmp/pyxform
    .venv/bin/python bench/bench_xlsform_corpus.py /tmp/pyxform/pyxform-1.2.0/pyxform/tests
"""

from __future__ import annotations

import sys
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DIRS = (ROOT / "bench" / "data" / "xlsform_corpus", ROOT / "tests/surveys/data/pyxform")
SUFFIXES = (".xls", ".xlsx", ".xlsm")
HOW_TO_GET = __doc__.split("The corpus used", 1)[1]


def corpus_files(folders: list[Path]) -> list[Path]:
    """Every workbook under the folders, sorted, skipping Office lock files (``~$name``)."""
    files = []
    for folder in folders:
        files.extend(
            path
            for path in folder.rglob("*")
            if path.suffix.lower() in SUFFIXES and not path.name.startswith("~$")
        )
    return sorted(files)


def main(argv: list[str]) -> int:
    from surveys import check_definition_file, errors_only

    verbose = "--verbose" in argv
    folders = [Path(arg) for arg in argv if not arg.startswith("--")]
    folders = [folder for folder in folders or DEFAULT_DIRS if folder.is_dir()]
    files = corpus_files(folders)
    if not files:
        print("No XLSForm corpus found. The corpus used" + HOW_TO_GET)
        return 1
    loaded, crashed, partly = 0, 0, 0
    reasons: Counter[str] = Counter()
    for path in files:
        try:
            problems = check_definition_file(path)
        except Exception:  # noqa: BLE001 - counting crashes is the point of this script
            crashed += 1
            print(f"CRASH {path}")
            traceback.print_exc()
            continue
        errors = errors_only(problems)
        if not errors:
            loaded += 1
            partly += bool(problems)
            if verbose:
                print(f"ok    {path.name}" + (f" ({len(problems)} left out)" if problems else ""))
            continue
        reasons[errors[0].message.msgid] += 1
        if verbose:
            print(f"fails {path.name}: {errors[0]} (+{len(errors) - 1} more)")
    share = 100 * loaded / len(files)
    print(f"folders: {', '.join(str(folder) for folder in folders)}")
    print(
        f"{loaded} of {len(files)} load ({share:.0f}%), {crashed} crash  (target: >= 60%, 0 crash)"
    )
    print(f"  of which {partly} load with unsupported parts left out, each named (warnings)")
    print("first problem of the forms that do not load:")
    for msgid, count in reasons.most_common():
        print(f"  {count:3d}  {msgid}")
    return 1 if crashed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
