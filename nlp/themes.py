"""The theme definitions (nlp/data/themes.yaml) as data: loading and validation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).parent / "data"
THEMES_PATH = DATA_DIR / "themes.yaml"
REQUIRED_FIELDS = ("key", "name_nl", "name_en", "definition")
CORE_THEMES = ("eenzaamheid", "armoede", "gezondheid")  # every municipality keeps these
THEME_KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


class DataFileError(ValueError):
    """A data file (themes, lexicons) is malformed; the message names the file and line."""

    def __init__(self, path: Path | str, line: int | None, message: str):
        self.path = str(path)
        self.line = line
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Theme:
    """One theme label with its Dutch and English names and what it covers."""

    key: str
    name_nl: str
    name_en: str
    definition: str
    cues: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    cue_words: tuple[str, ...] = ()  # words the model learns to weigh (a theme without a lexicon)
    examples: Path | None = None  # staff-checked examples (JSONL) for a municipality's theme


def load_yaml_nodes(path: Path) -> tuple[object, yaml.Node]:
    """Parse a YAML file, returning the data and its node tree (for line numbers in errors)."""
    try:
        text = path.read_text(encoding="utf8")
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except OSError as error:
        raise DataFileError(path, None, f"cannot read: {error}") from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise DataFileError(path, line, f"invalid YAML: {error}") from error
    return data, node


def load_themes(path: Path | str | None = None) -> list[Theme]:
    """Load and validate the theme definitions; raises DataFileError naming file and line."""
    path = Path(path) if path is not None else THEMES_PATH
    data, root = load_yaml_nodes(path)
    if not isinstance(data, dict) or not isinstance(data.get("themes"), list):
        raise DataFileError(path, 1, "expected a top-level 'themes:' list")
    theme_nodes = dict((k.value, v) for k, v in root.value)["themes"].value
    themes: list[Theme] = []
    for entry, node in zip(data["themes"], theme_nodes, strict=True):
        line = node.start_mark.line + 1
        if not isinstance(entry, dict):
            raise DataFileError(path, line, "each theme must be a mapping")
        missing = [field for field in REQUIRED_FIELDS if not entry.get(field)]
        if missing:
            raise DataFileError(path, line, f"theme is missing {', '.join(missing)}")
        key = str(entry["key"])
        if not THEME_KEY_PATTERN.match(key):
            raise DataFileError(path, line, f"theme key {key!r} must be lower case a-z, 0-9, _")
        if any(theme.key == key for theme in themes):
            raise DataFileError(path, line, f"duplicate theme key {key!r}")
        themes.append(
            Theme(
                key=key,
                name_nl=str(entry["name_nl"]),
                name_en=str(entry["name_en"]),
                definition=str(entry["definition"]).strip(),
                cues=tuple(str(cue) for cue in entry.get("cues") or ()),
                keywords=tuple(str(word).lower() for word in entry.get("keywords") or ()),
                cue_words=tuple(str(word).lower() for word in entry.get("cue_words") or ()),
                examples=_examples_path(path, line, entry.get("examples")),
            )
        )
    if not themes:
        raise DataFileError(path, 1, "no themes defined")
    return themes


def theme_keys(themes: list[Theme] | None = None) -> list[str]:
    """The theme keys in file order."""
    return [theme.key for theme in (themes if themes is not None else load_themes())]


def _examples_path(themes_path: Path, line: int, value: object) -> Path | None:
    """The examples file named in a theme entry, relative to the themes file; must exist."""
    if value is None:
        return None
    examples = themes_path.parent / str(value)
    if not examples.is_file():
        raise DataFileError(themes_path, line, f"examples file {value!r} not found")
    return examples


def theme_examples(theme: Theme, known_themes: list[str]) -> list[dict]:
    """A municipality theme's staff-checked examples: {"id", "text", "labels"} with the theme as
    label unless the line gives its own "labels" (e.g. [] for a counter-example)."""
    from nlp.corpus import read_examples

    if theme.examples is None:
        return []
    examples = read_examples(theme.examples, known_themes)
    raw_labels = [
        "labels" in line for line in theme.examples.read_text(encoding="utf8").splitlines() if line
    ]
    for example, has_labels in zip(examples, raw_labels, strict=True):
        if not has_labels:
            example["labels"] = [theme.key]
        example["id"] = f"{theme.key}:{example['id']}"
    return examples
