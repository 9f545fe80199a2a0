"""Every endpoint, fuzzed: random, oversized and malformed requests never get a 500.

The URL patterns come from Django's resolver (recursively, namespaces included), so a new
endpoint is fuzzed as soon as it is routed. Each one gets, from hypothesis:

- a role (mostly the one the page is for: a student, the class's teacher, a curator, an
  administrator, or nobody for the log-in pages; sometimes another role),
- its URL keyword arguments: the world's real objects or random ids and slugs (huge too),
- a GET with a random query string, or a POST with the real field names of the forms that
  post to it (read from the rendered pages) holding junk, valid values, repeats and omissions,
  and random files where the form takes an upload,
- htmx headers on or off.

Random examples rarely hit the one value that breaks one field, so every real request (the
page's role, real objects, valid values) is also sent with one parameter at a time replaced
by each of a few hostile values (`mutations`).

The Django test client re-raises a view's exception, so a 500 fails the test with its
traceback. A POST that is refused (status >= 400, an error message, a form shown again with
its errors) must leave every table of Thaw and the accounts as it was. Each example runs in a savepoint that
is rolled back, so the world is the same for every example.
"""

from __future__ import annotations

import contextlib
import inspect
import re
import time
import traceback
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urlencode

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.contrib.messages import constants as message_levels
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import (
    NoReverseMatch,
    Resolver404,
    URLPattern,
    URLResolver,
    get_resolver,
    resolve,
    reverse,
)
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from lessons.accounts.roles import CURATORS, ensure_role_groups
from quizzes.models import ProblemReport, QuizOverride
from tests.factories import (
    make_assignment,
    make_attempt,
    make_event,
    make_finished_attempt,
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
from tests.reliability.figures import record
from tests.reliability.permissions_data import CURATOR_ADMIN

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# Examples per endpoint: Thaw's own pages get more than the admin's (Django's code,
# configured by us); the whole run takes under 90 seconds per engine on two busy cores.
APP_EXAMPLES = 16
ADMIN_EXAMPLES = 3

# --- a small world ------------------------------------------------------------------------

SOURCE_TEXT = """Fuzz Source

The first paragraph of the fuzzing source names Stalin and the Congress of 1956.

The second paragraph says the speech was delivered to a closed session.

The third paragraph is about the Thaw that followed it.
"""
MANIFEST = """[[work]]
slug = "fuzz-work"
title = "Fuzz work"
kind = "speech"
date = "1956-02-25"
ordinal = 1
summary = ""

[[source]]
slug = "fuzz-manifest-source"
work = "fuzz-work"
file = "fuzz.txt"
profile = "generic"
ordinal = 1
title = "Fuzz manifest source"
kind = "other"
author = ""
date = "1956"
date_display = "1956"
language = "English"
translator = ""
citation = ""
url = ""
"""


@dataclass
class World:
    users: dict[str, User | None]
    real: dict[str, list]  # URL keyword argument name -> real values, by endpoint family


@pytest.fixture
def data_dir(tmp_path, settings):
    """A tiny corpus data directory: the curation pages write and reload it quickly."""
    target = tmp_path / "data"
    (target / "sources").mkdir(parents=True)
    (target / "errata").mkdir()
    (target / "sources" / "fuzz.txt").write_text(SOURCE_TEXT, encoding="utf-8")
    (target / "sources.toml").write_text(MANIFEST, encoding="utf-8")
    (target / "glossary.toml").write_text("", encoding="utf-8")
    (target / "timeline.toml").write_text("", encoding="utf-8")
    settings.CORPUS_DATA_DIR = target
    return target


def build_world(data_dir) -> World:
    from django.core.management import call_command

    call_command("load_corpus", verbosity=0)
    teacher = make_teacher(first_name="Tamara")
    student = make_user(first_name="Sasha")
    outsider = make_user(first_name="Olga")
    curator = make_user(is_staff=True, first_name="Konstantin")
    curator.groups.add(ensure_role_groups()[CURATORS])
    admin = make_user(is_staff=True, is_superuser=True, username="fuzz-admin")

    source = make_source(slug="fuzz-source")
    passages = make_passages(source=source, count=4)
    questions = [make_question(passage=p) for p in passages[:3]]
    chronology = make_question(
        passage=passages[3],
        type="chronology",
        options=[{"id": "a", "text": "First"}, {"id": "b", "text": "Second"}],
        answer=["a", "b"],
    )
    term = make_term()
    term.citations.add(passages[0])
    event = make_event()
    work = make_reference_work()
    note = make_note(on=[passages[0]], terms=[term], references=[(work, "p. 1")])
    section = make_section(body='Read **this** [^fuzz-source: "Passage 1 of"] closely.')

    school_class = make_school_class(teachers=[teacher], students=[student])
    quiz = make_quiz(questions=[*questions, chronology])
    assignment = make_assignment(school_class=school_class, quiz=quiz, teacher=teacher)
    QuizOverride.objects.create(quiz=quiz, user=student, extra_minutes=5)
    done = make_finished_attempt(quiz=quiz, user=student, results=[(questions[0], True)])
    practice = make_quiz(questions=[*questions, chronology])
    open_attempt = make_attempt(quiz=practice, user=student)
    report = ProblemReport.objects.create(
        question=questions[0], question_version=1, user=student, reason="other", comment="Odd."
    )
    uid = urlsafe_base64_encode(force_bytes(student.pk))
    token = default_token_generator.make_token(student)
    real = {
        "class": [school_class.pk],
        "question": [q.pk for q in [*questions, chronology]],
        "report": [report.pk],
        "quiz": [quiz.pk, practice.pk],
        "attempt": [open_attempt.pk, done.pk],
        "student_pk": [student.pk, outsider.pk],
        "assignment_pk": [assignment.pk],
        "attempt_pk": [done.pk, open_attempt.pk],
        "lesson": [section.module.slug],
        "term": [term.slug],
        "event": [event.slug],
        "source": [source.slug, "fuzz-manifest-source"],
        "note": [note.slug],
        "work": [work.slug],
        "key": [p.key for p in passages],
        "which": ["glossary", "timeline"],
        "uidb64": [uid],
        "token": [token, "set-password"],
    }
    users = {
        "anonymous": None,
        "student": student,
        "outsider": outsider,
        "teacher": teacher,
        "curator": curator,
        "admin": admin,
    }
    return World(users=users, real=real)


# --- the endpoints ------------------------------------------------------------------------


@dataclass
class Endpoint:
    name: str  # namespaced URL name
    route: str
    kwargs: dict[str, str]  # keyword argument -> converter name
    module: str
    callback: object
    methods: list[str] = field(default_factory=lambda: ["GET", "POST"])
    fields: dict[str, set[str]] = field(default_factory=dict)  # form field -> values seen
    files: set[str] = field(default_factory=set)  # file fields
    query: dict[str, set[str]] = field(default_factory=dict)  # query parameter -> values seen

    @property
    def is_admin(self) -> bool:
        return self.name.startswith("admin:")


def _converter_name(converter) -> str:
    return type(converter).__name__.removesuffix("Converter").lower()


def endpoints() -> list[Endpoint]:
    """Every named URL pattern of the project, namespaces included."""
    found: list[Endpoint] = []

    def walk(resolver: URLResolver, prefix: str, namespace: str, converters: dict) -> None:
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            these = {**converters, **getattr(pattern.pattern, "converters", {})}
            if isinstance(pattern, URLResolver):
                inner = ":".join(n for n in (namespace, pattern.namespace) if n)
                walk(pattern, route, inner, these)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                kwargs = {k: _converter_name(c) for k, c in these.items()}
                # A regular-expression route (the admin's app list) names its groups only.
                kwargs |= {k: "regex" for k in pattern.pattern.regex.groupindex if k not in kwargs}
                found.append(
                    Endpoint(name, route, kwargs, pattern.callback.__module__, pattern.callback)
                )

    walk(get_resolver(), "", "", {})
    # One endpoint per name (Django reverses a name to its last pattern).
    return list({e.name: e for e in found}.values())


def primary_role(endpoint: Endpoint) -> str:
    name, module = endpoint.name, endpoint.module
    if endpoint.is_admin:
        # The admin pages a curator is refused (permissions_data.CURATOR_ADMIN) are fuzzed
        # as the administrator who may open them; the curator's 403 is the matrix's test.
        refused = [label.replace(".", "_") for label, can in CURATOR_ADMIN.items() if not can]
        return "admin" if any(name.startswith(f"admin:{m}_") for m in refused) else "curator"
    if name in {"login", "accounts:signup"} or name.startswith("password_reset"):
        return "anonymous"
    if name == "curation:report":
        return "student"
    if name.startswith("curation:"):
        return "curator"
    if module.endswith("teacher_views"):
        return "teacher"
    return "student"


def _admin_model(endpoint: Endpoint):
    """The model of an admin URL such as `admin:corpus_source_change`."""
    for model in apps.get_models():
        for action in ("change", "delete", "history"):
            if endpoint.name == f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}":
                return model
    return None


