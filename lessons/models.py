"""The lessons app's models, one module per package (docs/architecture.md).

Lesson modules (`lessons.modules.models`), classes and assignments
(`lessons.classes.models`), accounts (`lessons.accounts.models`) and the LMS links
(`lessons.lti.models`) are all the `lessons` app's: one label, one migrations folder.
Django loads them from here, and the rest of Thaw imports them from here.
"""

from lessons.accounts.models import PasswordChangeRequired
from lessons.classes.models import (
    JOIN_CODE_ALPHABET,
    JOIN_CODE_LENGTH,
    Assignment,
    AssignmentQuerySet,
    Membership,
    Retake,
    SchoolClass,
    SchoolClassQuerySet,
    generate_join_code,
    normalize_join_code,
)
from lessons.lti.models import CourseLink, LmsScore, Placement, UsedNonce
from lessons.modules.models import (
    TASK_ANSWER_MAX_LENGTH,
    Citation,
    Module,
    ModuleQuerySet,
    Section,
    SourceTask,
    TaskAnswer,
    TaskDocument,
    TaskStep,
    module_quiz_key,
)

__all__ = [
    "JOIN_CODE_ALPHABET",
    "JOIN_CODE_LENGTH",
    "TASK_ANSWER_MAX_LENGTH",
    "Assignment",
    "AssignmentQuerySet",
    "Citation",
    "CourseLink",
    "LmsScore",
    "Membership",
    "Module",
    "ModuleQuerySet",
    "PasswordChangeRequired",
    "Placement",
    "Retake",
    "SchoolClass",
    "SchoolClassQuerySet",
    "Section",
    "SourceTask",
    "TaskAnswer",
    "TaskDocument",
    "TaskStep",
    "UsedNonce",
    "generate_join_code",
    "module_quiz_key",
    "normalize_join_code",
]
