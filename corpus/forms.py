"""The curators' forms for the corpus: a source uploaded, errata, the glossary and timeline
as text, a proposal decided (below), and editorial notes and reference works.

A note or work form is a way of typing one [[note]] or [[work]] table: its lists (targets,
references, passages, positions) are written one inline table per line, exactly as in the
data files, and the whole is checked by corpus.editorial's parser and by
corpus.editing.check_note, so the app accepts what a file would and refuses it with the same
readable reasons.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

from django import forms
from django.conf import settings

from corpus.editing import check_note
from corpus.editorial import EditorialDataError, NoteEntry, WorkEntry, parse_note, parse_work
from corpus.editorial_toml import inline
from corpus.models import EditorialNote, ReferenceWork, Source, TimelineEvent, Work
from corpus.plumbing.plain_text import PlainCharField

_LABEL = re.compile(r"^(?:note|reference work) (?:'[^']*'|#\d+) ")

TARGETS_HELP = (
    "One per line, as in the data files: "
    '{ passage = { source = "speech-anthology", quote = "exact words" } }, '
    '{ term = "beria" }, { event = "secret-speech-delivered" }, '
    '{ lesson = "the-secret-speech", quote = "one sentence of the lesson" }.'
)
REFERENCES_HELP = 'One per line: { work = "taubman-2003", at = "p. 283" }.'
PASSAGES_HELP = 'Other passages the note quotes, one per line: { source = "…", quote = "…" }.'
POSITIONS_HELP = (
    "Historians disagree only, one per line: "
    '{ who = "History Today (2006)", says = "1,500 delegates", '
    'passage = { source = "…", quote = "…" } } or with reference = { work = "…", at = "…" }.'
)


def _lines(text: str, *, field: str) -> list[Any]:
    """Each line of a box as the TOML inline value it holds."""
    items = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip().rstrip(",").strip()
        if not line or line.startswith("#"):
            continue
        try:
            items.append(tomllib.loads(f"item = {line}")["item"])
        # TOMLDecodeError is a ValueError, as is a number of thousands of digits.
        except (ValueError, RecursionError):
            raise forms.ValidationError(
                f"Line {number} of {field} is not an inline table like "
                f'{{ key = "value" }}: {line[:80]}'
            ) from None
    return items


def _slug(slug: str) -> str:
    if slug == "new":  # the address of the "new" page
        raise forms.ValidationError("“new” cannot be a slug; choose a longer one.")
    return slug


def _plain(problem: str) -> str:
    """A parser's problem without the "note 'slug'" it starts with (the form says which)."""
    return _LABEL.sub("", problem, count=1).strip()


def _area(rows: int, help_text: str = "", required: bool = False) -> forms.CharField:
    return forms.CharField(
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows, "spellcheck": "false"}),
    )


