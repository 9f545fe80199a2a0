"""The permissions matrix: every URL of the project × six roles, and what each role gets.

One source of truth for two readers: tests/reliability/test_permissions_matrix.py requests
every cell and checks the outcome, and `render_doc` writes the same table into
docs/permissions.md. A URL the resolver knows and this matrix does not fails the test, so
a new page cannot skip it.

The world the cells are tried against (`build_world`): a class taught by "teacher" with
"student" in it, who owns every private object (attempts, a review and a retake quiz, a
report, an accommodation); "another teacher" with their own class and "another student" in
it; a curator (staff, `curators` group, in no class); and a visitor who is not logged in.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = ("anonymous", "student", "other_student", "teacher", "other_teacher", "curator")
ROLE_TITLES = {
    "anonymous": "anonymous",
    "student": "student",
    "other_student": "another student",
    "teacher": "teacher",
    "other_teacher": "another teacher",
    "curator": "curator",
}

# Outcomes, as the cells of docs/permissions.md spell them.
OK = "ok"  # 200 (a POST: 200, 400 for refused input, or a redirect that is not to a login page)
LOGIN = "login"  # 302 to the login page
ADMIN_LOGIN = "admin login"  # 302 to the admin's login page
FORBIDDEN = "403"
NOT_FOUND = "404"
NOT_ALLOWED = "405"
REFUSED = frozenset({LOGIN, ADMIN_LOGIN, FORBIDDEN, NOT_FOUND, NOT_ALLOWED})


def to(url_name: str) -> str:
    """A documented redirect: 302 to the page called `url_name`."""
    return f"→ {url_name}"


def redirect_target(outcome: str) -> str | None:
    return outcome[2:] if outcome.startswith("→ ") else None


def roles(default: str, **cells: str) -> dict[str, str]:
    return {role: cells.get(role, default) for role in ROLES}


PUBLIC = roles(OK)
SIGNED_IN = roles(OK, anonymous=LOGIN)
OWNER_ONLY = roles(NOT_FOUND, anonymous=LOGIN, student=OK)
# Teachers' pages for the class (teacher_views: login, then the permission, then the class).
# Curators hold no permission about classes (lessons.accounts.CURATOR_PERMISSIONS).
NOT_A_TEACHER = {"student": FORBIDDEN, "other_student": FORBIDDEN, "curator": FORBIDDEN}
CLASS_TEACHER = roles(NOT_FOUND, anonymous=LOGIN, teacher=OK, **NOT_A_TEACHER)
# The class's page with an object from outside it: no teacher finds it.
NOT_IN_CLASS = roles(NOT_FOUND, anonymous=LOGIN, **NOT_A_TEACHER)
ANY_TEACHER = roles(OK, anonymous=LOGIN, **NOT_A_TEACHER)
CURATOR_ONLY = roles(FORBIDDEN, curator=OK)
STAFF_ONLY = roles(ADMIN_LOGIN, curator=OK)


@dataclass(frozen=True)
class Marker:
    """Private text of the world, and the roles that may see it on some page."""

    text: str
    seen_by: frozenset[str]


@dataclass(frozen=True)
class World:
    users: dict  # role -> User (no entry for "anonymous")
    class_a: int
    class_b: int
    open_class_code: str
    owner: int
    other_student: int
    other_teacher_username: str
    assignment_a: int
    assignment_b: int
    public_quiz: int
    assignment_quiz: int
    review_quiz: int
    retake_quiz: int
    practice_attempt: int  # the student's, finished, practice mode, on the public quiz
    open_attempt: int  # the student's, in progress, test mode
    open_question: int  # the first question of open_attempt
    assignment_attempt: int  # the student's, finished, test mode, on class A's assignment
    other_attempt: int  # another student's, finished, on class B's assignment
    question: int  # a published question the student was shown
    report: int
    source_slug: str
    passage_key: str
    term_slug: str
    module_slug: str
    markers: tuple[Marker, ...]
    note_slug: str = ""
    work_slug: str = ""
    proposal: int = 0  # a proposed glossary term (corpus.proposals) waiting for a curator
    task_step: int = (
        0  # a step of the lesson's source-analysis task (lessons.modules.source_analysis)
    )
    lti_platform: int = 0  # an LMS registered with Thaw (lessons.lti.registration)
    # One object of each model in the admin ("app.model" -> pk), the private one where
    # there is one (class A, the student's attempt, their accommodation).
    admin_objects: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    """One URL (or one kind of object behind it) × the six roles."""

    name: str
    expect: dict[str, str]
    methods: tuple[str, ...] = ("GET",)
    kwargs: Callable[[World], dict] = lambda w: {}
    label: str = ""  # which object, when a URL has rows for several kinds
    data: Callable[[World], dict] = lambda w: {}  # the POST body
    # Roles whose allowed POST must change the database; every other role's must not.
    # None: not checked (the view may or may not write, e.g. building a quiz on first use).
    writes: frozenset[str] | None = None
    # The other method's outcome is derived (`wrong_method_outcome`) unless `wrong` says.
    wrong: str = "derive"  # "derive" or "skip"

    @property
    def id(self) -> str:
        return f"{self.name}[{self.label}]" if self.label else self.name

    @property
    def wrong_method(self) -> str | None:
        if self.wrong == "skip" or len(self.methods) != 1:
            return None
        return "POST" if self.methods == ("GET",) else "GET"


def wrong_method_outcome(expected: str) -> str:
    """The answer to the method a view does not take: the decorators check the login and
    the permission first, then the method, and only the view body looks objects up."""
    return expected if expected in (LOGIN, ADMIN_LOGIN, FORBIDDEN) else NOT_ALLOWED


def _only(*names: str) -> frozenset[str]:
    return frozenset(names)


EVERY_USER = _only(*ROLES[1:])
NOBODY = frozenset()

# --- The matrix -------------------------------------------------------------------------------

READER = [
    Row("corpus:source_list", PUBLIC),
    Row("corpus:source_detail", PUBLIC, kwargs=lambda w: {"slug": w.source_slug}),
    Row(
        "corpus:passage_detail",
        PUBLIC,
        kwargs=lambda w: {"slug": w.source_slug, "key": w.passage_key},
    ),
    Row("corpus:corpus_search", PUBLIC),
    Row("corpus:glossary_list", PUBLIC),
    Row("corpus:glossary_detail", PUBLIC, kwargs=lambda w: {"slug": w.term_slug}),
    Row("corpus:timeline", PUBLIC),
    Row("corpus:compare_renderings", PUBLIC),
    Row("corpus:compare_testament", PUBLIC),
]

LESSONS = [
    Row("modules:home", PUBLIC),
    Row("modules:lesson_list", PUBLIC),
    Row("modules:lesson_detail", PUBLIC, kwargs=lambda w: {"slug": w.module_slug}),
    # A check for understanding (lessons.modules.checks): answering needs an account; this section
    # has no checks, so the answer is refused with a message and nothing is stored.
    Row(
        "modules:lesson_check",
        SIGNED_IN,
        methods=("POST",),
        kwargs=lambda w: {"slug": w.module_slug, "section": "matrix-section"},
        data=lambda w: {"question": w.question, "choice": "a"},
        writes=NOBODY,
    ),
    # The source-analysis task: anyone reads it; a draft is saved for anyone logged in,
    # except the student, who has handed theirs in (and a visitor, sent back to the lesson).
    Row(
        "modules:lesson_task",
        PUBLIC,
        methods=("GET", "POST"),
        kwargs=lambda w: {"slug": w.module_slug},
        data=lambda w: {f"step-{w.task_step}": "A draft answer", "action": "save"},
        writes=_only("other_student", "teacher", "other_teacher", "curator"),
    ),
    # Builds the module's quiz on first use, for anyone (reading needs no account).
    Row(
        "modules:lesson_quiz",
        PUBLIC,
        methods=("POST",),
        kwargs=lambda w: {"slug": w.module_slug},
        writes=frozenset(ROLES),
    ),
    Row("classes:dashboard", SIGNED_IN),
    Row(
        "classes:class_join",
        SIGNED_IN,
        methods=("POST",),
        data=lambda w: {"join_code": w.open_class_code},
        writes=EVERY_USER,
    ),
    Row(
        "accounts:signup",
        roles(to("classes:dashboard"), anonymous=OK),
        methods=("GET", "POST"),
        data=lambda w: {
            "join_code": w.open_class_code,
            "username": "new-signup",
            "display_name": "New Signup",
            "password1": "a-long-password-1956-x",
            "password2": "a-long-password-1956-x",
        },
        writes=_only("anonymous"),
    ),
    # Privacy: anyone's own data; deleting a student's account is for curators.
    Row("accounts:account_data_download", SIGNED_IN),
    Row(
        "accounts:account_delete",
        roles(FORBIDDEN, anonymous=LOGIN, curator=OK),
        methods=("GET", "POST"),
        data=lambda w: {"student": str(w.owner)},
        writes=_only("curator"),
    ),
]


# The other teacher's own class number with this class's object in the rest of the URL.
UNDER_CLASS_B = "this class's object under another class's number"


def _class(w: World) -> dict:
    return {"pk": w.class_a}


def _roster_csv(w: World) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = b"username,display_name\nroster-newcomer,Roster Newcomer\n"
    return {"roster": SimpleUploadedFile("roster.csv", body, content_type="text/csv")}


TEACHING = [
    Row(
        "classes:teacher_classes",
        ANY_TEACHER,
        methods=("GET", "POST"),
        data=lambda w: {"name": "A brand-new class"},
        writes=_only("teacher", "other_teacher", "curator"),
    ),
    Row("classes:teacher_class", CLASS_TEACHER, kwargs=_class),
    Row(
        "classes:teacher_join_code",
        CLASS_TEACHER,
        methods=("POST",),
        kwargs=_class,
        writes=_only("teacher"),
    ),
    Row(
        "classes:teacher_join_toggle",
        CLASS_TEACHER,
        methods=("POST",),
        kwargs=_class,
        data=lambda w: {"enabled": "0"},
        writes=_only("teacher"),
    ),
    Row(
        "classes:teacher_student_remove",
        CLASS_TEACHER,
        methods=("POST",),
        kwargs=lambda w: {"pk": w.class_a, "student_pk": w.owner},
        writes=_only("teacher"),
    ),
    Row(
        "classes:teacher_student_remove",
        NOT_IN_CLASS,
        label="a student of another class",
        methods=("POST",),
        kwargs=lambda w: {"pk": w.class_a, "student_pk": w.other_student},
        writes=NOBODY,
    ),
    Row(
        "classes:teacher_student_remove",
        NOT_IN_CLASS,
        label=UNDER_CLASS_B,
        methods=("POST",),
        kwargs=lambda w: {"pk": w.class_b, "student_pk": w.owner},
        writes=NOBODY,
    ),
    # A paused log-in lives in the cache (lessons.accounts.login_throttle): no table changes.
    Row(
        "classes:teacher_login_unlock",
        CLASS_TEACHER,
        methods=("POST",),
        kwargs=lambda w: {"pk": w.class_a, "student_pk": w.owner},
        writes=NOBODY,
    ),
    Row(
        "classes:teacher_login_unlock",
        NOT_IN_CLASS,
        label="a student of another class",
        methods=("POST",),
        kwargs=lambda w: {"pk": w.class_a, "student_pk": w.other_student},
        writes=NOBODY,
    ),
    Row(
        "classes:teacher_login_unlock",
        NOT_IN_CLASS,
        label=UNDER_CLASS_B,
        methods=("POST",),
        kwargs=lambda w: {"pk": w.class_b, "student_pk": w.owner},
        writes=NOBODY,
    ),
    Row(
        "classes:teacher_co_teacher",
        CLASS_TEACHER,
        methods=("POST",),
        kwargs=_class,
        data=lambda w: {"username": w.other_teacher_username},
        writes=_only("teacher"),
    ),
    Row(
        "classes:teacher_roster",
        CLASS_TEACHER,
        methods=("GET", "POST"),
        kwargs=_class,
        data=_roster_csv,
        writes=_only("teacher"),
    ),
    Row(
        "classes:teacher_assign",
        CLASS_TEACHER,
        methods=("GET", "POST"),
        kwargs=_class,
        data=lambda w: {
            "what": "picked",
            "title": "A new assignment",
            "question_ids": [w.question],
            "mode": "practice",
            "reveal_answers": "immediately",
        },
        writes=_only("teacher"),
    ),
    Row("classes:teacher_gradebook", CLASS_TEACHER, kwargs=_class),
    Row("modules:teacher_written_answers", CLASS_TEACHER, kwargs=_class),
    Row("classes:teacher_gradebook_csv", CLASS_TEACHER, kwargs=_class),
    Row(
        "classes:teacher_student",
        CLASS_TEACHER,
        kwargs=lambda w: {"pk": w.class_a, "student_pk": w.owner},
    ),
    Row(
        "classes:teacher_student",
        NOT_IN_CLASS,
        label="a student of another class",
        kwargs=lambda w: {"pk": w.class_a, "student_pk": w.other_student},
    ),
    Row(
        "classes:teacher_student",
        NOT_IN_CLASS,
        label=UNDER_CLASS_B,
        kwargs=lambda w: {"pk": w.class_b, "student_pk": w.owner},
    ),
    Row(
        "classes:teacher_attempt",
        CLASS_TEACHER,
        kwargs=lambda w: {"pk": w.class_a, "attempt_pk": w.assignment_attempt},
    ),
    Row(
        "classes:teacher_attempt",
        NOT_IN_CLASS,
        label="the student's attempt at a quiz the class was not set",
        kwargs=lambda w: {"pk": w.class_a, "attempt_pk": w.practice_attempt},
    ),
    Row(
        "classes:teacher_attempt",
        NOT_IN_CLASS,
        label="another class's attempt",
        kwargs=lambda w: {"pk": w.class_a, "attempt_pk": w.other_attempt},
    ),
    Row(
        "classes:teacher_attempt",
        NOT_IN_CLASS,
        label=UNDER_CLASS_B,
        kwargs=lambda w: {"pk": w.class_b, "attempt_pk": w.assignment_attempt},
    ),
    Row(
        "classes:teacher_item_analysis",
        CLASS_TEACHER,
        kwargs=lambda w: {"pk": w.class_a, "assignment_pk": w.assignment_a},
    ),
    Row(
        "classes:teacher_item_analysis",
        NOT_IN_CLASS,
        label="another class's assignment",
        kwargs=lambda w: {"pk": w.class_a, "assignment_pk": w.assignment_b},
    ),
    Row(
        "classes:teacher_item_analysis",
        NOT_IN_CLASS,
        label=UNDER_CLASS_B,
        kwargs=lambda w: {"pk": w.class_b, "assignment_pk": w.assignment_a},
    ),
    Row(
        "classes:teacher_accommodation",
        CLASS_TEACHER,
        methods=("GET", "POST"),
        kwargs=lambda w: {
            "pk": w.class_a,
            "assignment_pk": w.assignment_a,
            "student_pk": w.owner,
        },
        data=lambda w: {"extra_attempts": "3", "note": "Changed by the matrix"},
        writes=_only("teacher"),
    ),
    Row(
        "classes:teacher_accommodation",
        NOT_IN_CLASS,
        label="a student of another class",
        methods=("GET", "POST"),
        kwargs=lambda w: {
            "pk": w.class_a,
            "assignment_pk": w.assignment_a,
            "student_pk": w.other_student,
        },
        data=lambda w: {"extra_attempts": "3", "note": "Changed by the matrix"},
        writes=NOBODY,
    ),
    Row(
        "classes:teacher_accommodation",
        NOT_IN_CLASS,
        label=UNDER_CLASS_B,
        methods=("GET", "POST"),
        kwargs=lambda w: {"pk": w.class_b, "assignment_pk": w.assignment_a, "student_pk": w.owner},
        data=lambda w: {"extra_attempts": "3", "note": "Changed by the matrix"},
        writes=NOBODY,
    ),
    Row(
        "classes:teacher_retake",
        CLASS_TEACHER,
        methods=("POST",),
        kwargs=lambda w: {
            "pk": w.class_a,
            "assignment_pk": w.assignment_a,
            "student_pk": w.owner,
        },
        writes=_only("teacher"),
    ),
    Row(
        "classes:teacher_retake",
        NOT_IN_CLASS,
        label="a student of another class",
        methods=("POST",),
        kwargs=lambda w: {
            "pk": w.class_a,
            "assignment_pk": w.assignment_a,
            "student_pk": w.other_student,
        },
        writes=NOBODY,
    ),
    Row(
        "classes:teacher_retake",
        NOT_IN_CLASS,
        label=UNDER_CLASS_B,
        methods=("POST",),
        kwargs=lambda w: {"pk": w.class_b, "assignment_pk": w.assignment_a, "student_pk": w.owner},
        writes=NOBODY,
    ),
    Row(
        "classes:teacher_student_add",
        CLASS_TEACHER,
        methods=("GET", "POST"),
        kwargs=_class,
        data=lambda w: {"username": "matrix-newcomer", "display_name": "Matrix Newcomer"},
        writes=_only("teacher"),
    ),
    *(
        row
        for name, data in (
            (
                "classes:teacher_assignment_edit",
                lambda w: {"title": "Edited", "mode": "test", "reveal_answers": "immediately"},
            ),
            ("classes:teacher_assignment_extend", lambda w: {"due_at": _in_a_week()}),
            ("classes:teacher_assignment_delete", lambda w: {}),
        )
        for row in (
            Row(
                name,
                CLASS_TEACHER,
                methods=("GET", "POST"),
                kwargs=lambda w: {"pk": w.class_a, "assignment_pk": w.assignment_a},
                data=data,
                writes=_only("teacher"),
            ),
            Row(
                name,
                NOT_IN_CLASS,
                label="another class's assignment",
                methods=("GET", "POST"),
                kwargs=lambda w: {"pk": w.class_a, "assignment_pk": w.assignment_b},
                data=data,
                writes=NOBODY,
            ),
            Row(
                name,
                NOT_IN_CLASS,
                label=UNDER_CLASS_B,
                methods=("GET", "POST"),
                kwargs=lambda w: {"pk": w.class_b, "assignment_pk": w.assignment_a},
                data=data,
                writes=NOBODY,
            ),
        )
    ),
]


def _in_a_week() -> str:
    """A due date as the form's date input sends it."""
    import datetime

    from django.utils import timezone

    return timezone.localtime(timezone.now() + datetime.timedelta(days=7)).strftime(
        "%Y-%m-%dT%H:%M"
    )


