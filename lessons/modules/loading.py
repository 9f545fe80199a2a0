"""Lesson content files (lessons/content/*.md) → Module, Section and Citation rows.

A file is TOML front matter between `+++` lines, then sections, each opened by
a `## Title {#slug}` heading (docs/lesson-format.md). Parsing is pure; loading
resolves every citation against the corpus and writes in one transaction, so a
broken citation anywhere leaves the database exactly as it was.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from corpus.models import GlossaryTerm, TimelineEvent
from lessons.models import Module, Section
from lessons.modules.editorial import check_module_notes
from lessons.modules.rendering import LessonContentError, RenderedBody, render_section_body

CONTENT_DIR = Path(settings.BASE_DIR) / "lessons" / "content"
FRONT_MATTER_KEYS = {"slug", "title", "ordinal", "summary", "objectives", "prompts", "timeline"}
HEADING = re.compile(r"^##[ \t]+(?P<title>.+?)(?:[ \t]*\{#(?P<slug>[a-z0-9][a-z0-9-]*)\})?[ \t]*$")


@dataclass(frozen=True)
class ParsedSection:
    slug: str
    title: str
    body: str


@dataclass(frozen=True)
class ParsedModule:
    slug: str
    title: str
    ordinal: int
    summary: str
    objectives: tuple[str, ...]
    prompts: tuple[str, ...]
    timeline: tuple[str, ...]
    sections: tuple[ParsedSection, ...]


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def parse_module(*, text: str) -> ParsedModule:
    """A content file's text as a ParsedModule; LessonContentError says what is wrong."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "+++":
        raise LessonContentError("the file must start with TOML front matter between +++ lines")
    try:
        end = next(i for i, line in enumerate(lines[1:], 1) if line.strip() == "+++")
    except StopIteration:
        raise LessonContentError("the front matter is not closed by a +++ line") from None
    try:
        meta = tomllib.loads("\n".join(lines[1:end]))
    except tomllib.TOMLDecodeError as error:
        raise LessonContentError(f"front matter is not valid TOML: {error}") from None
    unknown = meta.keys() - FRONT_MATTER_KEYS
    if unknown:
        raise LessonContentError(f"unknown front matter key(s): {', '.join(sorted(unknown))}")
    for key in ("slug", "title"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            raise LessonContentError(f"front matter needs a {key}")
    if meta["slug"] != slugify(meta["slug"]):
        raise LessonContentError(f"slug {meta['slug']!r} is not a slug (lowercase, hyphens)")
    lists = {}
    for key in ("objectives", "prompts", "timeline"):
        value = meta.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise LessonContentError(f"front matter {key} must be a list of strings")
        if key != "timeline" and any("\n" in v for v in value):
            raise LessonContentError(f"each of the {key} must be one line")
        lists[key] = tuple(v.strip() for v in value)
    ordinal = meta.get("ordinal", 0)
    if not isinstance(ordinal, int) or ordinal < 0:
        raise LessonContentError("front matter ordinal must be a whole number ≥ 0")
    return ParsedModule(
        slug=meta["slug"],
        title=meta["title"].strip(),
        ordinal=ordinal,
        summary=str(meta.get("summary", "")).strip(),
        sections=_sections(lines[end + 1 :]),
        **lists,
    )


def _sections(lines: list[str]) -> tuple[ParsedSection, ...]:
    sections: list[ParsedSection] = []
    current: tuple[str, str] | None = None
    body: list[str] = []
    in_fence = False

    def close() -> None:
        if current is not None:
            sections.append(ParsedSection(current[0], current[1], "\n".join(body).strip()))

    for line in lines:
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        match = None if in_fence else HEADING.match(line)
        if match:
            close()
            title = match.group("title").strip()
            current, body = (match.group("slug") or slugify(title), title), []
        elif current is None:
            if line.strip():
                raise LessonContentError(
                    f"text before the first '## Section' heading: {line.strip()[:60]}"
                )
        else:
            body.append(line)
    close()
    if not sections:
        raise LessonContentError("the module has no '## Section' headings")
    slugs = [s.slug for s in sections]
    duplicates = sorted({s for s in slugs if slugs.count(s) > 1})
    if duplicates:
        raise LessonContentError(f"two sections share the anchor {duplicates[0]!r}")
    empty = [s.title for s in sections if not s.body]
    if empty:
        raise LessonContentError(f"section {empty[0]!r} is empty")
    return tuple(sections)


def content_files(*, directory: Path = CONTENT_DIR) -> list[Path]:
    return sorted(directory.glob("*.md"))


@transaction.atomic
def load_modules(*, paths: list[Path], dry_run: bool = False) -> LoadReport:
    """Create or update a module per file (by slug); idempotent.

    Raises LessonContentError naming the file (and section) at the first
    problem, or every editorial note whose lesson sentence is not in these
    lessons; the transaction is rolled back, so nothing is written. With
    `dry_run` everything is checked and then rolled back.
    """
    report = LoadReport()
    glossary = list(GlossaryTerm.objects.all())
    seen: dict[str, Path] = {}
    for path in paths:
        name = _display_name(path)
        try:
            parsed = parse_module(text=path.read_text(encoding="utf-8"))
            if parsed.slug in seen:
                raise LessonContentError(
                    f"slug {parsed.slug!r} is also used by {seen[parsed.slug]}"
                )
            seen[parsed.slug] = name
            rendered = {}
            for section in parsed.sections:
                try:
                    rendered[section.slug] = render_section_body(
                        body=section.body, glossary=glossary
                    )
                except LessonContentError as error:
                    raise LessonContentError(f"section {section.title!r}: {error}") from None
            events = _timeline_events(slugs=parsed.timeline)
        except (LessonContentError, UnicodeDecodeError) as error:
            raise LessonContentError(f"{name}: {error}") from None
        outcome = _store_module(parsed=parsed, rendered=rendered, events=events, source_file=name)
        getattr(report, outcome).append(parsed.slug)
    # Editorial notes (loaded with the corpus) aimed at a sentence of these lessons: the
    # sentence must be in the text just stored, once.
    problems = check_module_notes(module_slugs=seen)
    if problems:
        raise LessonContentError(
            f"{len(problems)} editorial note(s) cannot be placed, nothing was loaded: "
            + "; ".join(problems)
        )
    if dry_run:
        transaction.set_rollback(True)
    return report


def _display_name(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path(settings.BASE_DIR).resolve()))
    except ValueError:
        return str(path)


