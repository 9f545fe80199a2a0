"""Ingest: the five sources loaded, keys kept across re-ingests, documents validated."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from corpus import ingest
from corpus.ingest import DocumentError, load_corpus, match_passages, validate_document
from corpus.models import Passage, Source, Work

DATA = Path(__file__).resolve().parents[2] / "corpus" / "data"

SOURCE_SLUGS = [
    "speech-congressional-record",
    "speech-anthology",
    "resolution-news-booklet",
    "history-today-article",
    "encyclopedia-article",
]


@pytest.fixture
def data_dir(tmp_path, settings):
    """A private copy of the corpus data that a test may edit."""
    target = tmp_path / "data"
    target.mkdir()
    shutil.copy(DATA / "sources.toml", target / "sources.toml")
    shutil.copytree(DATA / "sources", target / "sources")
    shutil.copytree(DATA / "errata", target / "errata")
    settings.CORPUS_DATA_DIR = target
    return target


@pytest.fixture(scope="module")
def drafts_by_source() -> dict[str, list[ingest.Draft]]:
    """What each source's passages would be, built without the database."""
    manifest = ingest.read_manifest(DATA)
    out = {}
    for entry in manifest.sources:
        text, corrections = ingest.shipped_source(entry, data_dir=DATA)
        drafts, _unused = ingest.build_drafts(
            text,
            profile=entry.profile,
            corrections=corrections,
            quoted_work_id=None,
        )
        out[entry.slug] = drafts
    return out


# Each artifact of digitisation (the seeds README) as a pattern no passage may contain.
ARTIFACTS = {
    "pandoc anchor": re.escape("{#chapter"),
    "pandoc class": re.escape(".EB04"),
    "page-break instruction": re.escape("<?pagebreak"),
    "raw html marker": re.escape("{=html}"),
    "empty span": re.escape("[]{#"),
    "mojibake": "â€",
    "library call number": r"\bHX\s+632\b|^(?:HX|632|A1|W9|MAIN|No\. 1460)$",
    "scanning notice": "Digitized by the Internet Archive",
    "booklet cover": "NEWS BOOKLET",
    "price": r"^4d$",
    "word broken at a page (conse-)": r"conse-",
    "word broken at a page (peace-)": r"peace-(?:\s|$)",
    "dropped capital": r"(?<!T)HE TWENTIETH",
    "fused heading": "areasWhat",
    "search term line": r"^staring angrily$|staring angrilyon",
    "search trailer": "Search another word",
    "site navigation": re.escape("Dictionary | Thesaurus"),
    "copyright line": r"Copyright ©|All rights reserved",
    "login line": "Login or Sign Up",
    "empty See also": r"^See also$",
    "empty External links": r"^External links$",
    "OCR lie/he": "lie is capricious",
    "OCR onlv": r"\bonlv\b",
    "OCR carne": r"\bI carne\b",
    "OCR eves": r"their eves\b",
    "OCR part)": re.escape("part),"),
    "OCR Timasbuk": "Timasbuk",
    "OCR Zakovskv": "Zakovskv",
    "block-quote marker": r"^>",
    "italic marker": re.escape("*"),
    "running footer": "HISTORY TODAY FEBRUARY",
}


@pytest.mark.parametrize("artifact", ARTIFACTS)
@pytest.mark.parametrize("slug", SOURCE_SLUGS)
def test_no_passage_carries_a_digitisation_artifact(drafts_by_source, slug, artifact):
    pattern = re.compile(ARTIFACTS[artifact])
    offending = [d.text for d in drafts_by_source[slug] if pattern.search(d.text)]
    assert offending == []


def test_every_source_has_passages(drafts_by_source):
    assert {slug: bool(d) for slug, d in drafts_by_source.items()} == dict.fromkeys(
        SOURCE_SLUGS, True
    )


# --- loading ----------------------------------------------------------------------


@pytest.mark.django_db
def test_load_creates_works_sources_and_passages_with_metadata(data_dir):
    reports = load_corpus()
    assert [r.slug for r in reports] == SOURCE_SLUGS
    assert set(Work.objects.values_list("slug", flat=True)) == {
        "secret-speech",
        "cc-resolution-1956",
        "history-today-2006",
        "encyclopedia-personality-cult",
    }
    record = Source.objects.get(slug="speech-congressional-record")
    assert record.work.slug == "secret-speech"
    assert "pp. 9389-9403" in record.citation
    assert record.url == "https://digitalarchive.wilsoncenter.org/document/115995"
    article = Source.objects.get(slug="history-today-article")
    assert (article.date.isoformat(), article.date_display) == ("2006-02-01", "February 2006")
    assert "CC BY-SA" in Source.objects.get(slug="encyclopedia-article").provenance
    for report in reports:
        assert report.passages == report.added > 0
        assert Passage.objects.filter(source__slug=report.slug).count() == report.passages


