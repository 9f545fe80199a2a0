"""The curators' forms for editorial notes and reference works.

A form is a way of typing one [[note]] or [[work]] table: its lists (targets, references,
passages, positions) are written one inline table per line, exactly as in the data files,
and the whole is checked by corpus.editorial's parser and by corpus.editing.check_note,
so the app accepts what a file would and refuses it with the same readable reasons.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

from django import forms

from corpus.editing import check_note
from corpus.editorial import EditorialDataError, NoteEntry, WorkEntry, parse_note, parse_work
from corpus.editorial_toml import inline
from corpus.models import EditorialNote, ReferenceWork

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