# A class's assignment quiz: its students and teachers only (quizzes.Audience).
ASSIGNMENT_AUDIENCE = roles(NOT_FOUND, student=OK, teacher=OK)
PERSONAL_QUIZ = roles(NOT_FOUND, student=OK)


def _answer(w: World) -> dict:
    return {"question": str(w.open_question), "choice": "a"}


QUIZZES = [
    Row(
        "quizzes:quiz_detail",
        PUBLIC,
        label="a lesson or source quiz",
        kwargs=lambda w: {"pk": w.public_quiz},
    ),
    Row(
        "quizzes:quiz_detail",
        ASSIGNMENT_AUDIENCE,
        label="the class's assignment quiz",
        kwargs=lambda w: {"pk": w.assignment_quiz},
    ),
    Row(
        "quizzes:quiz_detail",
        PERSONAL_QUIZ,
        label="the student's review quiz",
        kwargs=lambda w: {"pk": w.review_quiz},
    ),
    Row(
        "quizzes:quiz_detail",
        PERSONAL_QUIZ,
        label="the student's retake quiz",
        kwargs=lambda w: {"pk": w.retake_quiz},
    ),
    Row(
        "quizzes:quiz_start",
        SIGNED_IN,
        label="a lesson or source quiz",
        methods=("POST",),
        kwargs=lambda w: {"pk": w.public_quiz},
        writes=EVERY_USER,
    ),
    Row(
        "quizzes:quiz_start",
        {**ASSIGNMENT_AUDIENCE, "anonymous": LOGIN},
        label="the class's assignment quiz",
        methods=("POST",),
        kwargs=lambda w: {"pk": w.assignment_quiz},
        writes=_only("student", "teacher"),
    ),
    Row(
        "quizzes:quiz_start",
        OWNER_ONLY,
        label="the student's review quiz",
        methods=("POST",),
        kwargs=lambda w: {"pk": w.review_quiz},
        writes=_only("student"),
    ),
    Row(
        "quizzes:quiz_start",
        OWNER_ONLY,
        label="the student's retake quiz",
        methods=("POST",),
        kwargs=lambda w: {"pk": w.retake_quiz},
        writes=_only("student"),
    ),
    Row(
        "quizzes:attempt_question",
        OWNER_ONLY,
        label="in progress",
        kwargs=lambda w: {"pk": w.open_attempt},
    ),
    Row(
        "quizzes:attempt_question",
        {**OWNER_ONLY, "student": to("quizzes:attempt_review")},
        label="finished",
        kwargs=lambda w: {"pk": w.practice_attempt},
    ),
    Row(
        "quizzes:attempt_answer",
        OWNER_ONLY,
        methods=("POST",),
        kwargs=lambda w: {"pk": w.open_attempt},
        data=_answer,
        writes=_only("student"),
    ),
    Row(
        "quizzes:attempt_finish",
        OWNER_ONLY,
        methods=("POST",),
        kwargs=lambda w: {"pk": w.open_attempt},
        writes=_only("student"),
    ),
    Row(
        "quizzes:attempt_review",
        OWNER_ONLY,
        label="finished, practice",
        kwargs=lambda w: {"pk": w.practice_attempt},
    ),
    Row(
        "quizzes:attempt_review",
        OWNER_ONLY,
        label="finished, a class's test",
        kwargs=lambda w: {"pk": w.assignment_attempt},
    ),
    Row(
        "quizzes:attempt_review",
        roles(NOT_FOUND, anonymous=LOGIN, other_student=OK),
        label="another student's",
        kwargs=lambda w: {"pk": w.other_attempt},
    ),
    Row(
        "quizzes:attempt_review",
        {**OWNER_ONLY, "student": to("quizzes:attempt_question")},
        label="in progress",
        kwargs=lambda w: {"pk": w.open_attempt},
    ),
    Row("quizzes:review_detail", SIGNED_IN),
    Row("quizzes:review_start", SIGNED_IN, methods=("POST",)),
    Row(
        "quizzes:source_quiz",
        roles(to("quizzes:quiz_detail"), anonymous=LOGIN),
        methods=("GET", "POST"),
        kwargs=lambda w: {"slug": w.source_slug},
    ),
]


