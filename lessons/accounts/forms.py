"""Forms for accounts: a student's sign-up with a class join code, and the log-in forms
(Thaw's and the admin's) that ask lessons.accounts.login_throttle first."""

from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.contrib.auth.models import User

from corpus.plumbing.plain_text import PlainCharField
from lessons.accounts import login_throttle, usernames
from lessons.accounts.abuse import CodeAttempts, client_address
from lessons.classes.forms import JoinCodeField, class_for_code
from lessons.models import SchoolClass


class SignupForm(UserCreationForm):
    """Username, display name, password (twice, Django's validators) and a join code.

    `cleaned_data["join_code"]` is the SchoolClass the code opens.
    """

    display_name = PlainCharField(
        label="Display name",
        max_length=150,
        help_text="How your teacher and classmates see you, e.g. Sasha P.",
    )
    join_code = JoinCodeField()

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username",)

    field_order = ["join_code", "username", "display_name", "password1", "password2"]

    def __init__(self, *args, attempts: CodeAttempts | None = None, **kwargs) -> None:
        self.attempts = attempts  # counts wrong codes (lessons.accounts.abuse)
        super().__init__(*args, **kwargs)

    def clean_username(self) -> str:
        # Django's own check (NFKC, any case), then names that only look alike.
        username = super().clean_username()
        if not username or "username" in self._errors:  # Django's: taken in another case
            return username
        existing = usernames.existing_look_alike(username)
        if existing:
            raise forms.ValidationError(
                usernames.look_alike_message(username, existing), code="look_alike"
            )
        return username

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError("Enter the name your teacher will see.")
        return name

    def clean_join_code(self) -> SchoolClass:
        return class_for_code(self.cleaned_data["join_code"], self.attempts)

    def _post_clean(self) -> None:
        # The password validators compare the password with the user's names.
        self.instance.first_name = self.cleaned_data.get("display_name", "")
        super()._post_clean()


# --- Logging in ------------------------------------------------------------------------


class ThrottledLoginMixin:
    """Django's log-in form, with lessons.accounts.login_throttle asked before the password is checked
    (a refused try is a form error saying how long to wait, code "throttled") and told how
    the check went."""

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            address = client_address(self.request)
            verdict = login_throttle.check(username=username, address=address)
            if not verdict.allowed:
                raise forms.ValidationError(verdict.message, code="throttled")
            self.user_cache = authenticate(self.request, username=username, password=password)
            if self.user_cache is None:
                login_throttle.record_failure(username=username, address=address)
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
            login_throttle.record_success(username=username)
        return self.cleaned_data


class ThrottledAuthenticationForm(ThrottledLoginMixin, AuthenticationForm):
    pass


class ThrottledAdminAuthenticationForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass
