"""Forms for students: signing up with a class join code, and joining another class."""

from __future__ import annotations

from django import forms
from django.contrib.auth.models import User
from django.utils import timezone

from corpus.plumbing.plain_text import PlainCharField
from lessons.accounts.abuse import CodeAttempts
from lessons.models import SchoolClass, normalize_join_code
from quizzes.date_limits import within_five_years

UNKNOWN_CODE = "No class has this join code. Check it with your teacher."
CLOSED_CODE = "This class is not accepting new students. Ask your teacher to open it."


def class_for_code(text: str, attempts: CodeAttempts | None = None) -> SchoolClass:
    # Too many wrong codes: refused before the lookup, so a guesser learns nothing more.
    refusal = attempts.refusal() if attempts else None
    if refusal:
        raise forms.ValidationError(refusal, code="throttled")
    code = normalize_join_code(text)
    school_class = SchoolClass.objects.filter(join_code=code).first() if code else None
    if school_class is None or not school_class.join_enabled:
        if attempts:
            attempts.count_wrong()
        if school_class is None:
            raise forms.ValidationError(UNKNOWN_CODE, code="unknown")
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


class JoinClassForm(forms.Form):
    join_code = JoinCodeField()

    def __init__(
        self, *args, student: User, attempts: CodeAttempts | None = None, **kwargs
    ) -> None:
        self.student = student
        self.attempts = attempts  # counts wrong codes (lessons.accounts.abuse)
        super().__init__(*args, **kwargs)

    def clean_join_code(self) -> SchoolClass:
        school_class = class_for_code(self.cleaned_data["join_code"], self.attempts)
        if school_class.memberships.filter(student=self.student).exists():
            raise forms.ValidationError(f"You are already in {school_class.name}.", code="member")
        return school_class


# --- Teachers ------------------------------------------------------------------------

# What <input type="datetime-local"> sends and accepts back as its value.
LOCAL_DATETIME = "%Y-%m-%dT%H:%M"


class ClassForm(forms.Form):
    name = PlainCharField(
        label="Class name",
        max_length=200,
        help_text="e.g. 10B History, spring term.",
        error_messages={"required": "Give the class a name."},
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Give the class a name.")
        return name


class CoTeacherForm(forms.Form):
    username = PlainCharField(label="Co-teacher's username", max_length=150)


class RosterForm(forms.Form):
    roster = forms.FileField(
        label="Roster CSV",
        error_messages={
            "required": "Choose a CSV file to upload.",
            "empty": "The file is empty. Choose a CSV file with a header row and the students.",
        },
        help_text="A header row “username,display_name”, then one student a line. UTF-8.",
    )


def confirm_past_due(form: forms.Form, data: dict) -> None:
    """A due date already past closes the quiz at once and makes every student late: ask
    before accepting it (a second press of the form's button with `past_due_ok`), unless
    the date was not changed (editing the title of a finished assignment)."""
    due = data.get("due_at")
    if not due or due > timezone.now() or data.get("past_due_ok"):
        return
    if "due_at" not in form.changed_data:
        return
    when = f"{timezone.localtime(due):%-d %B %Y at %H:%M}"
    form.add_error(
        "due_at",
        forms.ValidationError(
            f"{when} has already passed: the quiz would be closed at once and every "
            "student who has not handed it in would be late. Check the date, or confirm "
            "that you mean it.",
            code="past",
        ),
    )


class PastDueMixin:
    """A form with a due date in the past asks to confirm it (`confirm_past_due`)."""

    @property
    def asks_to_confirm_past_due(self) -> bool:
        return self.has_error("due_at", code="past")


class AssignmentForm(PastDueMixin, forms.Form):
    """What to assign and its rules. `what` picks the content; the other content fields
    apply to it (a lesson → module; a source quiz → source; picked/drawn → filters)."""

    WHAT_CHOICES = [
        ("lesson", "A lesson: reading plus its end-of-lesson quiz"),
        ("module_quiz", "A lesson's quiz only"),
        ("source_quiz", "A whole-source quiz"),
        ("picked", "Questions I pick from the bank"),
        ("drawn", "A random draw from the bank"),
    ]
    what = forms.ChoiceField(label="What to assign", choices=WHAT_CHOICES, widget=forms.RadioSelect)
    title = PlainCharField(
        label="Title", max_length=300, required=False, help_text="Empty: a title is made for you."
    )
    module = forms.ModelChoiceField(
        label="Lesson", queryset=None, required=False, empty_label="Any lesson"
    )
    source = forms.ModelChoiceField(
        label="Source", queryset=None, required=False, empty_label="Any source"
    )
    types = forms.MultipleChoiceField(
        label="Question types", required=False, widget=forms.CheckboxSelectMultiple
    )
    difficulties = forms.MultipleChoiceField(
        label="Difficulty", required=False, widget=forms.CheckboxSelectMultiple
    )
    count = forms.IntegerField(
        label="Questions for each student",
        min_value=1,
        max_value=100,
        required=False,
        initial=10,
        help_text="Drawn for each student from the lesson, the source or the filtered bank. "
        "Empty: 10 for a lesson, 15 for a source.",
    )
    question_ids = forms.TypedMultipleChoiceField(
        label="Questions", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    opens_at = forms.DateTimeField(
        label="Opens",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_DATETIME),
        help_text="Empty: open now.",
        validators=[within_five_years],
    )
    due_at = forms.DateTimeField(
        label="Due",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_DATETIME),
        validators=[within_five_years],
    )
    mode = forms.ChoiceField(label="Mode", choices=[])
    attempts_allowed = forms.IntegerField(
        label="Attempts allowed",
        min_value=1,
        max_value=20,
        required=False,
        help_text="Empty: unlimited.",
    )
    time_limit_minutes = forms.IntegerField(
        label="Time limit (minutes)",
        min_value=1,
        max_value=600,
        required=False,
        help_text="Empty: no limit.",
    )
    shuffle_questions = forms.BooleanField(label="Shuffle the question order", required=False)
    shuffle_options = forms.BooleanField(label="Shuffle the option order", required=False)
    reveal_answers = forms.ChoiceField(label="Show the correct answers", choices=[])
    draw_from = forms.ChoiceField(
        label="A test's questions come from",
        choices=[],
        initial="unseen",
        required=False,  # empty: "unseen"
        widget=forms.RadioSelect,
        help_text="Each student gets their own questions. About a third of the bank is "
        "test-only: the lesson and source quizzes and practice never show it. "
        "Practice always draws from the rest.",
    )
    # Set by the "Yes, use this date" button when the due date has passed (confirm_past_due).
    past_due_ok = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, pool=None, **kwargs) -> None:
        from corpus.models import Source
        from lessons.models import Module
        from quizzes.models import Question, Quiz

        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = Module.objects.only("slug", "title", "ordinal")
        self.fields["source"].queryset = Source.objects.order_by("title")
        self.fields["types"].choices = Question.Type.choices
        self.fields["difficulties"].choices = Question.Difficulty.choices
        self.fields["mode"].choices = Quiz.Mode.choices
        self.fields["reveal_answers"].choices = Quiz.Reveal.choices
        self.fields["draw_from"].choices = Quiz.DrawFrom.choices
        self.pool = list(pool) if pool is not None else []
        self.fields["question_ids"].choices = [(q.pk, q.stem) for q in self.pool]

    def clean(self) -> dict:
        data = super().clean()
        opens, due = data.get("opens_at"), data.get("due_at")
        if opens and due and due <= opens:
            self.add_error("due_at", "The due date must be after the opening date.")
        what = data.get("what")
        if what in ("lesson", "module_quiz") and not data.get("module"):
            self.add_error("module", "Choose the lesson to assign.")
        if what == "source_quiz" and not data.get("source"):
            self.add_error("source", "Choose the source to quiz on.")
        if what == "picked" and not data.get("question_ids"):
            self.add_error("question_ids", "Tick at least one question.")
        if what == "drawn" and not data.get("count"):
            self.add_error("count", "Say how many questions to draw.")
        data["draw_from"] = data.get("draw_from") or "unseen"
        confirm_past_due(self, data)
        return data

    def rules(self) -> dict:
        data = self.cleaned_data
        return {
            field: data.get(field)
            for field in (
                "mode",
                "opens_at",
                "due_at",
                "time_limit_minutes",
                "attempts_allowed",
                "shuffle_questions",
                "shuffle_options",
                "reveal_answers",
            )
        }