def _question(w: World) -> dict:
    return {"pk": w.question}


def _bad_toml(w: World) -> dict:
    return {"text": "this is [not valid TOML"}


def _note(w: World) -> dict:
    return {"slug": w.note_slug}


def _work(w: World) -> dict:
    return {"slug": w.work_slug}


def _note_data(w: World, *, slug: str, bad_quote: bool = False) -> dict:
    quote = "words no passage holds" if bad_quote else "Passage 1 of the reader test source"
    return {
        "slug": slug,
        "kind": "context",
        "title": "A note from the matrix",
        "body": "What the passage leaves out.",
        "targets": f'{{ passage = {{ source = "{w.source_slug}", quote = "{quote}" }} }}',
        "references": f'{{ work = "{w.work_slug}", at = "p. 1" }}',
    }


def _work_data(*, slug: str) -> dict:
    return {
        "slug": slug,
        "kind": "book",
        "authors": "Ann Matrix",
        "title": "A Book",
        "year": "2001",
    }


CURATION = [
    Row("curation:queue", CURATOR_ONLY),
    Row(
        "curation:status",
        CURATOR_ONLY,
        methods=("POST",),
        kwargs=_question,
        data=lambda w: {"status": "retired"},
        writes=_only("curator"),
    ),
    Row(
        "curation:edit",
        CURATOR_ONLY,
        methods=("GET", "POST"),
        kwargs=_question,
        data=lambda w: {
            "stem": "Who signed the matrix?",
            "option_a": "Yezhov",
            "option_b": "Yagoda",
            "option_c": "Beria",
            "key": "b",
        },
        writes=_only("curator"),
    ),
    Row(
        "curation:accept_passage",
        CURATOR_ONLY,
        methods=("POST",),
        kwargs=_question,
        writes=_only("curator"),
    ),
    # Any account may report a question; only one it was shown is recorded.
    Row(
        "curation:report",
        SIGNED_IN,
        methods=("POST",),
        kwargs=_question,
        data=lambda w: {"reason": "typo", "comment": "Reported by the matrix"},
        writes=_only("student"),
    ),
    Row(
        "curation:bulk",
        CURATOR_ONLY,
        methods=("POST",),
        data=lambda w: {"action": "retired", "confirm": "on"},
        writes=_only("curator"),
    ),
    Row("curation:recompute", CURATOR_ONLY, methods=("POST",), writes=_only("curator")),
    Row("curation:reports", CURATOR_ONLY),
    Row(
        "curation:resolve",
        CURATOR_ONLY,
        methods=("POST",),
        kwargs=lambda w: {"pk": w.report},
        data=lambda w: {"resolution": "no_change", "note": "Seen by the matrix"},
        writes=_only("curator"),
    ),
    Row("curation:export", CURATOR_ONLY),
    Row("curation:import", CURATOR_ONLY, methods=("GET", "POST"), writes=NOBODY),
    Row("curation:import_confirm", CURATOR_ONLY, methods=("POST",), writes=NOBODY),
    Row("curation:audit", CURATOR_ONLY),
    Row("curation:sources", CURATOR_ONLY),
    Row("curation:source_upload", CURATOR_ONLY, methods=("POST",), writes=NOBODY),
    Row(
        "curation:source",
        CURATOR_ONLY,
        methods=("GET", "POST"),
        kwargs=lambda w: {"slug": w.source_slug},
        data=_bad_toml,
        writes=NOBODY,
    ),
    Row(
        "curation:source_regenerate",
        CURATOR_ONLY,
        methods=("POST",),
        kwargs=lambda w: {"slug": w.source_slug},
    ),
    Row(
        "curation:reference",
        CURATOR_ONLY,
        methods=("GET", "POST"),
        kwargs=lambda w: {"which": "glossary"},
        data=_bad_toml,
        writes=NOBODY,
    ),
    # Proposed glossary terms and timeline events (corpus.curation): an approval
    # without a description is refused and changes nothing.
    Row("curation:proposals", CURATOR_ONLY),
    Row(
        "curation:proposal_decide",
        CURATOR_ONLY,
        methods=("POST",),
        kwargs=lambda w: {"pk": w.proposal},
        data=lambda w: {"action": "approve", "name": "", "description": ""},
        writes=NOBODY,
    ),
    # Editorial notes and reference works (corpus.editorial_views): a valid edit is saved
    # and audited for a curator; an invalid one (a quotation no passage holds) changes nothing.
    Row("curation:editorial:notes", CURATOR_ONLY),
    Row(
        "curation:editorial:note_add",
        CURATOR_ONLY,
        methods=("GET", "POST"),
        data=lambda w: _note_data(w, slug="matrix-new-note"),
        writes=_only("curator"),
    ),
    Row(
        "curation:editorial:note_edit",
        CURATOR_ONLY,
        methods=("GET", "POST"),
        kwargs=_note,
        data=lambda w: _note_data(w, slug=w.note_slug),
        writes=_only("curator"),
    ),
    Row(
        "curation:editorial:note_edit",
        CURATOR_ONLY,
        label="a quotation no passage holds",
        methods=("POST",),
        kwargs=_note,
        data=lambda w: _note_data(w, slug=w.note_slug, bad_quote=True),
        writes=NOBODY,
        wrong="skip",  # the page takes GET too: the row above
    ),
    Row(
        "curation:editorial:note_delete",
        CURATOR_ONLY,
        methods=("GET", "POST"),
        kwargs=_note,
        writes=_only("curator"),
    ),
    Row("curation:editorial:works", CURATOR_ONLY),
    Row(
        "curation:editorial:work_add",
        CURATOR_ONLY,
        methods=("GET", "POST"),
        data=lambda w: _work_data(slug="matrix-new-work"),
        writes=_only("curator"),
    ),
    Row(
        "curation:editorial:work_edit",
        CURATOR_ONLY,
        methods=("GET", "POST"),
        kwargs=_work,
        data=lambda w: _work_data(slug=w.work_slug),
        writes=_only("curator"),
    ),
    # The world's note cites the work, so even a curator's delete is refused (400).
    Row(
        "curation:editorial:work_delete",
        CURATOR_ONLY,
        methods=("GET", "POST"),
        kwargs=_work,
        writes=NOBODY,
    ),
]