def real_values(endpoint: Endpoint, kwarg: str, world: World) -> list:
    """The world's objects that this endpoint's keyword argument can name."""
    name, real = endpoint.name, world.real
    if endpoint.is_admin:
        if kwarg == "app_label":
            return ["corpus", "quizzes", "lessons", "auth"]
        if kwarg == "object_id" and (model := _admin_model(endpoint)) is not None:
            return [str(pk) for pk in model.objects.values_list("pk", flat=True)[:3]] or ["1"]
        return ["1"]
    if kwarg == "pk":
        if name.startswith(("classes:teacher_", "modules:teacher_")):
            return real["class"]
        if name == "curation:resolve":
            return real["report"]
        if name.startswith("curation:"):
            return real["question"]
        if name.startswith("quizzes:quiz_"):
            return real["quiz"]
        if name.startswith("quizzes:attempt_"):
            return real["attempt"]
    if kwarg == "slug":
        if name.startswith("curation:editorial:note"):
            return real["note"]
        if name.startswith("curation:editorial:work"):
            return real["work"]
        if name.startswith("modules:lesson"):
            return real["lesson"]
        if name.startswith("corpus:glossary"):
            return real["term"]
        return real["source"]
    return real.get(kwarg, [])


def random_kwarg(converter: str) -> st.SearchStrategy:
    if converter == "int":
        return st.one_of(st.integers(0, 50), st.integers(0, 2**80), st.sampled_from([2**63]))
    if converter == "regex":
        return st.nothing()  # only the real values match
    if converter == "slug":
        return st.from_regex(r"[-a-zA-Z0-9_]{1,120}", fullmatch=True)
    if converter == "path":
        return st.text(min_size=1, max_size=60).filter(lambda s: s.strip("/"))
    # str (and anything else): no slash, at least one character.
    return st.text(min_size=1, max_size=60).filter(lambda s: "/" not in s)


