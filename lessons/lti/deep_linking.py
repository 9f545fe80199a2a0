"""Deep Linking 2.0: a teacher picks Thaw work in the LMS, and it is placed in the course.

The LMS opens Thaw with a deep-linking launch; the teacher picks a lesson (read it, then
its quiz), a lesson's quiz or a source's quiz on Thaw's picker page, with the mode. Thaw
makes it an assignment of the course's class (`create_assignment`, as the teacher's own
pages do), records the `Placement`, and answers the LMS with a signed
LtiDeepLinkingResponse holding one LTI resource link: its custom parameter names the
assignment (`thaw_assignment`) and its line item (maximum = the questions each student
is asked, resourceId `thaw-assignment-<pk>`) is where the scores will go.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse

from corpus.models import Source
from lessons.classes.assignments import (
    LESSON,
    MODULE_QUIZ,
    SOURCE_QUIZ,
    AssignmentError,
    create_assignment,
)
from lessons.lti.launch import CUSTOM_ASSIGNMENT
from lessons.lti.models import CourseLink, Placement
from lessons.models import Module
from quizzes.models import Quiz


@dataclass(frozen=True)
class Choice:
    value: str  # "lesson:3", "quiz:3", "source:7"
    label: str


def choices() -> list[Choice]:
    """What a teacher can place: each lesson, each lesson's quiz, each source's quiz. Two queries."""
    found = []
    for module in Module.objects.order_by("ordinal", "title"):
        found.append(Choice(f"lesson:{module.pk}", f"Lesson: {module.title}"))
        found.append(Choice(f"quiz:{module.pk}", f"Quiz: {module.title}"))
    for source in Source.objects.order_by("title"):
        found.append(Choice(f"source:{source.pk}", f"Source quiz: {source.title}"))
    return found


class PickError(Exception):
    """The pick cannot be placed; `str(error)` is a message for the teacher."""


@transaction.atomic
def place(*, course: CourseLink, teacher, choice: str, mode: str) -> Placement:
    """Make the picked work an assignment of the course's class and record its placement."""
    kind, _, pk = choice.partition(":")
    if not pk.isdigit() or kind not in ("lesson", "quiz", "source"):
        raise PickError("Choose a lesson, a quiz or a source.")
    if mode not in (Quiz.Mode.PRACTICE, Quiz.Mode.TEST):
        raise PickError("Choose practice or test.")
    rules = {"mode": mode}
    if mode == Quiz.Mode.TEST:
        rules["reveal_answers"] = Quiz.Reveal.IMMEDIATELY
    try:
        if kind == "source":
            source = Source.objects.filter(pk=pk).first()
            if source is None:
                raise PickError("That source is no longer in Thaw. Choose another.")
            assignment = create_assignment(
                school_class=course.school_class,
                teacher=teacher,
                what=SOURCE_QUIZ,
                source=source,
                rules=rules,
            )
        else:
            module = Module.objects.filter(pk=pk).first()
            if module is None:
                raise PickError("That lesson is no longer in Thaw. Choose another.")
            assignment = create_assignment(
                school_class=course.school_class,
                teacher=teacher,
                what=LESSON if kind == "lesson" else MODULE_QUIZ,
                module=module,
                rules=rules,
            )
    except AssignmentError as error:
        raise PickError(str(error)) from error
    return Placement.objects.create(assignment=assignment, course=course)


def response_jwt(*, launch, placement: Placement, launch_url: str) -> str:
    """The signed LtiDeepLinkingResponse placing `placement` in the course."""
    from pylti1p3.deep_link_resource import DeepLinkResource
    from pylti1p3.lineitem import LineItem

    assignment = placement.assignment
    quiz = assignment.quiz
    # What each student is asked: the draw, or the whole pool when it is smaller. A student
    # asked fewer (a pool that runs short for them) sends their own maximum with the score.
    pool = quiz.items.count()
    maximum = max(min(quiz.draw_count, pool) if quiz.draw_count else pool, 1)
    line_item = (
        LineItem()
        .set_label(assignment.title[:255])
        .set_score_maximum(maximum)
        .set_resource_id(placement.resource_id)
        .set_tag("thaw")
    )
    resource = (
        DeepLinkResource()
        .set_url(launch_url)
        .set_title(assignment.title[:255])
        .set_custom_params({CUSTOM_ASSIGNMENT: str(assignment.pk)})
        .set_lineitem(line_item)
    )
    deep_link = launch.get_message_launch().get_deep_link()
    return deep_link.get_response_jwt([resource])


def return_url(launch) -> str:
    settings = (
        launch.get_claim("https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings") or {}
    )
    return settings.get("deep_link_return_url", "")


def launch_url(request) -> str:
    return request.build_absolute_uri(reverse("lti:lti_launch"))