class AccommodationForm(forms.Form):
    time_multiplier = forms.DecimalField(
        label="Time multiplier",
        required=False,
        min_value=1,
        max_value=9.99,
        decimal_places=2,
        max_digits=3,
        help_text="e.g. 1.5 for time and a half.",
    )
    extra_minutes = forms.IntegerField(
        label="Extra minutes", min_value=0, max_value=600, initial=0, required=False
    )
    extra_attempts = forms.IntegerField(
        label="Extra attempts", min_value=0, max_value=20, initial=0, required=False
    )
    due_at = forms.DateTimeField(
        label="Later due date",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_DATETIME),
        validators=[within_five_years],
    )
    note = PlainCharField(label="Note (only teachers see it)", max_length=200, required=False)


class AssignmentEditForm(PastDueMixin, forms.Form):
    """The rules of an assignment already set (lessons.classes.assignments.update_assignment)."""

    title = PlainCharField(label="Title", max_length=300)
    opens_at = AssignmentForm.base_fields["opens_at"]
    due_at = AssignmentForm.base_fields["due_at"]
    mode = forms.ChoiceField(
        label="Mode",
        choices=[],
        help_text="Attempts already started keep the mode and time limit they began with.",
    )
    reveal_answers = forms.ChoiceField(label="Show the correct answers", choices=[])
    attempts_allowed = AssignmentForm.base_fields["attempts_allowed"]
    time_limit_minutes = AssignmentForm.base_fields["time_limit_minutes"]
    past_due_ok = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        from quizzes.models import Quiz

        super().__init__(*args, **kwargs)
        self.fields["mode"].choices = Quiz.Mode.choices
        self.fields["reveal_answers"].choices = Quiz.Reveal.choices

    @classmethod
    def initial_for(cls, assignment) -> dict:
        quiz = assignment.quiz
        # To the minute, as the date input shows it: otherwise every save "changes" them.
        local = {
            f: getattr(quiz, f)
            and timezone.localtime(getattr(quiz, f)).replace(second=0, microsecond=0)
            for f in _DATES
        }
        return {
            "title": assignment.title,
            **local,
            **{f: getattr(quiz, f) for f in _EDITED if f not in _DATES},
        }

    def clean(self) -> dict:
        data = super().clean()
        opens, due = data.get("opens_at"), data.get("due_at")
        if opens and due and due <= opens:
            self.add_error("due_at", "The due date must be after the opening date.")
        confirm_past_due(self, data)
        return data

    def rules(self) -> dict:
        """The rules the teacher changed (a date left alone keeps its seconds)."""
        return {f: self.cleaned_data.get(f) for f in _EDITED if f in self.changed_data}


_DATES = ("opens_at", "due_at")
_EDITED = ("opens_at", "due_at", "mode", "reveal_answers", "attempts_allowed", "time_limit_minutes")


class ExtendForm(forms.Form):
    """A later due date for the whole class."""

    due_at = forms.DateTimeField(
        label="New due date",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_DATETIME),
        validators=[within_five_years],
        error_messages={"required": "Choose the new due date."},
    )

    def __init__(self, *args, current=None, **kwargs) -> None:
        self.current = current  # the due date now, if any
        super().__init__(*args, **kwargs)

    def clean_due_at(self):
        due = self.cleaned_data["due_at"]
        if due <= timezone.now():
            raise forms.ValidationError("Choose a date still to come.")
        if self.current is not None and due <= self.current:
            raise forms.ValidationError("An extension must be later than the current due date.")
        return due


class StudentAddForm(forms.Form):
    """One student, by hand: checked as a roster line is (lessons.classes.roster.check_student)."""

    username = PlainCharField(
        label="Username",
        max_length=150,
        help_text="Letters, digits and @ . + - _ only; they log in with it.",
        error_messages={"required": "Enter a username."},
    )
    display_name = PlainCharField(
        label="Display name",
        max_length=150,
        help_text="How you and their classmates see them, e.g. Anna K.",
        error_messages={"required": "Enter the name you will see."},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Typed as it is: no capital letter or correction from a phone's keyboard.
        self.fields["username"].widget.attrs.update(
            {"autocapitalize": "none", "autocomplete": "off", "spellcheck": "false"}
        )