def _platform_data(w: World) -> dict:
    return {
        "name": "Matrix LMS",
        "issuer": "https://lms.example.org",
        "client_id": "matrix-client",
        "auth_url": "https://lms.example.org/auth",
        "token_url": "https://lms.example.org/token",
        "keyset_url": "https://lms.example.org/jwks",
        "deployment_ids": "matrix-deployment",
    }


# Thaw as an LTI tool (lessons/lti, docs/lti.md). The login and launch are the LMS's to open:
# they answer anyone alike, refusing what no registered LMS signed (a page, never a sign-in);
# the picker opens only in a teacher's deep-linking launch; the platforms are curators'.
LMS_CURATOR = roles(FORBIDDEN, anonymous=LOGIN, curator=OK)
LTI = [
    Row("lti:lti_login", roles(FORBIDDEN), methods=("GET", "POST"), writes=NOBODY),
    Row("lti:lti_launch", roles(FORBIDDEN), methods=("GET", "POST"), writes=NOBODY),
    Row("lti:lti_jwks", PUBLIC),
    Row(
        "lti:lti_pick",
        roles(FORBIDDEN, anonymous=LOGIN),
        methods=("GET", "POST"),
        data=lambda w: {"choice": f"lesson:{w.module_slug}", "mode": "test"},
        writes=NOBODY,
    ),
    Row(
        "lti:lti_platforms",
        LMS_CURATOR,
        methods=("GET", "POST"),
        data=_platform_data,
        writes=_only("curator"),
    ),
    Row(
        "lti:lti_platform",
        LMS_CURATOR,
        methods=("GET", "POST"),
        kwargs=lambda w: {"pk": w.lti_platform},
        data=_platform_data,
        writes=_only("curator"),
    ),
    Row("lti:lti_key_rotate", LMS_CURATOR, methods=("POST",), writes=_only("curator")),
]