# --- hostile values -----------------------------------------------------------------------

NASTY = [
    "",
    " ",
    "0",
    "-1",
    "-0",
    "1.5",
    "1e309",
    "NaN",
    "inf",
    "-99999999999999999999999",
    "9" * 30,
    "9" * 5000,  # more digits than int() accepts
    "²",  # a digit to str.isdigit(), not to int()
    "١٢",  # Arabic-Indic digits
    "\x00",
    "a\x00b",
    "'; DROP TABLE auth_user; --",
    '" OR 1=1 --',
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "../../../etc/passwd",
    "%00%0d%0a",
    "{{ 7|add:7 }}{% debug %}",
    "%s%s%s%n",
    "\u202e\u200b\ufeff",
    "😀🇺🇦",
    "Ё" * 3000,
    "x" * 100_000,
    "true",
    "on",
    "null",
    "[]",
    '{"a": 1}',
    "1,2,,3,-4,x",
    ",,,",
    "2026-13-45T25:61",
    "9999-12-31T23:59",
    "0001-01-01T00:00",
    "\r\n\t",
    '=HYPERLINK("http://x")',
    "up:a",
    "down:zzz",
    "a" * 151,
]
values = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
QUERY_KEYS = [
    "page",
    "q",
    "kind",
    "show",
    "format",
    "scope",
    "status",
    "type",
    "source",
    "passages",
    "score_min",
    "score_max",
    "flag",
    "next",
    "code",
    "o",
    "p",
    "all",
    "_changelist_filters",
    "e",
]
GENERIC_FIELDS = ["next", "confirm", "preview", "move", "choice", "order", "question", "junk"]

