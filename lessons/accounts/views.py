"""Account pages: logging in (each role lands on its own start page), a student's sign-up
with a class code, and privacy: a student downloads their data, a curator deletes a
student's account (lessons.accounts.privacy does the work)."""

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.forms.forms import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from corpus.plumbing.params import whole_number
from lessons.accounts import privacy
from lessons.accounts.abuse import CodeAttempts, signup_refusal, throttled
from lessons.accounts.forms import SignupForm, ThrottledAuthenticationForm
from lessons.accounts.roles import sign_up_student, start_page_for


@login_required
@require_GET
@never_cache
def account_data_download(request: HttpRequest) -> HttpResponse:
    """The logged-in user's own data; there is no way to name another account here."""
    now = timezone.now()
    data = privacy.student_data(user=request.user, now=now)
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    filename = f"thaw-data-{request.user.username}-{now:%Y-%m-%d}.json"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    """Curators: find a student by username, confirm, delete their account and data."""
    if not (request.user.is_staff and request.user.has_perm(privacy.DELETE_PERMISSION)):
        raise PermissionDenied
    if request.method == "POST":
        student_id = whole_number(request.POST.get("student"))
        try:
            if student_id is None:
                raise privacy.AccountNotDeletable("Choose an account to delete.")
            deleted = privacy.delete_student_account(curator=request.user, student_id=student_id)
        except privacy.AccountNotDeletable as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                f"Deleted student account #{deleted.user_id} and everything about it "
                f"({sum(deleted.rows.values())} rows).",
            )
        return redirect(reverse("accounts:account_delete"))
    username = request.GET.get("username", "").strip()
    account = privacy.find_account(username=username) if username else None
    context = {
        "username": username,
        "account": account,
        "deletable": account is not None and privacy.is_student(account),
        "summary": privacy.account_summary(user=account) if account else {},
    }
    return render(request, "lessons/privacy/account_delete.html", context)


class LoginView(auth_views.LoginView):
    """Django's log-in page, landing each role on its own start page (student: dashboard,
    teacher: classes, curator: review queue). A ?next= still wins when Django finds it
    safe (same host), as in the stock view."""

    authentication_form = ThrottledAuthenticationForm  # lessons.accounts.login_throttle

    def get_default_redirect_url(self) -> str:
        return start_page_for(self.request.user)

    def form_invalid(self, form) -> HttpResponse:
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, code="throttled"):
            response.status_code = 429  # Too Many Requests: the page says how long to wait
        return response


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("classes:dashboard")
    # A teacher may hand out a link with the code in it: /accounts/signup/?code=...
    form = SignupForm(
        request.POST or None,
        initial={"join_code": request.GET.get("code", "")},
        attempts=CodeAttempts.of(request),
    )
    if request.method == "POST" and form.is_valid():
        school_class = form.cleaned_data["join_code"]
        refusal = signup_refusal(request=request, class_id=school_class.pk)
        if refusal:
            form.add_error(None, forms.ValidationError(refusal, code="throttled"))
        else:
            try:
                user = sign_up_student(
                    username=form.cleaned_data["username"],
                    display_name=form.cleaned_data["display_name"],
                    password=form.cleaned_data["password1"],
                    school_class=school_class,
                )
            except IntegrityError:  # the same username signed up a moment ago
                form.add_error("username", "A user with that username already exists.")
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(
                    request, f"Welcome, {user.first_name}! You have joined {school_class}."
                )
                return redirect("classes:dashboard")
    status = 429 if throttled(form) else 200
    return render(request, "registration/signup.html", {"form": form}, status=status)