@pytest.mark.django_db
def test_anthology_passages_carry_printed_pages(data_dir):
    load_corpus()
    passages = Passage.objects.filter(source__slug="speech-anthology")
    pages = set(passages.exclude(page_start=None).values_list("page_start", flat=True))
    assert pages == set(range(269, 276))
    spanning = passages.get(text__contains="reflect on Lenin's plain words")
    assert (spanning.page_start, spanning.page_end, spanning.page_label) == (
        269,
        270,
        "pp. 269–270",
    )


@pytest.mark.django_db
def test_encyclopedia_quotations_point_at_the_speech(data_dir):
    load_corpus()
    quotations = Passage.objects.filter(
        source__slug="encyclopedia-article", kind=Passage.Kind.QUOTATION
    )
    assert quotations.count() == 9
    assert set(quotations.values_list("quoted_work__slug", flat=True)) == {"secret-speech"}
    assert not Passage.objects.filter(kind=Passage.Kind.BODY).exclude(quoted_work=None).exists()


@pytest.mark.django_db
def test_garbled_column_fragments_are_never_readable(data_dir):
    load_corpus()
    article = Passage.objects.filter(source__slug="history-today-article")
    readable = " ".join(article.readable().values_list("text", flat=True))
    assert "tect of perestroika" not in readable
    assert "extrac ing thing" not in readable
    assert article.filter(quality=Passage.Quality.GARBLED).count() == 2
    assert all(
        article.filter(quality=Passage.Quality.GARBLED).values_list("quality_note", flat=True)
    )
    last = article.order_by("ordinal").last()
    assert last.quality == Passage.Quality.FRAGMENT
    assert last.text.endswith("intel-")


@pytest.mark.django_db
def test_applied_corrections_are_recorded_on_their_passage(data_dir):
    load_corpus()
    passage = Passage.objects.get(
        source__slug="speech-congressional-record", text__contains="that he is capricious"
    )
    assert {"wrong": "lie", "right": "he"} in passage.corrections
    came = Passage.objects.get(
        source__slug="speech-congressional-record", text__contains="when I came from Kiev"
    )
    assert came.corrections == [{"wrong": "carne", "right": "came"}]
    assert Passage.objects.get(
        source__slug="history-today-article", text__startswith="THE TWENTIETH CONGRESS"
    ).corrections == [{"wrong": "HE", "right": "THE"}]


@pytest.mark.django_db
def test_keys_are_unique_and_the_same_on_a_fresh_load(data_dir):
    load_corpus()
    first = dict(Passage.objects.values_list("text", "key"))
    assert Passage.objects.count() == len(set(Passage.objects.values_list("source", "key")))
    Passage.objects.all().delete()
    Source.objects.update(content_hash="")
    load_corpus()
    assert dict(Passage.objects.values_list("text", "key")) == first