# Files a form may be sent instead of what it expects.
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 4
UPLOADS = [
    ("empty.csv", b""),
    ("roster.csv", b"username,display_name\nfuzz-student-1,Fuzz One\n"),
    ("roster.csv", ZIP),  # a zip disguised as CSV
    ("text.txt", "Ёлка\n\nA paragraph of text.\n".encode("utf-16")),
    ("binary.txt", b"\x00\x01\x02\xff" * 64),
    ("latin1.md", "Caf\xe9 au lait.\n".encode("latin-1")),
    ("bank.json", b'{"format": "thaw-questions", "questions": [{"type": 5}]}'),
    ("bank.json", b'{"format": "thaw-questions", "questions": "nope"}'),
    ("bank.gift", b"::Q1:: What? {=yes ~no}"),
    ("bank.xml", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><quiz>&a;</quiz>'),
    ("../../escape.txt", b"Path traversal in the file name.\n\nSecond paragraph.\n"),
    ("huge.txt", b"a" * (6 * 1024 * 1024)),  # over every documented limit
]
uploads = st.one_of(
    st.sampled_from(UPLOADS),
    st.tuples(st.sampled_from(["x.csv", "x.txt", "x.json", "x.md", "x.exe", "x"]), st.binary()),
)


NUMBERS = ["", "-1", "0", "²", "١٢", "9" * 30, "9" * 5000, str(2**63), "1e309", "1.5", "NaN"]


def field_values(seen: set[str], *, repeat: bool = True) -> st.SearchStrategy:
    options = [values]
    if seen:
        options.append(st.sampled_from(sorted(seen)))
        # A field whose values are numbers (a page, a position, an id) gets hostile numbers.
        if all(v.lstrip("-").isdigit() for v in seen):
            options += [st.sampled_from(NUMBERS)] * 2
    one = st.one_of(*options)
    # A field sent once, or repeated (a list is a repeated field to the test client).
    return st.one_of(one, one, st.lists(one, min_size=2, max_size=4)) if repeat else one


# Django's admin trusts the ids its own action checkboxes send: a forged non-number there
# is a 500 inside Django's code (reachable by staff only, never by a student), so that
# field gets the ids the page offered.
DJANGO_TRUSTED = {"_selected_action"}


@st.composite
def form_data(draw, endpoint: Endpoint) -> dict:
    names = sorted(endpoint.fields) or GENERIC_FIELDS
    chosen = draw(st.lists(st.sampled_from(names), unique=True, max_size=len(names)))
    if draw(st.integers(0, 3)) == 0:  # sometimes every field, as the browser sends them
        chosen = names
    data = {name: draw(field_values(endpoint.fields.get(name, set()))) for name in chosen}
    for name in DJANGO_TRUSTED & set(data):
        data[name] = sorted(endpoint.fields[name]) or ["1"]
    if draw(st.booleans()):
        data[draw(st.sampled_from([*GENERIC_FIELDS, "x" * 300, "\x00"]))] = draw(values)
    for name in sorted(endpoint.files):
        if draw(st.integers(0, 4)):
            filename, content = draw(uploads)
            data[name] = SimpleUploadedFile(filename, content)
    return data


@st.composite
def requests(draw, endpoint: Endpoint, world: World) -> dict:
    # Most bugs hide behind the page's real use: its role and real objects, mostly.
    role = draw(
        st.one_of(*[st.just(primary_role(endpoint))] * 4, st.sampled_from(sorted(world.users)))
    )
    kwargs = {}
    for kwarg, converter in endpoint.kwargs.items():
        real = real_values(endpoint, kwarg, world)
        choices = [st.sampled_from(real)] * 5 if real else []
        kwargs[kwarg] = draw(st.one_of(*choices, random_kwarg(converter)))
    method = draw(st.sampled_from(endpoint.methods))
    known = sorted(endpoint.query)
    keys = (
        st.one_of(*[st.sampled_from(known)] * 3, st.sampled_from(QUERY_KEYS))
        if known
        else st.sampled_from(QUERY_KEYS)
    )
    query = {}
    for key in draw(st.lists(keys, unique=True, max_size=4)):
        query[key] = draw(field_values(endpoint.query.get(key, set()), repeat=False))
    return {
        "role": role,
        "kwargs": kwargs,
        "method": method,
        "query": query,
        "data": draw(form_data(endpoint)) if method == "POST" else None,
        "htmx": draw(st.booleans()),
    }


# --- reading forms off pages --------------------------------------------------------------


class FormReader(HTMLParser):
    """Each <form>: where it posts and its fields (with the values the page offers)."""

    def __init__(self, page_path: str) -> None:
        super().__init__()
        self.page_path = page_path
        self.forms: list[dict] = []
        self.current: dict | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        attrs = dict(attrs)
        if tag == "form":
            action = attrs.get("action") or attrs.get("hx-post") or self.page_path
            method = "GET" if (attrs.get("method") or "get").lower() == "get" else "POST"
            if attrs.get("hx-post"):
                method = "POST"
            self.current = {"action": action, "method": method, "fields": {}, "files": set()}
            self.forms.append(self.current)
            return
        # Links carry the query parameters a page understands (?page=2, ?q=3, ?kind=...).
        for attr in ("href", "hx-get"):
            if "?" in (attrs.get(attr) or ""):
                path, query = attrs[attr].split("#", 1)[0].split("?", 1)
                fields = {k: {v} for k, v in parse_qsl(query, keep_blank_values=True)}
                self.forms.append(
                    {"action": path, "method": "GET", "fields": fields, "files": set()}
                )
        # htmx buttons post without a form; a button's own hx-post names its target.
        if tag == "button" and attrs.get("hx-post") and self.current is None:
            self.forms.append(
                {"action": attrs["hx-post"], "method": "POST", "fields": {}, "files": set()}
            )
        if self.current is None or tag not in ("input", "select", "textarea", "button", "option"):
            return
        if tag == "option":
            if self.current.get("select") and attrs.get("value") is not None:
                self.current["fields"][self.current["select"]].add(attrs["value"])
            return
        name = attrs.get("name")
        if not name:
            return
        values = self.current["fields"].setdefault(name, set())
        if attrs.get("type") == "file":
            self.current["files"].add(name)
        elif attrs.get("value") is not None:
            values.add(attrs["value"])
        if tag == "select":
            self.current["select"] = name

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None
        elif tag == "select" and self.current is not None:
            self.current.pop("select", None)


def harvest_forms(endpoint_by_path, html: str, page_path: str) -> None:
    reader = FormReader(page_path)
    reader.feed(html)
    for form in reader.forms:
        path = form["action"].split("?", 1)[0].split("#", 1)[0] or page_path
        target = endpoint_by_path(path)
        if target is None:
            continue
        fields = target.query if form["method"] == "GET" else target.fields
        for name, seen in form["fields"].items():
            if name != "csrfmiddlewaretoken":
                fields.setdefault(name, set()).update(seen)
        target.files |= form["files"]


# --- running ------------------------------------------------------------------------------

# Signs that a POST was refused, whatever the status: a form shown again with its errors.
REFUSED_MARKERS = (
    'class="field-error',
    'class="form-error',
    'class="form-errors',
    'class="quiz-error',
    "errorlist",
    "errornote",
    "roster-problems",
    "message-error",
)
# The tables a refused POST must not change: Thaw's and the accounts.
COUNTED_APPS = ("corpus", "quizzes", "lessons", "auth")


def row_counts() -> dict[str, int]:
    # One statement for every table: through the ORM, sixty-odd COUNT queries before and
    # after each POST were 40 % of this test's time. It counts the tables' rows, not a
    # default manager's, so no row can change unseen.
    tables = sorted(
        {
            m._meta.db_table
            for m in apps.get_models(include_auto_created=True)
            if m._meta.app_label in COUNTED_APPS
        }
    )
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables))
        return dict(zip(tables, cursor.fetchone(), strict=True))


