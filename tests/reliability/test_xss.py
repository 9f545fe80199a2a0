"""Markup typed into any field a user or curator can edit is shown as text, never run.

Every field gets a payload with its own marker: a `<script>`, an attribute breakout
(`"><img src=x onerror=...>`) and a `javascript:` URL. The payloads go in through the
real pages (sign-up, roster import, class and assignment forms, report, curation edit,
glossary and timeline files, source upload, question import), or straight into the
database where the pages refuse them (so a payload that slipped in some other way is
still inert). Then every page of the site is rendered, as a full page and as its htmx
fragment, for the roles that see it, and parsed: no script but our own static files, no
`on*` attribute, no `javascript:` URL, no raw payload, and every marker shown somewhere.
"""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models import Q
from django.test import Client
from django.urls import NoReverseMatch, reverse

from corpus.models import EditorialNote, Passage, Source
from lessons.accounts.roles import CURATORS, ensure_role_groups
from lessons.models import Assignment, SchoolClass
from lessons.modules.rendering import render_section_body
from quizzes.models import Attempt, ProblemReport, Question
from tests.factories import make_question, make_section, make_teacher, make_user
from tests.reliability.figures import record
from tests.reliability.test_fuzz import (  # the same endpoints, roles and tiny corpus
    World,
    data_dir,  # noqa: F401 - a fixture
    endpoints,
    primary_role,
    real_values,
)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

ATTACKS = (
    '<script>alert("{m}")</script>',
    '"><img src=x onerror=alert("{m}")>',
    "javascript:alert(1)",
)
RAW = ("<script>alert(", "<img src=x", "<svg onload")


def payload(marker: str) -> str:
    """A marker the test can find, followed by each attack."""
    return f"{marker} " + " ".join(a.format(m=marker) for a in ATTACKS)


# --- what "inert" means -----------------------------------------------------------------

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "hx-get", "hx-post"}
ACTIVE_TAGS = {"iframe", "object", "embed", "base", "frame", "applet"}


class Inspector(HTMLParser):
    """Everything in a page that would run: scripts not from our static files, inline
    scripts, event-handler attributes, javascript: URLs, embedded frames."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            cleaned = "".join((value or "").split()).lower()
            if name in URL_ATTRIBUTES and cleaned.startswith(
                ("javascript:", "vbscript:", "data:text")
            ):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            src = dict(attrs).get("src") or ""
            if not src.startswith(("/static/", "/admin/jsi18n/")):  # our files, same origin
                self.problems.append(f"<script src={src!r}>")
            self.in_script = True
        if tag in ACTIVE_TAGS:
            self.problems.append(f"<{tag}>")

    def handle_startendtag(self, tag: str, attrs) -> None:
        self.handle_starttag(tag, attrs)
        self.in_script = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and data.strip():
            self.problems.append(f"inline script {data.strip()[:60]!r}")


def live_markup(html: str) -> list[str]:
    inspector = Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector.problems + [f"raw {raw!r}" for raw in RAW if raw in html]


def test_the_inspector_sees_live_markup():
    # The check itself must be able to fail.
    assert live_markup('<p>"><img src=x onerror=alert(1)></p>')
    assert live_markup("<script>alert(1)</script>")
    assert live_markup('<a href=" JaVa\tscript:alert(1)">x</a>')
    assert not live_markup(
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img src=x onerror=alert(1)&gt;</p>"
        '<script src="/static/vendor/htmx.min.js" defer></script>'
    )


# --- Markdown from lessons and curators goes through nh3 ----------------------------------


def test_lesson_markdown_drops_scripts_handlers_and_javascript_links():
    body = (
        "Intro <script>alert(1)</script> and <img src=x onerror=alert(1)>.\n\n"
        '[click](javascript:alert(1)) and <a href="javascript:alert(1)">raw</a> '
        '<a href="https://example.org" onclick="alert(1)">ok</a>\n\n'
        '<iframe src="https://example.org"></iframe><style>p{}</style>'
        "\n\n> quoted **bold**"
    )
    rendered = render_section_body(body=body, glossary=[])
    assert not live_markup(rendered.html)
    assert "<iframe" not in rendered.html and "<style" not in rendered.html
    assert "<strong>bold</strong>" in rendered.html  # Markdown itself still works
    assert 'href="https://example.org"' in rendered.html


# --- the world, filled with payloads through the pages --------------------------------------


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _toml(value: str) -> str:
    return json.dumps(value)  # a JSON string is a TOML basic string


def inject_everywhere() -> tuple[World, dict[str, str], list[tuple[str, str]]]:
    """Every editable field filled with a payload; returns the world, the markers that
    must show somewhere, and (name, html) of the responses to the posts themselves."""
    call_command("load_corpus", verbosity=0)
    markers: dict[str, str] = {}
    responses: list[tuple[str, str]] = []

    def mark(name: str) -> str:
        markers[name] = f"xss{len(markers):02d}{name}"
        return payload(markers[name])

    def expect(response, status: int, what: str):
        assert response.status_code == status, (what, response.status_code, response.content[:500])
        if response.get("Content-Type", "").startswith("text/html") and status == 200:
            responses.append((what, response.content.decode()))
        return response

    teacher = make_teacher(first_name=mark("teacher_name"))
    curator = make_user(is_staff=True, first_name=mark("curator_name"))
    curator.groups.add(ensure_role_groups()[CURATORS])
    teach, curate = _client(teacher), _client(curator)

    # Glossary and timeline, through the curation reference editor.
    glossary = f"""[[term]]
