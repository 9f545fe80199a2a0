"""Forms for students: signing up with a class join code, and joining another class."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User

from lessons.models import SchoolClass, normalize_join_code

UNKNOWN_CODE = "No class has this join code. Check it with your teacher."
CLOSED_CODE = "This class is not accepting new students. Ask your teacher to open it."


def _class_for_code(text: str) -> SchoolClass:
    code = normalize_join_code(text)
    school_class = SchoolClass.objects.filter(join_code=code).first() if code else None
    if school_class is None:
        raise forms.ValidationError(UNKNOWN_CODE, code="unknown")
    if not school_class.join_enabled:
        raise forms.ValidationError(CLOSED_CODE, code="closed")
    return school_class


class JoinCodeField(forms.CharField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", "Class join code")
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("help_text", "The 8-character code your teacher gave you, e.g. THAW1956.")
        super().__init__(**kwargs)

    def widget_attrs(self, widget) -> dict:
        # Codes are upper case; stop phones from "correcting" them into words.
        return {
            **super().widget_attrs(widget),
            "autocapitalize": "characters",
            "autocomplete": "off",
            "spellcheck": "false",
        }


class SignupForm(UserCreationForm):
    """Username, display name, password (twice, Django's validators) and a join code.

    `cleaned_data["join_code"]` is the SchoolClass the code opens.
    """

    display_name = forms.CharField(
        label="Display name",
        max_length=150,
        help_text="How your teacher and classmates see you, e.g. Sasha P.",
    )
    join_code = JoinCodeField()

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username",)

    field_order = ["join_code", "username", "display_name", "password1", "password2"]

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError("Enter the name your teacher will see.")
        return name

    def clean_join_code(self) -> SchoolClass:
        return _class_for_code(self.cleaned_data["join_code"])

    def _post_clean(self) -> None:
        # The password validators compare the password with the user's names.
        self.instance.first_name = self.cleaned_data.get("display_name", "")
        super()._post_clean()


class JoinClassForm(forms.Form):
    join_code = JoinCodeField()

    def __init__(self, *args, student: User, **kwargs) -> None:
        self.student = student
        super().__init__(*args, **kwargs)

    def clean_join_code(self) -> SchoolClass:
        school_class = _class_for_code(self.cleaned_data["join_code"])
        if school_class.memberships.filter(student=self.student).exists():
            raise forms.ValidationError(f"You are already in {school_class.name}.", code="member")
        return school_class
