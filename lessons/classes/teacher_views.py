"""Pages for teachers: classes, rosters, assignments, accommodations, the gradebook.

Every view needs the `lessons.add_schoolclass` permission (the `teachers`
group has it): a student gets 403, a visitor the login page. Every class comes
from `request.user.taught_classes`, so another teacher's class is a 404, never
its data. Logic lives in lessons.classes.assignments, roster, gradebook and
item_analysis; these views parse, call and render.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from corpus.templatetags.people import display_name
from lessons.accounts import login_throttle
from lessons.classes import assignments as teaching
from lessons.classes.forms import (
    AccommodationForm,
    AssignmentForm,
    ClassForm,
    CoTeacherForm,
    RosterForm,
    StudentAddForm,
)
from lessons.classes.gradebook import gradebook, gradebook_csv, gradebook_rows_html
from lessons.classes.item_analysis import item_analysis
from lessons.classes.roster import MAX_BYTES, check_roster, check_student, create_roster_accounts
from lessons.lti import grades as lti_grades
from lessons.models import Assignment, SchoolClass
from lessons.modules.passage_groups import module_group
from quizzes.building import question_pool
from quizzes.models import Attempt, QuizOverride
from quizzes.results import review_rows

PICK_LIMIT = 200  # questions listed for picking; filters narrow the rest


def teacher_required(view):
    @login_required
    @permission_required("lessons.add_schoolclass", raise_exception=True)
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    return wrapped


def _class(request: HttpRequest, pk: int) -> SchoolClass:
    return get_object_or_404(request.user.taught_classes, pk=pk)


def _assignment(request: HttpRequest, pk: int, assignment_pk: int) -> Assignment:
    school_class = _class(request, pk)
    return get_object_or_404(
        school_class.assignments.select_related("quiz", "school_class"), pk=assignment_pk
    )


def _student(school_class: SchoolClass, student_pk: int) -> User:
    return get_object_or_404(User, pk=student_pk, memberships__school_class=school_class)


# --- Classes -------------------------------------------------------------------------


@teacher_required
@require_http_methods(["GET", "POST"])
def class_list(request: HttpRequest) -> HttpResponse:
    form = ClassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        school_class = teaching.create_class(teacher=request.user, name=form.cleaned_data["name"])
        messages.success(
            request, f"{school_class.name} is ready. Students join with {school_class.join_code}."
        )
        return redirect("classes:teacher_class", pk=school_class.pk)
    classes = request.user.taught_classes.annotate(
        student_count=Count("memberships", distinct=True),
        assignment_count=Count("assignments", distinct=True),
    ).order_by("name", "pk")
    return render(request, "lessons/teacher/class_list.html", {"classes": classes, "form": form})


@teacher_required
@require_GET
def class_detail(request: HttpRequest, pk: int) -> HttpResponse:
    school_class = _class(request, pk)
    members = Paginator(
        school_class.memberships.select_related("student").order_by(
            "student__first_name", "student__username"
        ),
        50,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "lessons/teacher/class_detail.html",
        {
            "school_class": school_class,
            "members": members,
            "login_pauses": _login_pauses(members),
            "teachers": list(school_class.teachers.order_by("first_name", "username")),
            "assignments": list(school_class.assignments.select_related("quiz")),
            "co_teacher_form": CoTeacherForm(),
        },
    )


def _login_pauses(members) -> list[dict]:
    """The page's students whose log-in is paused (lessons.accounts.login_throttle); no query."""
    waits = login_throttle.paused(usernames=[m.student.username for m in members])
    return [
        {
            "student_id": m.student_id,
            "username": m.student.username,
            "name": display_name(m.student),
            "wait": waits[m.student.username],
        }
        for m in members
        if m.student.username in waits
    ]


@teacher_required
@require_POST
def student_login_unlock(request: HttpRequest, pk: int, student_pk: int) -> HttpResponse:
    """Let a student of the class log in at once, after wrong passwords paused it."""
    school_class = _class(request, pk)
    student = _student(school_class, student_pk)
    login_throttle.lift(username=student.username)
    name = display_name(student)
    messages.success(request, f"{name} can log in again now.")
    return redirect("classes:teacher_class", pk=school_class.pk)


def _join_panel(request: HttpRequest, school_class: SchoolClass, message: str) -> HttpResponse:
    if request.htmx:
        return render(
            request,
            "lessons/teacher/class_detail.html#join-panel",
            {"school_class": school_class, "join_message": message},
        )
    messages.success(request, message)
    return redirect("classes:teacher_class", pk=school_class.pk)


