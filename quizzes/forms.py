"""Forms of the quizzes app."""

from __future__ import annotations

from django import forms

from corpus.plumbing.plain_text import PlainCharField
from quizzes.models import ProblemReport, Question
from quizzes.passage_groups import PassageGroup

# --- curation ---------------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("", "Any status"), *Question.Status.choices], required=False
    )
    type = forms.ChoiceField(choices=[("", "Any type"), *Question.Type.choices], required=False)
    source = forms.ChoiceField(choices=[("", "Any source")], required=False)
    group = forms.ChoiceField(choices=[("", "Any lesson")], required=False, label="Lesson")
    passages = forms.CharField(
        required=False,
        label="Passage ids",
        help_text="Comma-separated: the passages a lesson module cites.",
    )
    score_min = forms.FloatField(required=False, min_value=0, max_value=1, label="Score from")
    score_max = forms.FloatField(required=False, min_value=0, max_value=1, label="to")
    flag = forms.ChoiceField(required=False)

    def __init__(
        self,
        *args,
        sources: list[tuple[str, str]],
        flags: dict[str, str],
        groups: dict[str, PassageGroup],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.groups = groups
        self.fields["source"].choices = [("", "Any source"), *sources]
        self.fields["group"].choices = [
            ("", "Any lesson"),
            *((key, group.label) for key, group in groups.items()),
        ]
        self.fields["flag"].choices = [("", "Any flag"), *flags.items()]

    def clean_passages(self) -> list[int]:
        raw = self.cleaned_data["passages"]
        try:
            ids = [int(p) for p in raw.replace(" ", "").split(",") if p]
        except ValueError:
            ids = None
        # An id past the database's integer range is an overflow (a 500), not "no match".
        if ids is None or any(not 0 <= p < 2**63 for p in ids):
            raise forms.ValidationError("Passage ids are whole numbers separated by commas.")
        return ids

    def filters(self) -> dict:
        """The cleaned filters for `QueueFilters`: a lesson becomes its group (its questions:
        citing its passages or resting on its events and terms), narrowed to the passages
        typed in the ids field when both are given."""
        data = dict(self.cleaned_data)
        group = self.groups.get(data.pop("group"))
        data["group"] = group
        if group is not None and data["passages"]:
            data["passages"] = sorted(group.passage_ids.intersection(data["passages"]))
        else:
            data["passages"] = data["passages"] or None  # no ids: no passage filter
        return data


class QuestionEditForm(forms.Form):
    """Stem, option texts, key and explanation of one question."""

    stem = PlainCharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    explanation = PlainCharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=4000
    )

    def __init__(self, *args, question: Question, **kwargs):
        initial = {"stem": question.stem, "explanation": question.explanation}
        for option in question.options:
            initial[f"option_{option['id']}"] = option["text"]
        if question.type != Question.Type.CHRONOLOGY:
            initial["key"] = question.answer[0] if question.answer else ""
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.question = question
        for option in question.options:
            self.fields[f"option_{option['id']}"] = PlainCharField(
                label=f"Option {option['id']}", max_length=500
            )
        if question.type != Question.Type.CHRONOLOGY:
            self.fields["key"] = forms.ChoiceField(
                choices=[(o["id"], o["id"]) for o in question.options],
                widget=forms.RadioSelect,
                label="Correct option",
            )

    def option_fields(self):
        return [self[f"option_{o['id']}"] for o in self.question.options]

    def edited(self) -> dict:
        data = self.cleaned_data
        options = [{**o, "text": data[f"option_{o['id']}"]} for o in self.question.options]
        answer = [data["key"]] if "key" in data else list(self.question.answer)
        return {
            "stem": data["stem"],
            "options": options,
            "answer": answer,
            "explanation": data.get("explanation", ""),
        }


class BulkActionForm(forms.Form):
    action = forms.ChoiceField(choices=[("published", "Publish"), ("retired", "Retire")])
    confirm = forms.BooleanField(required=False)


class ReportForm(forms.Form):
    reason = forms.ChoiceField(choices=ProblemReport.Reason.choices, widget=forms.RadioSelect)
    comment = PlainCharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )


class ResolveReportForm(forms.Form):
    resolution = forms.ChoiceField(choices=ProblemReport.Resolution.choices)
    note = PlainCharField(required=False, max_length=300)


class ImportUploadForm(forms.Form):
    file = forms.FileField(help_text="Moodle XML, GIFT or JSON, up to 5 MB.")
