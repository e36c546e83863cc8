"""Loading the city → stadsdeel → wijk hierarchy from a data file."""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, joinedload

from ..models import AREA_LEVELS, Area, PostcodeArea

AREAS_FILE = Path(__file__).resolve().parent.parent / "data" / "areas.csv"
# A small, approximate PC4 → wijk table for the demo areas (source: data/AREAS_SOURCE.md).
POSTCODES_SAMPLE_FILE = AREAS_FILE.with_name("postcodes_sample.csv")


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


def area_codes(session: Session, levels: tuple[str, ...] | None = None) -> list[str]:
    """Every area code (or those of the given levels, e.g. city and stadsdeel), sorted."""
    query = select(Area.code).order_by(Area.code)
    if levels is not None:
        query = query.where(Area.level.in_(levels))
    return list(session.scalars(query))


def area_label(area: Area) -> str:
    """An area by name, with the areas it lies in: 'Osdorp (Amsterdam, Nieuw-West)'."""
    around = [parent.name for parent in reversed(area.ancestors())]
    return f"{area.name} ({', '.join(around)})" if around else area.name


def labelled_areas_in(session: Session, scope) -> list[tuple[str, str]]:
    """(code, label) for every area in `scope` (a services.scopes.Scope), by label."""
    query = select(Area).options(joinedload(Area.parent))
    if scope.area_ids is not None:
        query = query.where(Area.id.in_(sorted(scope.area_ids)))
    options = [(area.code, area_label(area)) for area in session.scalars(query)]
    return sorted(options, key=lambda option: (option[1].casefold(), option[0]))


def similar_area_codes(session: Session, code: str, count: int = 3) -> list[str]:
    """Codes that look like a mistyped ``code`` ('rotterdm' -> 'rotterdam'), closest first."""
    return difflib.get_close_matches(code.strip().lower(), area_codes(session), count, cutoff=0.6)


def area_with_descendants(session: Session, area: Area) -> dict[int, Area]:
    """The area and everything below it, by id."""
    found, frontier = {area.id: area}, [area.id]
    while frontier:
        children = session.scalars(select(Area).where(Area.parent_id.in_(frontier))).all()
        frontier = [child.id for child in children if child.id not in found]
        found.update({child.id: child for child in children})
    return found


POSTCODE_PATTERN = re.compile(r"^\s*(\d{4})\s*(?:[A-Za-z]{2})?\s*$")
MIN_NAME_QUERY = 2
MAX_MATCHES = 8
MAX_QUERY_LENGTH = 80


def postcode_digits(text: str) -> str | None:
    """The four digits of a Dutch postcode ('1055', '1055 AB', '1055ab'), else None."""
    match = POSTCODE_PATTERN.match(text or "")
    return match.group(1) if match else None


def read_postcode_rows(path: Path) -> list[tuple[str, str, int]]:
    """(postcode, area code, line) from a CSV with columns `postcode` and `area_code`.

    Only the four digits of each postcode are kept; a six-character postcode is cut to them.
    """
    rows = []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = {"postcode", "area_code"} - set(reader.fieldnames or ())
        if missing:
            raise AreaFileError(f"{path}:1: missing column(s) {', '.join(sorted(missing))}")
        for line_no, row in enumerate(reader, start=2):
            digits = postcode_digits(row.get("postcode") or "")
            if digits is None:
                raise AreaFileError(
                    f"{path}:{line_no}: column 'postcode' must be four digits, e.g. 1055"
                )
            code = (row.get("area_code") or "").strip().lower()
            if not code:
                raise AreaFileError(f"{path}:{line_no}: column 'area_code' is required")
            rows.append((digits, code, line_no))
    return rows


def load_postcodes(session: Session, path: Path) -> int:
    """Replace the postcode → wijk table with the file's rows (all or none); returns the count."""
    rows = read_postcode_rows(path)
    wijken = {area.code: area for area in session.scalars(select(Area).where(Area.level == "wijk"))}
    table: dict[str, Area] = {}
    for digits, code, line_no in rows:
        area = wijken.get(code)
        if area is None:
            raise AreaFileError(f"{path}:{line_no}: '{code}' is not a wijk; load the areas first")
        if digits in table and table[digits] is not area:
            raise AreaFileError(f"{path}:{line_no}: postcode {digits} is given twice")
        table[digits] = area
    session.execute(delete(PostcodeArea))
    session.add_all(PostcodeArea(postcode=d, area=area) for d, area in table.items())
    session.commit()
    return len(table)


def _folded(text: str) -> str:
    """Lower case without accents, so 'Geuzenveld' finds 'Geüzenveld' and back."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True)
class WijkSearch:
    """What a resident searched for and the wijken found, as (id, label)."""

    query: str
    found: list[tuple[int, str]]

    @property
    def too_short(self) -> bool:
        return postcode_digits(self.query) is None and len(_folded(self.query)) < MIN_NAME_QUERY


def wijk_label(wijk: Area) -> str:
    """'Bos en Lommer (West)': the stadsdeel tells apart wijken with the same name."""
    return f"{wijk.name} ({wijk.parent.name})" if wijk.parent else wijk.name


def find_wijken(session: Session, query: str) -> list[Area]:
    """Wijken for a resident's search: by four-digit postcode, or by part of a name.

    A name may be the wijk's own or its stadsdeel's (then all its wijken). Nothing is stored.
    """
    digits = postcode_digits(query)
    if digits is not None:
        found = session.scalar(select(PostcodeArea).where(PostcodeArea.postcode == digits))
        return [found.area] if found else []
    needle = _folded(query.strip())
    if len(needle) < MIN_NAME_QUERY:
        return []
    wijken = session.scalars(
        select(Area).where(Area.level == "wijk").options(joinedload(Area.parent))
    ).all()
    by_name = [w for w in wijken if needle in _folded(w.name)]
    by_stadsdeel = [w for w in wijken if w.parent and needle in _folded(w.parent.name)]
    matches = list(dict.fromkeys(by_name + by_stadsdeel))
    return sorted(matches, key=lambda w: (not _folded(w.name).startswith(needle), w.name))[
        :MAX_MATCHES
    ]
