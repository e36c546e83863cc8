"""Page weight of the story form: everything a phone downloads for /verhaal, per language.

Run: .venv/bin/python bench/bench_page_weight.py   (prints one line per language; target 50 KB)
Fetches the page and every stylesheet, script, icon, image and font it references through the
app itself (no server, no network) and adds up their sizes as sent (no compression by the app)
and gzip-compressed (what a reverse proxy with gzip on transfers).
"""

from __future__ import annotations

import gzip
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_BYTES = 50 * 1024
LANGUAGES = ("nl", "en", "tr", "ar", "pl")
# href/src of stylesheets, scripts, icons, images and fonts (url(...) in CSS)
REFERENCE = re.compile(r'(?:<link[^>]+href|<script[^>]+src|<img[^>]+src)="(/[^"]+)"')
CSS_URL = re.compile(r"url\(['\"]?(/[^'\")]+)['\"]?\)")


def page_weight(client, path: str) -> dict[str, tuple[int, int]]:
    """{url: (bytes as sent, bytes gzip-compressed)} for the page and what it loads."""
    html = client.get(path).get_data()
    sizes = {path: (len(html), len(gzip.compress(html)))}
    pending = REFERENCE.findall(html.decode("utf-8"))
    while pending:
        url = pending.pop()
        if url in sizes:
            continue
        body = client.get(url).get_data()
        sizes[url] = (len(body), len(gzip.compress(body)))
        if url.endswith(".css"):
            pending += CSS_URL.findall(body.decode("utf-8"))
    return sizes


def main() -> None:
    from webapp import create_app
    from webapp.extensions import db
    from webapp.services.areas import load_areas

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/weight.sqlite", "SECRET_KEY": "bench"}
        )
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
            load_areas(db.session)  # the form lists every wijk of the demo cities
        client = app.test_client()
        for lang in LANGUAGES:
            client.get(f"/taal/{lang}")
            sizes = page_weight(client, "/verhaal")
            raw = sum(size for size, _ in sizes.values())
            packed = sum(size for _, size in sizes.values())
            parts = ", ".join(f"{url} {size / 1024:.1f}" for url, (size, _) in sizes.items())
            print(
                f"story form [{lang}]: {raw / 1024:.1f} KB as sent, {packed / 1024:.1f} KB gzipped "
                f"(target <= {TARGET_BYTES // 1024} KB; {parts} KB)"
            )
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