def was_refused(response) -> bool:
    if response.status_code >= 400:
        return True
    queued = getattr(getattr(response.wsgi_request, "_messages", None), "_queued_messages", [])
    if any(m.level >= message_levels.ERROR for m in queued):
        return True
    if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
        body = response.content.decode("utf-8", "replace")
        return any(marker in body for marker in REFUSED_MARKERS)
    return False


@dataclass
class Stats:
    endpoints: int = 0
    examples: int = 0
    mutations: int = 0
    gets: int = 0
    posts: int = 0
    refused_posts: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # per endpoint, to keep it bounded


class Rollback(Exception):
    """Raised inside the savepoint to undo the example's writes."""


@contextlib.contextmanager
def rolled_back():
    with contextlib.suppress(Rollback), transaction.atomic():
        yield
        raise Rollback


def send(clients: dict[str, Client], cookies, endpoint: Endpoint, request: dict, stats: Stats):
    client = clients[request["role"]]
    # A logout or a password change in an earlier example must not leak into this one.
    client.cookies = SimpleCookie(cookies[request["role"]])
    try:
        path = reverse(endpoint.name, kwargs=request["kwargs"])
    except NoReverseMatch:  # e.g. a newline in a <str:...> argument: no such URL
        reject()
    headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "main"} if request["htmx"] else {}
    with rolled_back():
        if request["method"] == "GET":
            stats.gets += 1
            response = client.get(path, request["query"], **headers)
        else:
            stats.posts += 1
            before = row_counts()
            query = "?" + urlencode(request["query"], doseq=True) if request["query"] else ""
            response = client.post(path + query, request["data"], **headers)
            if was_refused(response):
                stats.refused_posts += 1
                after = row_counts()
                changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
                assert not changed, (
                    f"POST {path} was refused ({response.status_code}) but changed rows: {changed}"
                )
        stats.statuses[response.status_code] = stats.statuses.get(response.status_code, 0) + 1
        assert response.status_code < 500, f"{request['method']} {path}: {response.status_code}"


