"""Read YAML and JSON definition files into plain data, remembering the line of every key.

PyYAML's ``safe_load`` forgets where values came from and silently keeps the last of two
duplicate keys; composing the node tree ourselves keeps both the line numbers and the check.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import yaml

from surveys.messages import N_, Message

KeyPath = tuple[str | int, ...]


@dataclass
class Document:
    """Parsed data plus the 1-based line of each key path, e.g. ``("fields", 2, "min")``."""

    data: Any
    lines: dict[KeyPath, int] = field(default_factory=dict)
    errors: list[tuple[int | None, KeyPath, Message]] = field(default_factory=list)

    def line(self, path: KeyPath) -> int | None:
        """The line of ``path``, or of its nearest parent that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())


class DocumentError(Exception):
    """The text is not valid YAML/JSON; ``line`` says where the parser gave up."""

    def __init__(self, message: Message, line: int | None) -> None:
        super().__init__(str(message))
        self.message = message
        self.line = line


def read_yaml(text: str) -> Document:
    """Parse YAML text; DocumentError when it is not valid YAML."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        document = Document(data=None)
        if node is not None:
            document.data = _convert(node, (), loader, document)
        return document
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        reason = " ".join(filter(None, (exc.context, exc.problem)))
        if exc.context_mark and mark and exc.context_mark.line != mark.line:
            reason += f" (it started on line {exc.context_mark.line + 1})"
        raise DocumentError(
            Message(N_("Invalid YAML: %(error)s."), {"error": reason}), line
        ) from None
    except yaml.YAMLError as exc:
        raise DocumentError(
            Message(N_("Invalid YAML: %(error)s."), {"error": str(exc)}), None
        ) from None
    finally:
        loader.dispose()


def read_json(text: str) -> Document:
    """Parse JSON text; DocumentError when it is not valid JSON.

    Values come from ``json``; line numbers and duplicate keys come from reading the same text
    as YAML, which works for ordinary JSON (and is skipped, losing only line numbers, if not).
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DocumentError(
            Message(N_("Invalid JSON: %(error)s."), {"error": exc.msg}), exc.lineno
        ) from None
    try:
        positions = read_yaml(text)
    except DocumentError:
        return Document(data=data)
    return Document(data=data, lines=positions.lines, errors=positions.errors)


def _convert(node: yaml.Node, path: KeyPath, loader: yaml.SafeLoader, document: Document) -> Any:
    document.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node, loader)
            key_path = (*path, key if isinstance(key, str | int) else str(key))
            line = key_node.start_mark.line + 1
            if key in result:
                message = Message(N_("Duplicate key '%(key)s'."), {"key": key})
                document.errors.append((line, key_path, message))
                continue
            document.lines[key_path] = line
            result[key] = _convert(value_node, key_path, loader, document)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*path, i), loader, document) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def _scalar(node: yaml.Node, loader: yaml.SafeLoader) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        return str(node.start_mark)
    value = loader.construct_object(node, deep=True)
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)
