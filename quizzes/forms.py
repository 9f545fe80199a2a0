"""Forms of the quizzes app."""

from __future__ import annotations

from django import forms
from django.conf import settings

from corpus.common.plain_text import PlainCharField
from corpus.models import Source, TimelineEvent, Work
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


class SourceUploadForm(forms.Form):
    file = forms.FileField(help_text="Plain text or Markdown, UTF-8.")
    title = PlainCharField(max_length=300)
    work = PlainCharField(
        max_length=300, help_text="Slug or title of an existing work, or a new work's title."
    )
    date = forms.CharField(max_length=10, required=False, help_text="YYYY, YYYY-MM or YYYY-MM-DD.")
    kind = forms.ChoiceField(choices=Source.Kind.choices, initial=Source.Kind.OTHER)
    author = PlainCharField(max_length=300, required=False)
    citation = PlainCharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work"].widget.attrs["list"] = "known-works"
        self.works = list(Work.objects.values_list("slug", "title"))

    def clean_file(self):
        # Refused by its size before the view reads it: a huge file never fills the memory.
        upload, limit = self.cleaned_data["file"], settings.CORPUS_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is {upload.size / 1_048_576:.1f} MB; the limit is "
                f"{limit / 1_048_576:.0f} MB."
            )
        return upload


class ErrataForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false"}),
        required=False,
        label="Errata (TOML)",
    )


class CuratedTextForm(ErrataForm):
    """Errata, a glossary or a timeline as the database holds them, with what they were
    when the page was shown (`base`): a save never undoes a change another curator made
    meanwhile."""

    base = forms.CharField(widget=forms.HiddenInput, required=False)


class ProposalDecisionForm(forms.Form):
    """Approve a proposed glossary term or timeline event, as found or edited, or reject it."""

    action = forms.ChoiceField(choices=[("approve", "Approve"), ("reject", "Reject")])
    name = PlainCharField(max_length=300, required=False, label="Name or title")
    description = PlainCharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )
    role = forms.SlugField(
        max_length=60,
        required=False,
        help_text="Glossary role for like-for-like options, e.g. foreign-communist-leader.",
    )
    date = forms.DateField(required=False, help_text="YYYY-MM-DD (the first day for a month).")
    precision = forms.ChoiceField(
        choices=[("", "—"), *TimelineEvent.Precision.choices], required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("action") == "approve" and not (
            data.get("name", "").strip() and data.get("description", "").strip()
        ):
            raise forms.ValidationError("To approve, give a name (or title) and a description.")
        return data