ACCOUNTS = [
    Row(
        "login",
        PUBLIC,
        methods=("GET", "POST"),
        data=lambda w: {"username": "nobody-at-all", "password": "not-the-password"},
        writes=NOBODY,
    ),
    Row("logout", PUBLIC, methods=("POST",)),
    Row(
        "password_change",
        SIGNED_IN,
        methods=("GET", "POST"),
        data=lambda w: {"old_password": "not-the-password"},
        writes=NOBODY,
    ),
    Row("password_change_done", SIGNED_IN),
    Row(
        "password_reset",
        PUBLIC,
        methods=("GET", "POST"),
        data=lambda w: {"email": "nobody@example.org"},
        writes=NOBODY,
    ),
    Row("password_reset_done", PUBLIC),
    Row(
        "password_reset_confirm",
        PUBLIC,
        label="a link that is not valid",
        methods=("GET", "POST"),
        kwargs=lambda w: {"uidb64": "MQ", "token": "not-a-token"},
        writes=NOBODY,
    ),
    Row("password_reset_complete", PUBLIC),
]

# The admin is one site behind `is_staff`. Each model registered in it has three rows: its
# list, one of the world's objects opened, and that object deleted (the POST its
# confirmation page sends). A curator's part is least privilege (docs/decisions.md): the
# corpus, the question bank and lesson content; never classes, memberships, assignments,
# accommodations, attempts, answers or review cards (those are for superusers, who are
# no role of this matrix), nor accounts or the log-in records.
LIST, OPEN, DELETE = "list", "open", "delete"
EDIT = frozenset({LIST, OPEN, DELETE})
READ = frozenset({LIST, OPEN})
NONE = frozenset()
CURATOR_ADMIN: dict[str, frozenset[str]] = {
    "corpus.work": EDIT,
    "corpus.source": EDIT,
    "corpus.passage": EDIT,
    "corpus.glossaryterm": EDIT,
    "corpus.timelineevent": EDIT,
    # Edited on the curation pages (corpus.editorial_views), read-only in the admin.
    "corpus.editorialnote": READ,
    "corpus.referencework": READ,
    "corpus.editorialdeletion": READ,
    "corpus.auditentry": READ,
    "corpus.sourcefile": READ,  # a source's uploaded text: edited on the curation pages
    "corpus.sourceerrata": READ,  # errata: edited on the source's curation page
    "corpus.proposal": READ,  # decided on the proposals page, which writes and audits  # the record of curators' changes: not theirs to delete
    # A question the student answered: deleting it would delete their answers with it.
    "quizzes.question": READ,
    "quizzes.questionversion": READ,  # a question's history, like the audit log
    "quizzes.problemreport": EDIT,
    "quizzes.itemstatistics": EDIT,
    "quizzes.generationrun": EDIT,
    "quizzes.quiz": NONE,
    "quizzes.audience": NONE,
    "quizzes.attempt": NONE,
    "quizzes.response": NONE,
    "quizzes.reviewcard": NONE,
    "quizzes.quizoverride": NONE,
    # The world's lesson has students' written answers to its source-analysis task: the
    # admin refuses a delete that would take them along (they are superusers' to delete).
    "lessons.module": READ,
    "lessons.section": EDIT,
    "lessons.sourcetask": READ,  # a data file loaded by load_lessons
    "lessons.taskanswer": NONE,  # a student's written work
    "lessons.schoolclass": NONE,
    "lessons.assignment": NONE,
    "lessons.retake": NONE,
    "lessons.passwordchangerequired": NONE,
    "auth.user": NONE,
    "auth.group": NONE,
    "axes.accessattempt": NONE,
    "axes.accesslog": NONE,
    "axes.accessfailurelog": NONE,
}


