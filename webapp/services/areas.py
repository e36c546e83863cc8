"""Loading the city → stadsdeel → wijk hierarchy from a data file."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import AREA_LEVELS, Area

AREAS_FILE = Path(__file__).resolve().parent.parent / "data" / "areas.csv"


# Optional columns, read on city rows only.
GEMEENTE_COLUMNS = ("privacy_contact", "dpo_contact", "logo_path")


class AreaFileError(ValueError):
    """A row of the area file is wrong; the message names the line and column."""


def read_area_rows(path: Path = AREAS_FILE) -> list[dict]:
    rows = []
    with path.open(newline="", encoding="utf-8") as handle:
        for line_no, row in enumerate(csv.DictReader(handle), start=2):
            if row.get("level") not in AREA_LEVELS:
                raise AreaFileError(
                    f"{path}:{line_no}: column 'level' must be one of {AREA_LEVELS}"
                )
            if not row.get("code") or not row.get("name"):
                raise AreaFileError(f"{path}:{line_no}: columns 'code' and 'name' are required")
            population = (row.get("population") or "").strip()
            if population and not population.isdigit():
                raise AreaFileError(f"{path}:{line_no}: column 'population' must be a whole number")
            row["population"] = int(population) if population else None
            row["line_no"] = line_no
            rows.append(row)
    return rows


def load_areas(session: Session, path: Path = AREAS_FILE) -> int:
    """Insert or update every area in the file (idempotent); returns the number of rows."""
    rows = read_area_rows(path)
    existing = {area.code: area for area in session.scalars(select(Area))}
    for row in rows:
        parent_code = (row.get("parent_code") or "").strip()
        parent = existing.get(parent_code) if parent_code else None
        if parent_code and parent is None:
            raise AreaFileError(
                f"{path}:{row['line_no']}: parent '{parent_code}' is not defined above"
            )
        area = existing.get(row["code"])
        if area is None:
            area = Area(code=row["code"])
            session.add(area)
            existing[row["code"]] = area
        area.name, area.level, area.parent, area.population = (
            row["name"],
            row["level"],
            parent,
            row["population"],
        )
        if area.level == "city":  # optional columns: a gemeente's logo and privacy contacts
            for column in GEMEENTE_COLUMNS:
                if (row.get(column) or "").strip():
                    setattr(area, column, row[column].strip())
        session.flush()
    session.commit()
    return len(rows)


def area_by_code(session: Session, code: str) -> Area | None:
    return session.scalar(select(Area).where(Area.code == code))


class UnknownArea(LookupError):
    """No area with this code."""


def find_area(session: Session, code: str) -> Area:
    """An area by code ('rotterdam', 'rotterdam/feijenoord'), or by a unique name."""
    area = session.scalar(select(Area).where(Area.code == code.strip().lower()))
    if area is None:
        matches = session.scalars(
            select(Area).where(func.lower(Area.name) == code.strip().lower())
        ).all()
        area = matches[0] if len(matches) == 1 else None
    if area is None:
        raise UnknownArea(code)
    return area


def area_with_descendants(session: Session, area: Area) -> dict[int, Area]:
    """The area and everything below it, by id."""
    found, frontier = {area.id: area}, [area.id]
    while frontier:
        children = session.scalars(select(Area).where(Area.parent_id.in_(frontier))).all()
        frontier = [child.id for child in children if child.id not in found]
        found.update({child.id: child for child in children})
    return found