def probe(clients, cookies, endpoint: Endpoint, world: World, by_path, stats: Stats) -> None:
    """Request the endpoint as its role would, once per method, to learn which methods it
    takes and to read the forms on its page."""
    role = primary_role(endpoint)
    kwargs = {k: (real_values(endpoint, k, world) or ["1"])[0] for k in endpoint.kwargs}
    try:
        path = reverse(endpoint.name, kwargs=kwargs)
    except NoReverseMatch:  # no real value for a kwarg: it is fuzzed at random
        return
    allowed = []
    for method in ("GET", "POST"):
        client = clients[role]
        client.cookies = SimpleCookie(cookies[role])
        try:
            with rolled_back():
                response = getattr(client, method.lower())(path)
        except Exception as error:  # gather every endpoint's failure, then fail
            stats.failures.append(failure(endpoint, f"{method} {path} as {role}", error))
            continue
        if response.status_code != 405:
            allowed.append(method)
        html = response.get("Content-Type", "").startswith("text/html")
        if method == "GET" and response.status_code == 200 and html:
            harvest_forms(by_path, response.content.decode(), path)
    endpoint.methods = allowed or ["GET", "POST"]
    # Parameters the view reads straight from the request, though no page links to them yet.
    for method, name in parameters_read_by(endpoint.callback):
        (endpoint.query if method == "GET" else endpoint.fields).setdefault(name, set())


READS = re.compile(r"request\.(GET|POST)(?:\.get|\.getlist|\.pop)?[\(\[]\s*[\"'](\w+)[\"']")


def parameters_read_by(view) -> set[tuple[str, str]]:
    try:
        source = inspect.getsource(inspect.unwrap(view))
    except (OSError, TypeError):
        return set()
    return set(READS.findall(source))


# One hostile value at a time, in an otherwise real request: what random examples rarely hit.
HOSTILE = [
    "²",
    "9" * 5000,
    str(2**63),
    "-1",
    "\x00",
    '"><img src=x onerror=alert(1)>',
    "",
    "x" * 100_000,
]


def mutations(endpoint: Endpoint, world: World) -> list[dict]:
    """The endpoint's real request (its role, real objects, valid field values) with one
    query parameter or form field replaced by each hostile value."""
    if endpoint.is_admin:  # Django's own forms: the random examples are enough there
        return []
    kwargs = {}
    for kwarg in endpoint.kwargs:
        real = real_values(endpoint, kwarg, world)
        if not real:
            return []
        kwargs[kwarg] = real[0]
    base = {
        name: sorted(seen)[0] if seen else "Fuzz text" for name, seen in endpoint.fields.items()
    }
    found = []
    for method in endpoint.methods:
        params = endpoint.query if method == "GET" else {**endpoint.query, **endpoint.fields}
        for name in sorted(params):
            for n, value in enumerate(HOSTILE):
                in_query = method == "GET" or name not in endpoint.fields
                query = {name: value} if in_query else {}
                data = None
                if method == "POST":
                    data = {**base, **({} if in_query else {name: value})}
                    data |= {
                        f: SimpleUploadedFile("x.txt", b"Some text.\n") for f in endpoint.files
                    }
                found.append(
                    {
                        "role": primary_role(endpoint),
                        "kwargs": kwargs,
                        "method": method,
                        "query": query,
                        "data": data,
                        "htmx": bool(n % 2),
                    }
                )
    return found