def _timeline_events(*, slugs: tuple[str, ...]) -> list[TimelineEvent]:
    events = TimelineEvent.objects.in_bulk(list(slugs), field_name="slug")
    missing = [slug for slug in slugs if slug not in events]
    if missing:
        raise LessonContentError(f"unknown timeline event(s): {', '.join(missing)}")
    return [events[slug] for slug in slugs]


def _store_module(
    *,
    parsed: ParsedModule,
    rendered: dict[str, RenderedBody],
    events: list[TimelineEvent],
    source_file: str,
) -> str:
    """Write one module; returns "created", "updated" or "unchanged"."""
    values = {
        "title": parsed.title,
        "ordinal": parsed.ordinal,
        "summary": parsed.summary,
        "objectives": "\n".join(parsed.objectives),
        "prompts": "\n".join(parsed.prompts),
        "source_file": source_file,
    }
    module = Module.objects.filter(slug=parsed.slug).first()
    created = module is None
    changed = False
    if created:
        module = Module.objects.create(slug=parsed.slug, **values)
    elif any(getattr(module, k) != v for k, v in values.items()):
        for key, value in values.items():
            setattr(module, key, value)
        module.save()
        changed = True
    if {e.pk for e in module.timeline_events.all()} != {e.pk for e in events}:
        module.timeline_events.set(events)
        changed = True

    existing = {s.slug: s for s in module.sections.all()}
    for ordinal, parsed_section in enumerate(parsed.sections, start=1):
        section = existing.pop(parsed_section.slug, None)
        fields = {"title": parsed_section.title, "ordinal": ordinal, "body": parsed_section.body}
        if section is None:
            section = Section(module=module, slug=parsed_section.slug, **fields)
            changed = True
        elif any(getattr(section, k) != v for k, v in fields.items()):
            for key, value in fields.items():
                setattr(section, key, value)
            section.save()
            changed = True
        changed |= section.store_rendering(rendered[parsed_section.slug])
    if existing:
        # Sections no longer in the file: the file is the source of truth.
        Section.objects.filter(pk__in=[s.pk for s in existing.values()]).delete()
        changed = True
    if created:
        return "created"
    return "updated" if changed else "unchanged"
