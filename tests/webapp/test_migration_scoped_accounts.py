"""Migration 0007 turns the old single role per account into grants and gives every story and
initiative its gemeente, keeping the data that hangs under accounts and stories."""

from __future__ import annotations

from flask_migrate import upgrade
from sqlalchemy import text

from webapp import create_app
from webapp.extensions import db


def test_old_roles_become_grants_and_stories_get_their_gemeente(tmp_path):
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite'}",
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SECRET_KEY": "x",
        }
    )
    with app.app_context():
        upgrade(revision="0006_privacy_audit")
        with db.engine.begin() as connection:
            run = connection.execute
            run(text("INSERT INTO area (id, code, name, level) VALUES (1, 'a', 'A', 'city')"))
            run(
                text(
                    "INSERT INTO area (id, code, name, level, parent_id) VALUES (2, 'a/n', 'N', 'stadsdeel', 1)"
                )
            )
            run(
                text(
                    "INSERT INTO area (id, code, name, level, parent_id) VALUES (3, 'a/n/w', 'W', 'wijk', 2)"
                )
            )
            for user_id, role, can_export in (
                (1, "staff", False),
                (2, "coordinator", True),
                (3, "councillor", False),
                (4, "researcher", True),
            ):
                run(
                    text(
                        "INSERT INTO staff_user (id, email, name, password_hash, role, can_export,"
                        " active, created_at) VALUES (:id, :email, 'x', 'h', :role, :export, 1,"
                        " '2026-01-01')"
                    ),
                    {
                        "id": user_id,
                        "email": f"u{user_id}@x.nl",
                        "role": role,
                        "export": can_export,
                    },
                )
            for story_id, area in ((1, 3), (2, None)):
                run(
                    text(
                        "INSERT INTO story (id, text, channel, submitted_month, area_id, status,"
                        " consent_quote, consent_research) VALUES (:id, 't', 'form',"
                        " '2026-01-01', :area, 'approved', 0, 0)"
                    ),
                    {"id": story_id, "area": area},
                )
            run(
                text(
                    "INSERT INTO theme_assignment (story_id, theme, assigned, superseded, source,"
                    " staff_user_id, created_at) VALUES (1, 'eenzaamheid', 1, 0, 'human', 1,"
                    " '2026-01-01')"
                )
            )
        upgrade()
        with db.engine.connect() as connection:
            grants = connection.execute(
                text("SELECT staff_user_id, role, area_id FROM role_grant ORDER BY 1, 2")
            ).all()
            stories = connection.execute(
                text("SELECT id, gemeente_id FROM story ORDER BY id")
            ).all()
            checks = (
                connection.execute(text("SELECT staff_user_id FROM theme_assignment"))
                .scalars()
                .all()
            )
        assert [tuple(g) for g in grants] == [
            (1, "coordinator", None),
            (2, "coordinator", None),
            (2, "researcher", None),
            (3, "councillor", None),
            (4, "researcher", None),
        ]
        assert [tuple(s) for s in stories] == [(1, 1), (2, 1)]  # the only gemeente
        assert checks == [1]  # nothing under the staff table was lost or cut loose
        db.engine.dispose()
