"""Quiz pages: a quiz's intro, taking it one question at a time, the results, review.

Views are glue (parse, call quizzes.taking / submission / cards / results / review /
building, render) and own the HTTP: URLs, redirects and status codes. Every
attempt comes from `request.user.attempts`, so another student's attempt is a
404. One view serves a page and its fragment: an htmx request gets the partial
(`template#partial`), a plain POST redirects, so everything works without JavaScript.

The quiz flow's pages are never stored by the browser (`never_cache`: Cache-Control
no-store): Back or Forward must ask the server again, or it would show a question
already answered as if it were still open, with a form that records nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from corpus.models import Source
from corpus.plumbing.params import whole_number
from corpus.plumbing.partials import page_or_partial
from quizzes import building, cards, results, review, submission, taking
from quizzes.models import Quiz

_LEVELS = {"info": messages.INFO, "error": messages.ERROR, "success": messages.SUCCESS}


def _go(request: HttpRequest, url: str) -> HttpResponse:
    # htmx would swap a followed redirect into the target; ask it to navigate instead.
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _question_url(attempt, position: int | None = None) -> str:
    url = reverse("quizzes:attempt_question", kwargs={"pk": attempt.pk})
    return f"{url}?q={position}" if position else url


def _attempts(request: HttpRequest):
    return request.user.attempts.select_related("quiz")


def _attempt_or_404(request: HttpRequest, pk: int):
    # The quiz flow's own read (prepared once, quizzes/prepared.py), scoped to the user.
    attempt = taking.attempt_for(user=request.user, pk=pk)
    if attempt is None:
        raise Http404("No attempt here.")
    return attempt


@never_cache
@require_GET
def quiz_detail(request: HttpRequest, pk: int) -> HttpResponse:
    quizzes = Quiz.objects.available_to(request.user).annotate(question_count=Count("items"))
    quiz = get_object_or_404(quizzes, pk=pk)
    attempts = list(_attempts(request).filter(quiz=quiz)) if request.user.is_authenticated else []
    now = timezone.now()
    rules = quiz.rules_for(request.user)
    context = {
        "quiz": quiz,
        "rules": rules,
        "attempts": attempts,
        "start": taking.start_state(quiz=quiz, rules=rules, attempts=attempts, now=now),
    }
    return render(
        request, page_or_partial(request, "quizzes/quiz_detail.html", "quiz-panel"), context
    )


@login_required
@require_POST
def quiz_start(request: HttpRequest, pk: int) -> HttpResponse:
    quiz = taking.quiz_to_start(pk=pk, user=request.user)
    if quiz is None:
        raise Http404("No quiz here.")
    try:
        attempt = taking.start_attempt(quiz=quiz, user=request.user, now=timezone.now())
    except taking.QuizUnavailable as error:
        messages.error(request, str(error))
        return _go(request, quiz.get_absolute_url())
    return _go(request, attempt.get_absolute_url())


@never_cache
@login_required
@require_GET
def attempt_question(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _attempt_or_404(request, pk)
    if taking.close_if_overdue(attempt=attempt, now=timezone.now()):
        messages.warning(request, "Time is up: your answers were submitted.")
    if attempt.is_finished:
        return _go(request, reverse("quizzes:attempt_review", kwargs={"pk": pk}))
    position = whole_number(request.GET.get("q"), max_digits=6)
    card = cards.card_for(attempt=attempt, position=position)
    card.focus = bool(request.htmx)
    template = page_or_partial(request, "quizzes/attempt_question.html", "question-card")
    return render(request, template, {"attempt": attempt, "card": card})


@never_cache
@login_required
@require_POST
def attempt_answer(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _attempt_or_404(request, pk)
    result = submission.submit(attempt=attempt, data=request.POST, now=timezone.now())
    if request.htmx or result.show_here:
        result.card.focus = bool(request.htmx or result.card.moved or result.card.error)
        template = page_or_partial(request, "quizzes/attempt_question.html", "question-card")
        # A refused answer is a 400 for a plain form; htmx swaps only 2xx responses.
        status = 400 if result.refused and not request.htmx else 200
        return render(request, template, {"attempt": attempt, "card": result.card}, status=status)
    if result.message:
        messages.add_message(request, _LEVELS[result.level], result.message)
    if result.closed:
        return redirect("quizzes:attempt_review", pk=attempt.pk)
    return redirect(_question_url(attempt, result.position))


@login_required
@require_POST
def attempt_finish(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _attempt_or_404(request, pk)
    now = timezone.now()
    deadline = attempt.effective_deadline()
    # Finished once the clock ran out (quiz.js submits at zero, within the grace):
    # the results say time ran out, as when the server closes it after the grace.
    past_deadline = deadline is not None and now >= deadline
    taking.finish_attempt(attempt=attempt, now=now, by_deadline=past_deadline)
    return _go(request, reverse("quizzes:attempt_review", kwargs={"pk": pk}))


@never_cache
@login_required
@require_GET
def attempt_review(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = get_object_or_404(_attempts(request), pk=pk)
    now = timezone.now()
    taking.close_if_overdue(attempt=attempt, now=now)
    if not attempt.is_finished:
        messages.info(request, "Finish the attempt to see your results.")
        return _go(request, attempt.get_absolute_url())
    level = results.review_level(attempt=attempt, now=now)
    context = {
        "attempt": attempt,
        "level": level,
        # The student's own due date (read once, by review_level, with their override).
        "shown_from": attempt.answers_shown_from() if level == results.SCORE else None,
        "rows": results.review_rows(attempt=attempt, level=level),
        "due": review.due_count(user=request.user, now=now),
    }
    return render(
        request, page_or_partial(request, "quizzes/attempt_review.html", "attempt-results"), context
    )


@login_required
@require_GET
def review_detail(request: HttpRequest) -> HttpResponse:
    due = review.due_count(user=request.user, now=timezone.now())
    upcoming = review.next_due(user=request.user)
    context = {"due": due, "upcoming": upcoming}
    return render(
        request, page_or_partial(request, "quizzes/review_detail.html", "review-panel"), context
    )


@login_required
@require_POST
def review_start(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    quiz = review.build_review_quiz(user=request.user, now=now)
    if quiz is None:
        messages.info(request, "Nothing is due for review right now. Well done!")
        return _go(request, reverse("quizzes:review_detail"))
    attempt = taking.start_attempt(quiz=quiz, user=request.user, now=now)
    return _go(request, attempt.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def source_quiz(request: HttpRequest, slug: str) -> HttpResponse:
    source = get_object_or_404(Source, slug=slug)
    quiz = building.quiz_for_source(source=source)
    return _go(request, quiz.get_absolute_url())