def failure(endpoint: Endpoint, what: str, error: Exception) -> str:
    # The last frames say where it broke; hypothesis adds the falsifying example as a note.
    trace = "".join(traceback.format_exception(error, limit=-6))
    return f"{endpoint.name} ({endpoint.route}), {what}:\n{trace}"


def test_no_endpoint_answers_500_to_random_or_malformed_requests(data_dir):
    world = build_world(data_dir)
    clients, cookies = {}, {}
    for role, user in world.users.items():
        clients[role] = Client()
        if user is not None:
            clients[role].force_login(user)
        cookies[role] = clients[role].cookies.output(header="", sep=";")

    all_endpoints = endpoints()

    def by_path(path: str) -> Endpoint | None:
        try:
            match = resolve(path)
        except Resolver404:
            return None
        return next((e for e in all_endpoints if e.name == match.view_name), None)

    stats = Stats(endpoints=len(all_endpoints))
    for endpoint in all_endpoints:
        probe(clients, cookies, endpoint, world, by_path, stats)

    started = time.monotonic()
    for endpoint in all_endpoints:
        endpoint_started = time.monotonic()
        for request in mutations(endpoint, world):
            stats.mutations += 1
            try:
                send(clients, cookies, endpoint, request, stats)
            except Exception as error:  # gather every endpoint's failure, then fail
                shown = {
                    k: (v if len(str(v)) < 80 else f"{str(v)[:60]}...") for k, v in request.items()
                }
                stats.failures.append(failure(endpoint, f"mutation {shown}", error))
        stats.seconds[f"{endpoint.name} (mutations)"] = time.monotonic() - endpoint_started
    for endpoint in all_endpoints:
        endpoint_started = time.monotonic()
        try:
            fuzz_endpoint(endpoint, world=world, clients=clients, cookies=cookies, stats=stats)
        except Exception as error:  # gather every endpoint's failure, then fail
            stats.failures.append(failure(endpoint, "fuzzed", error))
        stats.seconds[endpoint.name] = time.monotonic() - endpoint_started
    elapsed = time.monotonic() - started
    slowest = sorted(stats.seconds.items(), key=lambda item: -item[1])[:15]
    print("slowest endpoints:", *(f"{n}: {t:.1f}s" for n, t in slowest), sep="\n  ")

    app = [e for e in all_endpoints if not e.is_admin]
    record(
        "fuzzing",
        [
            f"- Endpoints fuzzed: {len(all_endpoints)} ({len(app)} of Thaw's pages and actions, "
            f"{len(all_endpoints) - len(app)} of the admin), every named URL pattern.",
            f"- Requests sent: {stats.examples} hypothesis examples ({APP_EXAMPLES} per page of "
            f"Thaw's, {ADMIN_EXAMPLES} per admin page) and {stats.mutations} one-field "
            f"mutations of real requests: {stats.gets} GET, {stats.posts} POST, of which "
            f"{stats.refused_posts} were refused and checked for half-written rows; "
            f"{elapsed:.0f} s.",
            "- Responses: "
            + ", ".join(f"{code}: {n}" for code, n in sorted(stats.statuses.items())),
            f"- Server errors (500) found in this run: {len(stats.failures)}.",
        ],
        title="Hostile input",
    )
    assert not stats.failures, "\n\n".join(stats.failures)


def fuzz_endpoint(endpoint: Endpoint, *, world: World, clients, cookies, stats: Stats) -> None:
    @settings_for(ADMIN_EXAMPLES if endpoint.is_admin else APP_EXAMPLES)
    @given(request=requests(endpoint, world))
    def fuzz(request):
        stats.examples += 1
        send(clients, cookies, endpoint, request, stats)

    fuzz()


def settings_for(examples: int):
    return settings(
        max_examples=examples,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
            HealthCheck.filter_too_much,
        ],
    )