@pytest.mark.django_db
def test_second_load_writes_nothing(data_dir):
    load_corpus()
    before = list(Passage.objects.order_by("pk").values())
    with CaptureQueriesContext(connection) as queries:
        reports = load_corpus()
    assert all(r.skipped for r in reports)
    writes = [q["sql"] for q in queries if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"], re.I)]
    assert writes == []
    assert list(Passage.objects.order_by("pk").values()) == before


def _snapshot(slug: str) -> dict[str, tuple[int, str]]:
    return {p.key: (p.pk, p.text) for p in Passage.objects.filter(source__slug=slug)}


@pytest.mark.django_db
def test_errata_change_reingests_keeping_keys_and_rows(data_dir):
    load_corpus()
    before = _snapshot("speech-congressional-record")
    errata = data_dir / "errata" / "speech-congressional-record.toml"
    # A curator takes one correction back out of the errata (the scan's "Kornarov").
    text = errata.read_text()
    entry = text.index('[[correction]]\nwrong = "examination in 1955 of the Kornarov case"')
    following = text.find("[[correction]]", entry + 1)
    errata.write_text(text[:entry] + (text[following:] if following != -1 else ""))
    (report, *_rest) = load_corpus()
    assert (report.skipped, report.changed, report.added, report.retired) == (False, 1, 0, 0)
    after = _snapshot("speech-congressional-record")
    assert after.keys() == before.keys()
    assert {k: pk for k, (pk, _t) in after.items()} == {k: pk for k, (pk, _t) in before.items()}
    changed = Passage.objects.get(text__contains="Kornarov case")
    assert changed.text_changed_at is not None
    assert not any(c.get("right") == "Komarov" for c in changed.corrections)
    assert before[changed.key][1] != changed.text


@pytest.mark.django_db
def test_edited_text_keeps_its_key_and_a_removed_passage_is_retired_then_revived(data_dir):
    load_corpus()
    path = data_dir / "sources" / "001_5af0e138d611ce27.txt"
    original = path.read_text(encoding="utf-8")
    edited_old = Passage.objects.get(
        text__startswith="Vladimir Ilyich Lenin looked at life differently"
    )
    removed = Passage.objects.get(text__startswith="Stalin separated himself from the people")
    removed_paragraph = next(
        p for p in original.split("\n\n") if p.startswith("Stalin separated himself")
    )
    edited = original.replace("looked at life differently", "looked at life quite differently")
    path.write_text(edited.replace(removed_paragraph + "\n\n", ""), encoding="utf-8")

    report = next(r for r in load_corpus() if r.slug == "speech-anthology")
    assert (report.changed, report.retired, report.added) == (1, 1, 0)
    edited_new = Passage.objects.get(pk=edited_old.pk)
    assert edited_new.key == edited_old.key
    assert "quite differently" in edited_new.text
    assert edited_new.text_changed_at is not None
    removed.refresh_from_db()
    assert removed.is_current is False
    assert removed not in Passage.objects.filter(source__slug="speech-anthology").current()

    path.write_text(original, encoding="utf-8")
    report = next(r for r in load_corpus() if r.slug == "speech-anthology")
    assert report.revived == 1
    removed.refresh_from_db()
    assert removed.is_current is True
    assert removed.key == Passage.objects.get(text__startswith="Stalin separated himself").key


@pytest.mark.django_db
def test_a_bad_file_in_the_manifest_changes_nothing(data_dir):
    load_corpus()
    before = list(Passage.objects.order_by("pk").values())
    (data_dir / "errata" / "speech-anthology.toml").write_text(
        '[[correction]]\nwrong = "Comrades!"\nright = "Comrades,"\n'
    )
    (data_dir / "sources" / "004_93170d2834fe26db.txt").write_bytes(b"\xff\xfe binary")
    with pytest.raises(DocumentError, match="not UTF-8"):
        load_corpus()
    assert list(Passage.objects.order_by("pk").values()) == before


@pytest.mark.django_db
def test_manifest_naming_an_unknown_work_is_refused(data_dir):
    manifest = data_dir / "sources.toml"
    manifest.write_text(
        manifest.read_text().replace('work = "cc-resolution-1956"', 'work = "nope"')
    )
    with pytest.raises(DocumentError, match="unknown work 'nope'"):
        load_corpus()
    assert not Source.objects.exists()


# --- matching and keys ------------------------------------------------------------


def test_matching_prefers_identical_text_then_the_closest_edit():
    old = [
        "Alpha beta gamma delta.",
        "The quick brown fox jumps over the lazy dog.",
        "Gone for good.",
    ]
    new = [
        "The quick brown fox jumped over the lazy dog.",
        "Alpha beta gamma delta.",
        "Brand new text here.",
    ]
    assert match_passages(old=old, new=new) == {1: 0, 0: 1}


def test_matching_is_one_to_one_for_repeated_text():
    old = ["[Applause.]", "[Applause.]"]
    new = ["[Applause.]", "[Applause.]", "[Applause.]"]
    mapping = match_passages(old=old, new=new)
    assert sorted(mapping.values()) == [0, 1]
    assert len(mapping) == 2


def test_minted_keys_get_a_suffix_when_taken():
    first = ingest.mint_key("[Applause.]", taken=set())
    assert ingest.mint_key("[Applause.]", taken={first}) == f"{first}-2"
    assert re.fullmatch(r"[0-9a-f]{8}", first)


# --- validating documents -----------------------------------------------------------


def test_valid_document_is_returned_as_text_without_bom():
    assert (
        validate_document(name="notes.md", data="\ufeff# Notes\n\nText.".encode())
        == "# Notes\n\nText."
    )


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.txt", b"", "empty"),
        ("notes.txt", b"   \n\n", "no text"),
        ("notes.txt", b"text\x00with nul", "binary"),
        ("notes.txt", "Latin-1 caf\xe9".encode("latin-1"), "not UTF-8"),
        ("notes.txt", b"text \x1b[31m escape", "control characters"),
        ("notes.pdf", b"%PDF-1.4", "only plain text or Markdown"),
    ],
)
def test_invalid_documents_are_refused_with_a_one_line_reason(name, data, message):
    with pytest.raises(DocumentError, match=message) as error:
        validate_document(name=name, data=data)
    assert "\n" not in str(error.value)


def test_documents_over_the_size_limit_are_refused(settings):
    settings.CORPUS_MAX_UPLOAD_BYTES = 1024
    with pytest.raises(DocumentError, match="limit is"):
        validate_document(name="big.txt", data=b"a" * 1025)


@pytest.mark.parametrize("value", ["1956-13", "56", "1956-02-30", "February 1956", "1956/02/25"])
def test_bad_dates_are_refused(value):
    with pytest.raises(DocumentError, match="bad date"):
        ingest.parse_date(value)


def test_partial_dates_keep_their_precision_for_display():
    assert ingest.parse_date("1956") == (ingest.datetime.date(1956, 1, 1), "1956")
    assert ingest.parse_date("1956-06")[1] == "June 1956"
    assert ingest.parse_date("1956-06-30")[1] == "30 June 1956"