# The world's work, source and passage are cited by a lesson (PROTECT): their delete page
# lists what protects them and deletes nothing, for a curator as for anyone.
PROTECTED_IN_WORLD = {"corpus.work", "corpus.source", "corpus.passage"}


def _admin_rows(label: str, access: frozenset[str]) -> list[Row]:
    app, model = label.split(".")
    url = f"admin:{app}_{model}"

    def named(w: World, label: str = label) -> dict:
        return {"object_id": w.admin_objects[label]}

    def outcome(action: str) -> dict[str, str]:
        return roles(ADMIN_LOGIN, curator=OK if action in access else FORBIDDEN)

    return [
        Row(f"{url}_changelist", outcome(LIST), wrong="skip"),
        Row(f"{url}_change", outcome(OPEN), kwargs=named, wrong="skip"),
        Row(
            f"{url}_delete",
            outcome(DELETE),
            methods=("POST",),
            kwargs=named,
            data=lambda w: {"post": "yes"},
            writes=(
                _only("curator") if DELETE in access and label not in PROTECTED_IN_WORLD else NOBODY
            ),
            wrong="skip",
        ),
    ]


ADMIN = [
    Row("admin:index", STAFF_ONLY, wrong="skip"),
    Row(
        "admin:login",
        roles(OK, curator=to("admin:index")),
        wrong="skip",
    ),
    *(row for label, access in CURATOR_ADMIN.items() for row in _admin_rows(label, access)),
]
ADMIN_NAMESPACE = "admin"

SECTIONS = [
    ("Reading the sources", READER),
    ("Lessons, sign-up, the dashboard and privacy", LESSONS),
    ("Taking quizzes", QUIZZES),
    ("Teachers' pages", TEACHING),
    ("Curation", CURATION),
    ("Inside an LMS (LTI 1.3)", LTI),
    ("Accounts (Django's auth views)", ACCOUNTS),
    ("The admin", ADMIN),
]
MATRIX = [row for _, rows in SECTIONS for row in rows]


# --- The URL resolver --------------------------------------------------------------------------


def url_routes() -> dict[str, list[str]]:
    """Every URL pattern of the project: its full name (with namespaces) → its routes.

    An unnamed pattern is listed as "<unnamed>" so the test can refuse it outside the admin.
    """
    from django.urls import URLResolver, get_resolver

    found: dict[str, list[str]] = {}

    def walk(patterns, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, route, inner)
            else:
                name = f"{namespace}{pattern.name}" if pattern.name else f"{namespace}<unnamed>"
                found.setdefault(name, []).append(route)

    walk(get_resolver().url_patterns, "", "")
    return found


def _display_route(route: str) -> str:
    route = re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", route)  # <int:pk> -> <pk>
    return "/" + route.lstrip("^").rstrip("$")


# --- docs/permissions.md -----------------------------------------------------------------------

DOC_HEADER = """# Permissions matrix

Who may open which page. Generated from `tests/reliability/permissions_data.py`, whose every
cell `tests/reliability/test_permissions_matrix.py` requests on SQLite and PostgreSQL; the test
fails when this file is stale or when the URL resolver has a page the matrix does not cover.
Do not edit by hand: change the matrix, then rewrite this file with

    THAW_WRITE_PERMISSIONS_DOC=1 .venv/bin/pytest tests/reliability/test_permissions_matrix.py

**Roles.** *student* is in the teacher's class and owns every private object a row names (their
attempts, their review and retake quizzes, their problem report, their accommodation);
*another student* is in another teacher's class; *teacher* teaches the student's class;
*another teacher* teaches only their own class; *curator* is a staff user in the `curators`
group, in no class (curators hold no permission about classes: the teachers' pages refuse
them, and a curator who teaches is put in the teachers' group too); *anonymous* is not
logged in.

A URL whose answer depends on whose object it names has one row per kind of object (the
label in parentheses), so each row's cells hold one word.

**Cells.** `ok`: 200 (for a POST also 400 for refused input, or a redirect that is not to a
login page); `login`: 302 to the login page; `admin login`: 302 to the admin's login page;
`403`, `404`: refused; `→ name`: 302 to that page.

**Leaks.** Every response (headers and body) is checked for the world's private text that its
role may not see: the student's name and username, their answer, their report's comment, the
accommodation note, their class's name, join code and assignment title, and the other class's
name, join code and student. A refused request must also change nothing in the database, and
an allowed POST must change it exactly for the roles its row says.

**The other method.** A view that takes only GET (or only POST) answers the other method with
`405` once the login and permission checks pass; a `login`, `admin login` or `403` cell stays
the same. The test checks that for every such row and role (the admin's pages excepted).

**The admin.** Every model registered in the admin has three rows: its list, one of the
world's objects opened (the student's own where there is one: their class, attempt, answer,
accommodation), and that object deleted (the POST of the confirmation page). Curators work
on the corpus, the question bank and lesson content; classes, memberships, assignments,
accommodations, attempts, answers, review cards, accounts and log-in records are refused
them (403), whatever permissions a group is given (`corpus/plumbing/admin_access.py`). A question a
student has answered cannot be deleted by a curator (it would take the answers with it),
nor the audit log or a question's versions.
"""


