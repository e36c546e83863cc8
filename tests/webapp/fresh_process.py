"""Serve pages from a fresh process and see which heavy libraries it loaded (issue 13: a web
worker stays small when models and renderers stay out of it)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def libraries_loaded_by_fresh_process(
    database_url: str,
    instance_path: Path,
    email: str,
    password: str,
    requests: str,
    libraries: set[str],
) -> set[str]:
    """Start a fresh app on `database_url`, log in as `email`, run the Python lines `requests`
    (with `client` at hand; their own asserts must hold) and return which of `libraries` the
    process then had imported."""
    script = (
        "import sys\n"
        "from tests.conftest import base_config\n"
        "from webapp import create_app\n"
        f"config = base_config({database_url!r}, {str(instance_path)!r})\n"
        "app = create_app({**config, 'JOBS_IMMEDIATE': False})\n"
        "client = app.test_client()\n"
        f"client.post('/beheer/inloggen', data={{'email': {email!r}, 'password': {password!r}}})\n"
        f"{requests}"
        f"print(sorted(set({sorted(libraries)!r}) & {{name.split('.')[0] for name in sys.modules}}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return set(ast.literal_eval(result.stdout.strip().splitlines()[-1]))