@teacher_required
@require_POST
def join_code_regenerate(request: HttpRequest, pk: int) -> HttpResponse:
    school_class = _class(request, pk)
    code = teaching.regenerate_join_code(school_class=school_class)
    return _join_panel(
        request, school_class, f"New join code: {code}. The old one no longer works."
    )


@teacher_required
@require_POST
def join_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    school_class = _class(request, pk)
    enabled = request.POST.get("enabled") == "1"
    teaching.set_join_enabled(school_class=school_class, enabled=enabled)
    message = (
        "Students can join with the code."
        if enabled
        else "Joining is switched off: the code no longer lets anyone in."
    )
    return _join_panel(request, school_class, message)


@teacher_required
@require_POST
def student_remove(request: HttpRequest, pk: int, student_pk: int) -> HttpResponse:
    school_class = _class(request, pk)
    student = _student(school_class, student_pk)
    teaching.remove_student(school_class=school_class, student_id=student.pk)
    message = (
        f"{display_name(student)} was removed from the class. "
        "Their account and their work are kept."
    )
    if request.htmx:
        # The row becomes this message, focused (htmx focuses [autofocus] after a swap)
        # and announced, so the keyboard does not fall back to the top of the page.
        # The heading's count comes along, swapped out of band (the partial says how).
        return render(
            request,
            "lessons/teacher/class_detail.html#member-removed",
            {
                "student_id": student.pk,
                "message": message,
                "student_count": school_class.memberships.count(),
            },
        )
    messages.success(request, message)
    return redirect("classes:teacher_class", pk=school_class.pk)


@teacher_required
@require_POST
def co_teacher_add(request: HttpRequest, pk: int) -> HttpResponse:
    school_class = _class(request, pk)
    form = CoTeacherForm(request.POST)
    if form.is_valid():
        try:
            teacher = teaching.add_co_teacher(
                school_class=school_class, username=form.cleaned_data["username"]
            )
        except teaching.AssignmentError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{display_name(teacher)} now co-teaches this class.")
    else:
        messages.error(request, "Enter the co-teacher's username.")
    return redirect("classes:teacher_class", pk=school_class.pk)


@never_cache
@teacher_required
@require_http_methods(["GET", "POST"])
def roster_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Import a roster; on success the one-time passwords are shown on this response only."""
    school_class = _class(request, pk)
    form = RosterForm(request.POST or None, request.FILES or None)
    roster = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["roster"]
        # Read one byte past the limit: enough to know the file is too large.
        roster = check_roster(data=upload.read(MAX_BYTES + 1))
        if roster.ok:
            try:
                created = create_roster_accounts(school_class=school_class, rows=roster.rows)
            except IntegrityError:
                form.add_error(
                    None, "A username was taken while importing. Nothing was created; try again."
                )
            else:
                # Rendered, not redirected: the passwords exist only in this response.
                return render(
                    request,
                    "lessons/teacher/roster_passwords.html",
                    {"school_class": school_class, "created": created},
                )
    return render(
        request,
        "lessons/teacher/roster_import.html",
        {"school_class": school_class, "form": form, "roster": roster},
        status=400 if form.errors or (roster and not roster.ok) else 200,
    )


@never_cache
@teacher_required
@require_http_methods(["GET", "POST"])
def student_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add one student by hand: an account with a one-time password, shown on this
    response only, as a roster import makes (and checked by the same rules)."""
    school_class = _class(request, pk)
    form = StudentAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        roster = check_student(**form.cleaned_data)
        if roster.problems:
            form.add_error(None, roster.problems[0][1])
        else:
            try:
                created = create_roster_accounts(school_class=school_class, rows=roster.rows)
            except IntegrityError:
                form.add_error("username", "That username was taken a moment ago. Try another.")
            else:
                return render(
                    request,
                    "lessons/teacher/roster_passwords.html",
                    {"school_class": school_class, "created": created},
                )
    return render(
        request,
        "lessons/teacher/student_add.html",
        {"school_class": school_class, "form": form},
        status=400 if form.errors else 200,
    )


# --- Assignments ------------------------------------------------------------------------