slug = "xss-term"
name = {_toml(mark("term_name"))}
kind = "person"
role = "soviet-leader"
aliases = ["Stalin"]
description = {_toml(mark("term_description"))}
citations = [{{ source = "fuzz-manifest-source", quote = "names Stalin and the Congress" }}]
"""
    timeline = f"""[[event]]
slug = "xss-event"
date = 1956-02-25
precision = "day"
title = {_toml(mark("event_title"))}
description = {_toml(mark("event_description"))}
citations = [{{ source = "fuzz-manifest-source", quote = "delivered to a closed session" }}]
terms = ["xss-term"]
"""
    for which, text in (("glossary", glossary), ("timeline", timeline)):
        url = reverse("curation:reference", kwargs={"which": which})
        expect(curate.post(url, {"text": text}), 302, f"{which} saved")

    # A source document, uploaded by a curator: its text and every metadata field.
    text = "\n\n".join(
        [
            mark("source_heading"),
            f"In 1956 Khrushchev spoke to the Congress about Stalin. {mark('source_text')}",
            "The delegates listened in silence while Stalin's cult was denounced at length.",
        ]
    )
    upload = SimpleUploadedFile("xss-source.txt", text.encode())
    data = {
        "file": upload,
        "title": mark("source_title"),
        "work": mark("work_title"),
        "date": "1956",
        "kind": "other",
        "author": mark("source_author"),
        "citation": mark("source_citation"),
    }
    expect(curate.post(reverse("curation:source_upload"), data), 302, "source uploaded")
    source = Source.objects.exclude(slug="fuzz-manifest-source").get()
    passage = Passage.objects.filter(source=source, text__contains=markers["source_text"]).get()

    # A reference work and an editorial note, through the curators' forms. A note's body
    # refuses markup, so a body holding the payloads is put straight into the database.
    work = {
        "slug": "xss-work",
        "kind": "book",
        "authors": mark("work_author"),
        "title": mark("reference_title"),
        "publisher": mark("publisher"),
        "year": "2003",
        "note": mark("reference_note"),
    }
    expect(curate.post(reverse("curation:editorial:work_add"), work), 302, "reference work added")
    quoted = f'{{ source = "{source.slug}", quote = "listened in silence" }}'
    note = {
        "slug": "xss-note",
        "kind": "dispute",
        "title": mark("note_title"),
        "body": "Plain words.",
        "targets": f'{{ passage = {quoted} }}\n{{ term = "xss-term" }}\n{{ event = "xss-event" }}',
        "references": f'{{ work = "xss-work", at = {_toml(mark("locator"))} }}',
        "positions": f"{{ who = {_toml(mark('who'))}, says = {_toml(mark('says'))}, "
        'reference = { work = "xss-work", at = "p. 1" } }',
    }
    expect(curate.post(reverse("curation:editorial:note_add"), note), 302, "note added")
    url = reverse("curation:editorial:note_edit", kwargs={"slug": "xss-note"})
    refused_note = curate.post(url, {**note, "body": payload("refused")})
    assert refused_note.status_code == 400 and "HTML in its body" in refused_note.content.decode()
    responses.append(("markup note body refused", refused_note.content.decode()))
    EditorialNote.objects.filter(slug="xss-note").update(body=mark("note_body"))

    # A question whose stem and options hold payloads (the pages refuse such markup; this is
    # one that slipped in some other way), and one whose explanation a curator edits.
    smuggled = make_question(
        passage=passage,
        stem=mark("stem"),
        options=[{"id": "a", "text": mark("option")}, {"id": "b", "text": "Beria"}],
        explanation=mark("smuggled_explanation"),
    )
    edited = make_question(passage=passage)
    url = reverse("curation:edit", kwargs={"pk": edited.pk})
    fields = {"stem": edited.stem, "key": "a", "explanation": mark("explanation")}
    fields |= {f"option_{o['id']}": o["text"] for o in edited.options}
    # The edit page checks an explanation as it checks the stem (one validation for every
    # way a question is revised): markup is refused there too, and stored some other way.
    refused_explanation = curate.post(url, fields)
    assert refused_explanation.status_code == 400
    assert "markup is not allowed" in refused_explanation.content.decode()
    responses.append(("markup explanation refused", refused_explanation.content.decode()))
    type(edited).objects.filter(pk=edited.pk).update(explanation=mark("explanation"))
    refused = curate.post(url, {**fields, "stem": payload("refused")})
    assert refused.status_code == 400 and "markup is not allowed" in refused.content.decode()
    responses.append(("markup stem refused", refused.content.decode()))

    # A class, its roster, a student who signs up, an assignment and an accommodation.
    expect(
        teach.post(reverse("classes:teacher_classes"), {"name": mark("class_name")}), 302, "class"
    )
    school_class = SchoolClass.objects.get(teachers=teacher)
    roster = io.StringIO()
    csv.writer(roster).writerows(
        [["username", "display_name"], ["xss-roster-1", mark("roster_name")]]
    )
    url = reverse("classes:teacher_roster", kwargs={"pk": school_class.pk})
    roster_file = SimpleUploadedFile("roster.csv", roster.getvalue().encode())
    expect(teach.post(url, {"roster": roster_file}), 200, "roster imported")

    visitor = Client()
    signup = {
        "join_code": school_class.join_code,
        "username": "xss-student",
        "display_name": mark("display_name"),
        "password1": "a-long-password-1956",
        "password2": "a-long-password-1956",
    }
    bad_username = visitor.post(
        reverse("accounts:signup"), {**signup, "username": payload("username")}
    )
    assert bad_username.status_code == 200 and "xss-student" not in bad_username.content.decode()
    responses.append(("username refused", bad_username.content.decode()))
    expect(visitor.post(reverse("accounts:signup"), signup), 302, "signed up")
    student = school_class.memberships.get(student__username="xss-student").student

    assign = {
        "what": "picked",
        "title": mark("assignment_title"),
        "question_ids": [smuggled.pk, edited.pk],
        "mode": "practice",
        "reveal_answers": "immediately",
        "count": "10",
    }
    url = reverse("classes:teacher_assign", kwargs={"pk": school_class.pk})
    expect(teach.post(url, assign), 302, "assigned")
    assignment = Assignment.objects.get(school_class=school_class)
    url = reverse(
        "classes:teacher_accommodation",
        kwargs={"pk": school_class.pk, "assignment_pk": assignment.pk, "student_pk": student.pk},
    )
    expect(teach.post(url, {"extra_minutes": "5", "note": mark("note")}), 302, "accommodation")

    # The student takes the quiz, answers both questions and reports one.
    learn = _client(student)
    expect(
        learn.post(reverse("quizzes:quiz_start", kwargs={"pk": assignment.quiz_id})), 302, "started"
    )
    attempt = Attempt.objects.get(user=student)
    for question in (smuggled, edited):
        url = reverse("quizzes:attempt_answer", kwargs={"pk": attempt.pk})
        learn.post(url, {"question": question.pk, "choice": "a"})
    expect(
        learn.post(reverse("quizzes:attempt_finish", kwargs={"pk": attempt.pk})), 302, "finished"
    )
    # A second attempt: the question card, then the feedback card, with the payloads.
    expect(
        learn.post(reverse("quizzes:quiz_start", kwargs={"pk": assignment.quiz_id})), 302, "again"
    )
    second = Attempt.objects.filter(user=student).latest("number")
    card = learn.get(reverse("quizzes:attempt_question", kwargs={"pk": second.pk}))
    assert markers["stem"] in card.content.decode()
    responses.append(("question card", card.content.decode()))
    url = reverse("quizzes:attempt_answer", kwargs={"pk": second.pk})
    answer = {"question": smuggled.pk, "choice": "b"}
    feedback = learn.post(url, answer, HTTP_HX_REQUEST="true")
    assert markers["smuggled_explanation"] in feedback.content.decode()
    responses.append(("feedback card", feedback.content.decode()))
    url = reverse("curation:report", kwargs={"pk": smuggled.pk})
    expect(learn.post(url, {"reason": "other", "comment": mark("report")}), 302, "reported")
    report = ProblemReport.objects.get()

    # Question files: payloads in a JSON, a GIFT and a Moodle XML file, and a file name.
    item = {"type": "cloze_name", "stem": payload("imported"), "answer": ["a"]}
    item["options"] = [{"id": "a", "text": "Beria"}, {"id": "b", "text": payload("imported")}]
    files = {
        "bank.json": json.dumps({"format": "thaw-questions", "questions": [item]}),
        "bank.gift.txt": f"::{payload('gift')}:: {payload('gift')} {{={payload('gift')} ~Beria}}",
        "bank.xml": (
            '<?xml version="1.0"?><quiz><question type="multichoice"><name><text>'
            f'<![CDATA[{payload("moodle")}]]></text></name><questiontext format="html"><text>'
            f"<![CDATA[{payload('moodle')}]]></text></questiontext></question></quiz>"
        ),
        f'{mark("file_name")[:20]}"><img src=x onerror=alert(1)>.json': json.dumps(
            {"format": "thaw-questions", "questions": [{**item, "stem": "Plain stem?"}]}
        ),
    }
    for name, content in files.items():
        upload = SimpleUploadedFile(name, content.encode())
        response = curate.post(reverse("curation:import"), {"file": upload})
        assert response.status_code in (200, 400)
        responses.append((f"import preview {name}", response.content.decode()))
    confirm = curate.post(reverse("curation:import_confirm"), follow=True)
    responses.append(("import confirmed", confirm.content.decode()))
    refused_files = (
        Q(stem__contains="imported <") | Q(stem__contains="gift <") | Q(stem__contains="moodle <")
    )
    assert not Question.objects.filter(refused_files).exists()

    # A lesson whose Markdown holds every attack, raw and as links.
    section = make_section(
        title=mark("section_title"),
        body=f"{payload(mark('lesson'))}\n\n[link](javascript:alert(1)) <b onclick=alert(1)>b</b>",
    )

    world = World(
        users={"anonymous": None, "student": student, "teacher": teacher, "curator": curator},
        real={
            "class": [school_class.pk],
            "question": [smuggled.pk, edited.pk],
            "report": [report.pk],
            "quiz": [assignment.quiz_id],
            "attempt": [attempt.pk],
            "student_pk": [student.pk],
            "assignment_pk": [assignment.pk],
            "attempt_pk": [attempt.pk],
            "lesson": [section.module.slug],
            "term": ["xss-term"],
            "source": [source.slug],
            "key": [passage.key],
            "which": ["glossary", "timeline"],
            "note": ["xss-note"],
            "work": ["xss-work"],
        },
    )
    return world, markers, responses


def pages_of(world: World) -> list[tuple[str, str, str]]:
    """(role, url, name) of every page a GET can show, for its role and the curator."""
    found = []
    for endpoint in endpoints():
        if endpoint.is_admin and not endpoint.name.endswith(("_changelist", "_change")):
            continue
        kwargs = {}
        for kwarg in endpoint.kwargs:
            real = real_values(endpoint, kwarg, world)
            kwargs[kwarg] = real[0] if real else None
        if None in kwargs.values():
            continue
        try:
            url = reverse(endpoint.name, kwargs=kwargs)
        except NoReverseMatch:
            continue
        roles = {primary_role(endpoint), "curator"} - {"admin"}
        found += [(role, url, endpoint.name) for role in sorted(roles) if role in world.users]
    return found


@pytest.mark.usefixtures("data_dir")
def test_payloads_in_every_editable_field_render_inert_on_every_page():
    world, markers, responses = inject_everywhere()
    clients = {role: _client(user) for role, user in world.users.items()}
    seen: dict[str, set[str]] = {marker: set() for marker in markers.values()}
    problems, checks, pages = [], 0, 0
    shown = [(f"POST response: {what}", html) for what, html in responses]
    for role, url, name in pages_of(world):
        for htmx in (False, True):
            headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
            response = clients[role].get(url, **headers)
            assert response.status_code < 500
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                shown.append(
                    (
                        f"{name} {url} as {role}{' (htmx)' if htmx else ''}",
                        response.content.decode(),
                    )
                )
    for where, html in shown:
        pages += 1
        problems += [f"{where}: {p}" for p in live_markup(html)]
        for marker in markers.values():
            if marker in html:
                seen[marker].add(where)
                checks += 1
    never_shown = sorted(m for m, places in seen.items() if not places)
    record(
        "xss",
        [
            f"- Fields holding a payload: {len(markers)} (each a `<script>`, an attribute "
            "breakout with `onerror` and a `javascript:` URL).",
            f"- Pages and fragments rendered and parsed: {pages}; payload × page renderings "
            f"checked: {checks}.",
            f"- Live markup found: {len(problems)}.",
        ],
        title="Hostile input: markup in editable fields",
    )
    assert not problems, "\n".join(problems[:40])
    assert not never_shown, f"payloads no page showed (the test would prove nothing): {never_shown}"