class NoteForm(forms.Form):
    slug = forms.SlugField(
        max_length=80, help_text="Lowercase letters, digits and hyphens; cannot change later."
    )
    kind = forms.ChoiceField(choices=EditorialNote.Kind.choices)
    title = forms.CharField(max_length=200, help_text="One short line: the note's heading.")
    body = _area(
        8, "Plain text for a 16-year-old; paragraphs separated by a blank line.", required=True
    )
    targets = _area(4, TARGETS_HELP, required=True)
    references = _area(3, REFERENCES_HELP)
    passages = _area(3, PASSAGES_HELP)
    claim = forms.CharField(
        required=False,
        max_length=1000,
        help_text="Correction only: what the source says, in one sentence.",
    )
    correct = forms.CharField(
        required=False,
        max_length=1000,
        help_text="Correction only: what is right, in one sentence.",
    )
    positions = _area(3, POSITIONS_HELP)

    def clean_slug(self) -> str:
        return _slug(self.cleaned_data["slug"])

    def __init__(self, *args, note: EditorialNote | None = None, **kwargs) -> None:
        if note is not None:
            kwargs.setdefault("initial", self.initial_for(note))
        super().__init__(*args, **kwargs)
        self.note = note
        self.entry: NoteEntry | None = None
        if note is not None:
            self.fields["slug"].disabled = True

    @staticmethod
    def initial_for(note: EditorialNote) -> dict[str, str]:
        from corpus.editorial import note_table, notes_for_export

        table = note_table(notes_for_export().get(pk=note.pk))
        return {
            **{k: table.get(k, "") for k in ("slug", "kind", "title", "body", "claim", "correct")},
            **{
                k: "\n".join(inline(item) for item in table.get(k, []))
                for k in ("targets", "references", "passages", "positions")
            },
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        raw: dict[str, Any] = {
            key: data[key] for key in ("slug", "kind", "title", "body", "claim", "correct")
        }
        for key in ("targets", "references", "passages", "positions"):
            try:
                raw[key] = _lines(data.get(key, ""), field=key)
            except forms.ValidationError as error:
                self.add_error(key, error)
        if self.errors:
            return data
        entry, problems = parse_note(raw)
        for problem in problems:
            self.add_error(None, _plain(problem))
        if problems:
            return data
        try:
            check_note(entry=entry)
        except EditorialDataError as error:
            for line in str(error).splitlines():
                line = line.strip()
                if line and "nothing was loaded" not in line:
                    self.add_error(None, line.removeprefix(f"note {entry.slug!r}: "))
            return data
        self.entry = entry
        return data


class WorkForm(forms.Form):
    slug = forms.SlugField(
        max_length=80, help_text="author-year (taubman-2003); cannot change later."
    )
    kind = forms.ChoiceField(choices=ReferenceWork.Kind.choices)
    authors = _area(2, "People, one per line, as printed: William Taubman.")
    issuer = forms.CharField(
        required=False, max_length=300, help_text="An institution, when no person is the author."
    )
    editors = _area(2, "Editors, one per line.")
    title = forms.CharField(max_length=500)
    container = forms.CharField(
        required=False, max_length=300, help_text="Journal, newspaper or book that holds it."
    )
    volume = forms.CharField(required=False, max_length=60)
    issue = forms.CharField(required=False, max_length=60)
    publisher = forms.CharField(required=False, max_length=300)
    place = forms.CharField(required=False, max_length=120)
    year = forms.IntegerField(min_value=1000, max_value=2100)
    date = forms.CharField(
        required=False, max_length=10, help_text="For a dated newspaper or document: 1956-06-05."
    )
    pages = forms.CharField(
        required=False, max_length=60, help_text="Page range in its container: 163–214."
    )
    url = forms.CharField(
        required=False, max_length=500, label="URL", help_text="A stable address, if any."
    )
    doi = forms.CharField(required=False, max_length=200, label="DOI")
    note = forms.CharField(
        required=False,
        max_length=2000,
        help_text="One line: what Thaw uses it for.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    LISTS = ("authors", "editors")

    def clean_slug(self) -> str:
        return _slug(self.cleaned_data["slug"])

    def __init__(self, *args, work: ReferenceWork | None = None, **kwargs) -> None:
        if work is not None:
            kwargs.setdefault("initial", self.initial_for(work))
        super().__init__(*args, **kwargs)
        self.work = work
        self.entry: WorkEntry | None = None
        if work is not None:
            self.fields["slug"].disabled = True

    @classmethod
    def initial_for(cls, work: ReferenceWork) -> dict[str, Any]:
        from corpus.editorial import work_table

        table = work_table(work)
        return {k: "\n".join(v) if k in cls.LISTS else v for k, v in table.items()}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        raw = {key: data.get(key) or "" for key in self.fields}
        raw["year"] = data["year"]
        for key in self.LISTS:
            raw[key] = [line.strip() for line in raw[key].splitlines() if line.strip()]
        entry, problems = parse_work(raw)
        for problem in problems:
            self.add_error(None, _plain(problem))
        if not problems:
            self.entry = entry
        return data


# --- sources, errata, glossary and timeline, proposals ---------------------------------------


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