def _pool_for(form_data) -> list:
    """The bank filtered as the form's filters say (for the "pick" list)."""
    probe = AssignmentForm(form_data)
    probe.is_valid()
    data = probe.cleaned_data
    module = data.get("module")
    pool = question_pool(
        group=module_group(module) if module else None,
        source=data.get("source"),
        types=data.get("types") or (),
        difficulties=data.get("difficulties") or (),
    ).select_related("source")
    return list(pool[:PICK_LIMIT])


@teacher_required
@require_http_methods(["GET", "POST"])
def assignment_create(request: HttpRequest, pk: int) -> HttpResponse:
    """One form; its "Show matching questions" button posts `preview` to list the bank
    filtered by the form's lesson, source, types and difficulties (no JavaScript needed)."""
    school_class = _class(request, pk)
    previewing = request.method == "POST" and "preview" in request.POST
    pool = _pool_for(request.POST) if request.method == "POST" else []
    if previewing:
        form = AssignmentForm(pool=pool, initial=_as_initial(request.POST))
    else:
        form = AssignmentForm(request.POST or None, pool=pool, initial=_DEFAULTS)
    if request.method == "POST" and not previewing and form.is_valid():
        data = form.cleaned_data
        try:
            assignment = teaching.create_assignment(
                school_class=school_class,
                teacher=request.user,
                what=data["what"],
                rules=form.rules(),
                title=data["title"],
                module=data["module"],
                source=data["source"],
                question_ids=data["question_ids"],
                types=data["types"],
                difficulties=data["difficulties"],
                count=data["count"],
                draw_from=data["draw_from"],
            )
        except teaching.AssignmentError as error:
            form.add_error(None, str(error))
        else:
            _say_assigned(request, assignment)
            return redirect("classes:teacher_gradebook", pk=school_class.pk)
    chosen = {str(v) for v in (form["question_ids"].value() or [])}
    return render(
        request,
        "lessons/teacher/assignment_form.html",
        {
            "school_class": school_class,
            "form": form,
            "pool": pool,
            "pool_test_only": sum(question.is_test_only for question in pool),
            "chosen": chosen,
            "previewing": previewing,
            "pick_limit": PICK_LIMIT,
        },
    )


def _say_assigned(request: HttpRequest, assignment: Assignment) -> None:
    """The success message; for a drawn assignment, its pool and who it runs short for."""
    school_class = assignment.school_class
    report = teaching.draw_report(assignment=assignment, now=timezone.now())
    if report is None:
        messages.success(
            request,
            f"Assigned “{assignment.title}” ({assignment.quiz.items.count()} questions) "
            f"to {school_class.name}.",
        )
        return
    messages.success(request, f"Assigned “{assignment.title}” to {school_class.name}.")
    lines = teaching.describe_draw(report=report, names=_names(report.short))
    messages.success(request, lines[0])
    for line in lines[1:]:
        messages.warning(request, line)


def _names(user_ids) -> dict[int, str]:
    users = User.objects.filter(pk__in=list(user_ids)).only("username", "first_name", "last_name")
    return {user.pk: display_name(user) for user in users}


_DEFAULTS = {
    "what": "lesson",
    "mode": "practice",
    "reveal_answers": "immediately",
    "count": 10,
    "draw_from": "unseen",
}
_LISTS = ("types", "difficulties", "question_ids")


def _as_initial(data) -> dict:
    return {
        key: data.getlist(key) if key in _LISTS else data.get(key)
        for key in data
        if key not in ("csrfmiddlewaretoken", "preview")
    }


@teacher_required
@require_http_methods(["GET", "POST"])
def accommodation_edit(
    request: HttpRequest, pk: int, assignment_pk: int, student_pk: int
) -> HttpResponse:
    assignment = _assignment(request, pk, assignment_pk)
    student = _student(assignment.school_class, student_pk)
    override = QuizOverride.objects.filter(quiz=assignment.quiz, user=student).first()
    initial = (
        {
            "time_multiplier": override.time_multiplier,
            "extra_minutes": override.extra_minutes,
            "extra_attempts": override.extra_attempts,
            "due_at": override.due_at and timezone.localtime(override.due_at),
            "note": override.note,
        }
        if override
        else {}
    )
    form = AccommodationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = teaching.set_accommodation(
            assignment=assignment,
            student_id=student.pk,
            time_multiplier=data["time_multiplier"],
            extra_minutes=data["extra_minutes"] or 0,
            extra_attempts=data["extra_attempts"] or 0,
            due_at=data["due_at"],
            note=data["note"],
        )
        name = display_name(student)
        messages.success(
            request,
            f"Accommodation saved for {name}." if saved else f"{name} has no accommodation now.",
        )
        return redirect("classes:teacher_gradebook", pk=assignment.school_class_id)
    return render(
        request,
        "lessons/teacher/accommodation_form.html",
        {"assignment": assignment, "student": student, "form": form, "override": override},
    )


