"""Load survey definition files of any supported format, or list what is wrong with them."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from surveys.documents import DocumentError, read_json, read_yaml
from surveys.mapping_loader import definition_from_document
from surveys.messages import N_, DefinitionError, Message, Problem, errors_only
from surveys.model import SurveyDefinition
from surveys.xlsform import definition_from_xlsform

DEFINITIONS_DIR = Path(__file__).parent / "definitions"
DEFAULT_ACTIVITY_DEFINITION = DEFINITIONS_DIR / "maandregistratie.yaml"
DEFAULT_STORY_DEFINITION = DEFINITIONS_DIR / "verhaal.yaml"
SUFFIXES = (".yaml", ".yml", ".json", ".xlsx", ".xlsm", ".xls")
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls")


def check_definition_file(path: str | Path) -> list[Problem]:
    """Every problem in the definition file at ``path``, warnings (parts left out) included;
    the file can be used when ``errors_only`` of them is empty."""
    return _in_file_order(_read(Path(path))[1])


def load_definition(path: str | Path) -> SurveyDefinition:
    """Load a .yaml/.yml/.json/.xlsx/.xls definition; DefinitionError listing all problems if broken."""
    definition, problems = _read(Path(path))
    if errors_only(problems) or definition is None:
        raise DefinitionError(_in_file_order(errors_only(problems)))
    return definition


def load_definitions(directory: str | Path = DEFINITIONS_DIR) -> dict[str, SurveyDefinition]:
    """Load every definition file in ``directory``, keyed by id; DefinitionError if any is broken
    or two files share an id."""
    definitions: dict[str, SurveyDefinition] = {}
    problems: list[Problem] = []
    for path in sorted(Path(directory).iterdir()):
        if path.suffix.lower() not in SUFFIXES or path.name.startswith(("~$", ".")):
            continue
        definition, file_problems = _read(path)
        problems.extend(errors_only(file_problems))
        if definition is None:
            continue
        if definition.id in definitions:
            first = definitions[definition.id].source
            message = Message(
                N_("The id '%(id)s' is already used by %(file)s."),
                {"id": definition.id, "file": first},
            )
            problems.append(Problem(path.name, message))
            continue
        definitions[definition.id] = definition
    if problems:
        raise DefinitionError(problems)
    return definitions


@lru_cache(maxsize=1)
def default_activity_definition() -> SurveyDefinition:
    """The monthly activity form shipped with Weefsel (``definitions/maandregistratie.yaml``)."""
    return load_definition(DEFAULT_ACTIVITY_DEFINITION)


@lru_cache(maxsize=1)
def default_story_definition() -> SurveyDefinition:
    """The story form's self-signification questions (``definitions/verhaal.yaml``)."""
    return load_definition(DEFAULT_STORY_DEFINITION)


def _in_file_order(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda problem: (problem.sheet or "", problem.row or 0))


def _read(path: Path) -> tuple[SurveyDefinition | None, list[Problem]]:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        message = Message(
            N_("Unsupported file type '%(suffix)s'; use .yaml, .yml, .json, .xlsx or .xls."),
            {"suffix": suffix or path.name},
        )
        return None, [Problem(path.name, message)]
    if not path.is_file():
        return None, [Problem(path.name, Message(N_("The file does not exist.")))]
    if suffix in SPREADSHEET_SUFFIXES:
        return definition_from_xlsform(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        message = Message(N_("Cannot read the file: %(error)s."), {"error": exc})
        return None, [Problem(path.name, message)]
    try:
        document = read_json(text) if suffix == ".json" else read_yaml(text)
    except DocumentError as exc:
        return None, [Problem(path.name, exc.message, row=exc.line)]
    definition, problems = definition_from_document(document, path.name)
    return definition, problems
