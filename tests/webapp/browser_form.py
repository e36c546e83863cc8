"""What a browser sends when a person presses a form's submit button without touching a field.

Only what the staff forms use: text-like inputs, number inputs (a value a number input cannot
read is shown empty and sent empty, as browsers do), checkboxes, selects and textareas.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser


def _number_input_value(value: str) -> str:
    return value if re.fullmatch(r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?", value) else ""


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inside = False
        self.forms: list[dict[str, str]] = []
        self.data: dict[str, str] = {}
        self.select: str | None = None
        self.first_option: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside, self.data = True, {}
            self.forms.append(self.data)
        if not self.inside or "name" not in a and tag != "option":
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.data[a["name"]] = a.get("value", "on")
                return
            value = a.get("value", "")
            self.data[a["name"]] = _number_input_value(value) if kind == "number" else value
        elif tag == "select":
            self.select, self.first_option = a["name"], None
        elif tag == "option" and self.select is not None:
            value = a.get("value", "")
            if self.first_option is None:
                self.first_option = value
            if "selected" in a:
                self.data[self.select] = value
        elif tag == "textarea":
            self.textarea = a["name"]
            self.data[a["name"]] = ""

    def handle_data(self, data: str) -> None:
        if self.inside and self.textarea is not None:
            self.data[self.textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select is not None:
            self.data.setdefault(self.select, self.first_option or "")
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def untouched_form_data(page: str, field: str) -> dict[str, str]:
    """What the form on ``page`` that holds ``field`` sends when submitted as it is shown."""
    parser = _FormParser()
    parser.feed(page)
    matching = [form for form in parser.forms if field in form]
    assert len(matching) == 1, f"{len(matching)} forms hold {field!r}"
    return matching[0]
