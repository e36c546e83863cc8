"""Survey definitions as files, their loader and validator, and response and table validation.

No Flask and no database: callers pass paths, dicts and file objects and get dataclasses back.
"""

from surveys.activity_import import (
    ActivityRow,
    ImportResult,
    read_activity_table,
    template_header,
)
from surveys.loading import (
    check_definition_file,
    default_activity_definition,
    load_definition,
    load_definitions,
)
from surveys.messages import (
    N_,
    DefinitionError,
    Message,
    Problem,
    errors_only,
    format_problems,
)
from surveys.model import Choice, Field, FieldType, Rule, SurveyDefinition
from surveys.responses import ValidationResult, validate_response

__all__ = [
    "N_",
    "ActivityRow",
    "Choice",
    "DefinitionError",
    "Field",
    "FieldType",
    "ImportResult",
    "Message",
    "Problem",
    "Rule",
    "SurveyDefinition",
    "ValidationResult",
    "check_definition_file",
    "default_activity_definition",
    "errors_only",
    "format_problems",
    "load_definition",
    "load_definitions",
    "read_activity_table",
    "template_header",
    "validate_response",
]