def render_doc(*, routes: dict[str, list[str]] | None = None) -> str:
    routes = routes if routes is not None else url_routes()
    header = "| URL | name | method | " + " | ".join(ROLE_TITLES[r] for r in ROLES) + " |"
    rule = "| --- " * (3 + len(ROLES)) + "|"
    parts = [DOC_HEADER]
    for title, rows in SECTIONS:
        parts.append(f"\n## {title}\n\n{header}\n{rule}")
        for row in rows:
            route = _display_route(routes.get(row.name, ["?"])[0])
            name = f"`{row.name}`" + (f" ({row.label})" if row.label else "")
            cells = " | ".join(row.expect[role] for role in ROLES)
            parts.append(f"| `{route}` | {name} | {', '.join(row.methods)} | {cells} |")
    admin_count = sum(1 for name in routes if name.startswith(f"{ADMIN_NAMESPACE}:"))
    parts.append(
        f"\nThe admin's other {admin_count - len(ADMIN)} URL patterns (add pages, histories, "
        "the app lists, password and autocomplete pages) sit behind the same `is_staff` check "
        "and the same model permissions as the rows above."
    )
    return "\n".join(parts) + "\n"


# --- The world ---------------------------------------------------------------------------------

OWNER_NAME = "Zinaida Secretova"
OTHER_STUDENT_NAME = "Boris Otherov"
OWNER_ANSWER = "Malenkov-as-the-student-answered"
OWNER_TASK_ANSWER = "Rettie-heard-it-as-the-student-wrote"
REPORT_COMMENT = "Private complaint number 4471"
ACCOMMODATION_NOTE = "Private accommodation note 5582"
CLASS_A_NAME = "Secret class 10Z"
CLASS_A_CODE = "SECRETA7"
CLASS_B_NAME = "Other class 9Y"
CLASS_B_CODE = "QTHERB9X"
ASSIGNMENT_TITLE = "Secret assignment 77"


def build_world() -> World:
    """The users, classes and private objects every cell is tried against."""
    import datetime

    from django.utils import timezone

    from corpus.models import Proposal
    from lessons.accounts.roles import CURATORS, ensure_role_groups
    from lessons.classes.assignments import allow_retake, create_assignment, set_accommodation
    from quizzes.models import Quiz, Response
    from quizzes.reports import submit_report
    from tests.factories import (
        make_attempt,
        make_event,
        make_finished_attempt,
        make_module,
        make_note,
        make_passages,
        make_question,
        make_quiz,
        make_reference_work,
        make_school_class,
        make_section,
        make_source,
        make_teacher,
        make_term,
        make_user,
    )

    owner = make_user(username="zinaida-owner", first_name=OWNER_NAME)
    other_student = make_user(username="boris-other", first_name=OTHER_STUDENT_NAME)
    teacher = make_teacher(username="tamara-teacher", first_name="Tamara Teacher")
    other_teacher = make_teacher(username="oleg-teacher", first_name="Oleg Teacher")
    curator = make_user(username="kostya-curator", first_name="Kostya Curator", is_staff=True)
    curator.groups.add(ensure_role_groups()[CURATORS])

    class_a = make_school_class(
        name=CLASS_A_NAME, join_code=CLASS_A_CODE, teachers=[teacher], students=[owner]
    )
    class_b = make_school_class(
        name=CLASS_B_NAME,
        join_code=CLASS_B_CODE,
        teachers=[other_teacher],
        students=[other_student],
    )
    open_class = make_school_class(name="Open class", join_code="WELCME23")

    source = make_source(slug="matrix-source", title="Matrix source")
    passages = make_passages(source=source, count=4)
    work = make_reference_work(slug="matrix-work")
    note = make_note(slug="matrix-note", on=[passages[0]], references=[(work, "p. 1")])
    proposal = Proposal.objects.create(
        slug="matrix-proposal", kind="person", name="Matrix Person", quote=passages[0].text,
        source=passages[0].source,
    )  # fmt: skip
    term = make_term(slug="matrix-term")
    make_event()
    module = make_module(slug="matrix-lesson")
    make_section(module=module, slug="matrix-section")
    public_questions = [make_question(passage=p) for p in passages[:3]]
    class_source = make_source(slug="class-source")
    class_passages = make_passages(source=class_source, count=2)
    secret_question = make_question(
        passage=class_passages[0],
        options=[
            {"id": "a", "text": "Beria"},
            {"id": "b", "text": OWNER_ANSWER},
            {"id": "c", "text": "Yezhov"},
        ],
        answer=["a"],
    )
    second_question = make_question(passage=class_passages[1])

    public_quiz = make_quiz(title="Public practice quiz", questions=public_questions)
    test_quiz = make_quiz(title="Public test", questions=public_questions, mode=Quiz.Mode.TEST)
    practice_attempt = make_finished_attempt(
        quiz=public_quiz,
        user=owner,
        results=[(public_questions[0], True), (public_questions[1], False)],
    )
    open_attempt = make_attempt(quiz=test_quiz, user=owner)

    assignment_a = create_assignment(
        school_class=class_a,
        teacher=teacher,
        what="picked",
        question_ids=[secret_question.pk, second_question.pk],
        title=ASSIGNMENT_TITLE,
        rules={"mode": Quiz.Mode.TEST},
    )
    assignment_attempt = make_finished_attempt(
        quiz=assignment_a.quiz,
        user=owner,
        results=[(secret_question, False), (second_question, True)],
    )
    # The student's own wrong answer, as they gave it (the factory records "z").
    Response.objects.filter(attempt=assignment_attempt, question=secret_question).update(
        answer=["b"]
    )
    assignment_b = create_assignment(
        school_class=class_b,
        teacher=other_teacher,
        what="picked",
        question_ids=[public_questions[2].pk],
        title="Other class assignment",
        rules={},
    )
    other_attempt = make_finished_attempt(
        quiz=assignment_b.quiz, user=other_student, results=[(public_questions[2], True)]
    )
    retake = allow_retake(assignment=assignment_a, student=owner, teacher=teacher)
    review_quiz = make_quiz(
        title="Zinaida's review", kind=Quiz.Kind.REVIEW, owner=owner, questions=public_questions
    )
    set_accommodation(
        assignment=assignment_a,
        student_id=owner.pk,
        time_multiplier=None,
        extra_minutes=5,
        extra_attempts=1,
        due_at=timezone.now() + datetime.timedelta(days=30),
        note=ACCOMMODATION_NOTE,
    )
    # On another question than `question`: a student reports a question once until it is
    # resolved, and the report row has the student report `question`.
    report = submit_report(
        user=owner, question=public_questions[0], reason="other", comment=REPORT_COMMENT
    )

    # The student's handed-in answer to the lesson's source-analysis task: theirs and their
    # class's teachers' to read (lessons.modules.work_views.class_written_answers).
    from lessons.models import SourceTask, TaskAnswer, TaskDocument, TaskStep

    moment = timezone.now()
    task = SourceTask.objects.create(module=module, title="Matrix task")
    TaskDocument.objects.create(
        task=task, ordinal=1, heading="A", passage=passages[0], source_slug=source.slug, quote="x"
    )
    steps = [
        TaskStep.objects.create(task=task, kind=kind, ordinal=n, question=f"{kind}?")
        for n, kind in enumerate(TaskStep.Kind.values, 1)
    ]
    for step in steps:
        TaskAnswer.objects.create(
            step=step, student=owner, text=OWNER_TASK_ANSWER, updated_at=moment, submitted_at=moment
        )

    # An LMS registered with Thaw (which also makes Thaw's first LTI key).
    from lessons.lti.registration import PlatformFields, register_platform

    lti_platform = register_platform(
        fields=PlatformFields(
            name="Registered LMS",
            issuer="https://registered-lms.example.org",
            client_id="registered-client",
            auth_url="https://registered-lms.example.org/auth",
            token_url="https://registered-lms.example.org/token",
            keyset_url="https://registered-lms.example.org/jwks",
            deployment_ids=("registered-deployment",),
        )
    )

    admin_objects = _admin_objects(
        owner=owner,
        class_a=class_a,
        assignment_a=assignment_a,
        assignment_attempt=assignment_attempt,
        retake=retake,
        question=public_questions[1],
        report=report,
        curator=curator,
        teachers_group=teacher.groups.get(),
    )

    student_side = frozenset({"student", "teacher"})
    other_side = frozenset({"other_student", "other_teacher"})
    markers = (
        Marker(OWNER_NAME, frozenset({"student", "teacher", "curator"})),
        Marker(owner.username, frozenset({"student", "teacher", "curator"})),
        Marker(OWNER_ANSWER, frozenset({"student", "teacher", "curator"})),
        Marker(REPORT_COMMENT, frozenset({"student", "curator"})),
        Marker(ACCOMMODATION_NOTE, student_side),
        Marker(CLASS_A_NAME, student_side),
        Marker(CLASS_A_CODE, student_side),
        Marker(ASSIGNMENT_TITLE, student_side),
        Marker(OWNER_TASK_ANSWER, student_side),
        Marker(OTHER_STUDENT_NAME, other_side),
        Marker(CLASS_B_NAME, other_side),
        Marker(CLASS_B_CODE, other_side),
    )
    return World(
        users={
            "student": owner,
            "other_student": other_student,
            "teacher": teacher,
            "other_teacher": other_teacher,
            "curator": curator,
        },
        class_a=class_a.pk,
        class_b=class_b.pk,
        open_class_code=open_class.join_code,
        owner=owner.pk,
        other_student=other_student.pk,
        other_teacher_username=other_teacher.username,
        assignment_a=assignment_a.pk,
        assignment_b=assignment_b.pk,
        public_quiz=public_quiz.pk,
        assignment_quiz=assignment_a.quiz_id,
        review_quiz=review_quiz.pk,
        retake_quiz=retake.quiz_id,
        practice_attempt=practice_attempt.pk,
        open_attempt=open_attempt.pk,
        open_question=open_attempt.question_ids[0],
        assignment_attempt=assignment_attempt.pk,
        other_attempt=other_attempt.pk,
        question=public_questions[1].pk,
        report=report.pk,
        source_slug=source.slug,
        passage_key=passages[0].key,
        term_slug=term.slug,
        module_slug=module.slug,
        markers=markers,
        note_slug=note.slug,
        work_slug=work.slug,
        proposal=proposal.pk,
        task_step=steps[0].pk,
        lti_platform=lti_platform.pk,
        admin_objects=admin_objects,
    )