@teacher_required
@require_POST
def retake_allow(
    request: HttpRequest, pk: int, assignment_pk: int, student_pk: int
) -> HttpResponse:
    assignment = _assignment(request, pk, assignment_pk)
    student = _student(assignment.school_class, student_pk)
    try:
        retake = teaching.allow_retake(assignment=assignment, student=student, teacher=request.user)
    except teaching.AssignmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"{display_name(student)} may now retake the "
            f"{retake.quiz.items.count()} questions they missed (from their dashboard).",
        )
    return redirect("classes:teacher_student", pk=pk, student_pk=student.pk)


# --- Gradebook, student work, item analysis -------------------------------------------------


@teacher_required
@require_GET
def gradebook_view(request: HttpRequest, pk: int) -> HttpResponse:
    # With its LMS course link, if any, in the same query (the LMS grades' line, lessons/lti).
    school_class = get_object_or_404(
        request.user.taught_classes.select_related("lti_course"), pk=pk
    )
    book = gradebook(school_class=school_class, now=timezone.now())
    return render(
        request,
        "lessons/teacher/gradebook.html",
        {
            "school_class": school_class,
            "book": book,
            "rows_html": gradebook_rows_html(book=book),
            "lms_scores": lti_grades.class_scores(school_class=school_class),
        },
    )


@teacher_required
@require_GET
def gradebook_export(request: HttpRequest, pk: int) -> HttpResponse:
    school_class = _class(request, pk)
    book = gradebook(school_class=school_class, now=timezone.now())
    response = HttpResponse(gradebook_csv(book=book), content_type="text/csv; charset=utf-8")
    filename = f"gradebook-class-{school_class.pk}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@teacher_required
@require_GET
def student_work(request: HttpRequest, pk: int, student_pk: int) -> HttpResponse:
    school_class = _class(request, pk)
    student = _student(school_class, student_pk)
    assignments = {a.quiz_id: a for a in school_class.assignments.select_related("quiz")}
    attempts = list(
        Attempt.objects.filter(user=student, quiz_id__in=list(assignments)).order_by(
            "quiz_id", "number"
        )
    )
    rows = [(a, [t for t in attempts if t.quiz_id == a.quiz_id]) for a in assignments.values()]
    retakes = list(
        student.retakes.filter(assignment__school_class=school_class).select_related(
            "quiz", "assignment"
        )
    )
    return render(
        request,
        "lessons/teacher/student_work.html",
        {"school_class": school_class, "student": student, "rows": rows, "retakes": retakes},
    )


@teacher_required
@require_GET
def attempt_detail(request: HttpRequest, pk: int, attempt_pk: int) -> HttpResponse:
    school_class = _class(request, pk)
    attempt = get_object_or_404(
        Attempt.objects.select_related("quiz", "user").filter(
            quiz__assignment__school_class=school_class,
            user__memberships__school_class=school_class,
        ),
        pk=attempt_pk,
    )
    # A teacher sees every answer and the key, whatever the quiz reveals to students.
    return render(
        request,
        "lessons/teacher/attempt_detail.html",
        {
            "school_class": school_class,
            "attempt": attempt,
            "assignment": attempt.quiz.assignment,
            "rows": review_rows(attempt=attempt, level="full"),
        },
    )


@teacher_required
@require_GET
def item_analysis_view(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    assignment = _assignment(request, pk, assignment_pk)
    report = teaching.draw_report(assignment=assignment, now=timezone.now())
    draw = teaching.describe_draw(report=report, names=_names(report.short)) if report else []
    items = item_analysis(assignment=assignment)
    # A drawn test's pool is many times what anyone is asked: list what was asked.
    unasked = [item for item in items if not item.answered] if draw else []
    return render(
        request,
        "lessons/teacher/item_analysis.html",
        {
            "school_class": assignment.school_class,
            "assignment": assignment,
            "items": [item for item in items if item.answered] if draw else items,
            "unasked": len(unasked),
            "draw": draw,
        },
    )