def _admin_objects(**world) -> dict[str, str]:
    """An object of each model in the admin: the student's private ones where they exist,
    and one made here for the models the world has none of."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib import admin
    from django.utils import timezone

    from corpus.models import EditorialDeletion, SourceErrata, SourceFile
    from corpus.plumbing import audit
    from lessons.models import PasswordChangeRequired
    from quizzes.models import GenerationRun, ItemStatistics, QuizOverride
    from quizzes.review import schedule_answers
    from quizzes.revision import snapshot
    from tests.factories import make_user

    owner, question = world["owner"], world["question"]
    snapshot(question=question)
    ItemStatistics.objects.create(question=question, responses=1, computed_at=timezone.now())
    GenerationRun.objects.create(seed=1956)
    EditorialDeletion.objects.create(what="note", slug="gone-note")
    source = question.source
    SourceFile.objects.create(source=source, name=f"{source.slug}.md", text="# Uploaded\n")
    SourceErrata.objects.update_or_create(source=source, defaults={"text": ""})
    audit.record(user=world["curator"], action="matrix.check", obj=question, changes={})
    schedule_answers(user_id=owner.pk, results={question.pk: False}, now=timezone.now())
    # Not the owner: the flag would send their every page to the password change.
    PasswordChangeRequired.objects.create(user=make_user(username="roster-pupil"))
    seen = {"ip_address": "10.9.9.9", "user_agent": "matrix", "username": owner.username}
    AccessAttempt.objects.create(failures_since_start=1, get_data="", post_data="", **seen)
    AccessLog.objects.create(**seen)
    AccessFailureLog.objects.create(locked_out=False, **seen)
    private = {
        "lessons.schoolclass": world["class_a"],
        "lessons.assignment": world["assignment_a"],
        "lessons.retake": world["retake"],
        "quizzes.quiz": world["assignment_a"].quiz,
        "quizzes.audience": world["class_a"].audience,
        "quizzes.attempt": world["assignment_attempt"],
        "quizzes.response": world["assignment_attempt"].responses.first(),
        "quizzes.quizoverride": QuizOverride.objects.get(user=owner),
        "quizzes.question": question,
        "quizzes.problemreport": world["report"],
        "auth.user": owner,
        "auth.group": world["teachers_group"],
    }
    found = {}
    for model in admin.site._registry:
        label = model._meta.label_lower
        obj = private.get(label) or model.objects.order_by("pk").first()
        assert obj is not None, f"the permissions world has no {label} for the admin rows"
        found[label] = str(obj.pk)
    return found
