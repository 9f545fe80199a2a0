"""Cleaning profiles: the raw text of a source document in, paragraph-sized blocks out.

Pure functions, no database.  Each source in the manifest names a *profile*, the
set of repairs its digitisation needs (see docs/corpus-format.md):

* ``wilson-center``    000: the archive's header (Citation/Summary/Credits/...) is not
                        body text; its Summary becomes an editor's note; ``[...]`` elisions
                        are the archive editor's and stay, as their own editorial blocks.
* ``pandoc-anthology`` 001: pandoc anchors and raw-HTML page markers (turned into page
                        numbers), ``>`` block quotes, italic editor's notes and stage
                        directions (``(*Applause.*)`` -> ``[Applause.]``), ``--`` dashes.
* ``news-booklet``     002: cover, library call number and scanning notice dropped;
                        numbered parts become sections; paragraphs and words broken
                        across page boundaries rejoined.
* ``magazine-ocr``     003: running footer and page number, photo caption (kept as an
                        editor's note), a heading fused into a sentence split off.
* ``web-encyclopedia`` 004: the copying website's boilerplate, empty headings, bullet
                        lists (one block per bullet; quoted bullets are quotations).
* ``generic``          imported Markdown or plain text: markup stripped, paragraphs on
                        blank lines, ``#`` headings become sections.

OCR slips of single words are not fixed here but by the errata files
(corpus/errata.py), so that every such correction is visible and recorded.
Quality flags are assessed after errata by `assess_quality`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import ftfy

# Bump whenever a change here alters the blocks produced for an existing file:
# it is part of each source's ingest fingerprint, so the next load_corpus
# re-ingests every source instead of skipping it as unchanged.
CLEANING_VERSION = "2"

# Block kinds are the values of corpus.models.Passage.Kind (kept as strings so
# that this module needs no Django).
BODY, QUOTATION, HEADING, EDITORIAL, STAGE = "body", "quotation", "heading", "editorial", "stage"
GOOD, FRAGMENT, GARBLED = "good", "fragment", "garbled"


@dataclass(frozen=True)
class Block:
    text: str
    kind: str = BODY
    section: str = ""
    page_start: int | None = None
    page_end: int | None = None
    list_item: bool = False


# --- text-level repairs -------------------------------------------------------

_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False)
_PRIVATE = re.compile("[\ue000-\uf8ff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SPACE = re.compile(r"\s+")


def fix_encoding(text: str) -> str:
    """Mojibake (cp1252/UTF-8 mix-ups) repaired by ftfy; controls and odd spaces out."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    # ftfy undoes one layer of mis-decoding per pass; text garbled twice needs two.
    for _ in range(3):
        fixed = ftfy.fix_text(text, _FTFY)
        if fixed == text:
            break
        text = fixed
    text = text.replace("\t", " ").replace("\u00a0", " ")
    # Private-use characters are our page sentinels (below); input never carries them.
    return _PRIVATE.sub("", text)


def normalise_space(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def normalise_dashes(text: str) -> str:
    """Typewriter dashes as pandoc reads them: ``---`` em dash, ``--`` en dash."""
    return text.replace("---", "\u2014").replace("--", "\u2013")


_RAW_HTML = re.compile(r"`[^`\n]*`\{=html\}")
_EMPTY_SPAN = re.compile(r"\[\]\{[^}\n]*\}")
_ATTRIBUTES = re.compile(r"\s*\{[#.][^}\n]*\}")
_IMAGE = re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)")
_LINK = re.compile(r"\[([^\]\n]+)\]\((?:[^)\n]*)\)")
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
_CODE = re.compile(r"`+")
_STARS = re.compile(r"\*+")
_UNDERSCORE_OPEN = re.compile(r"(?<![\w_])_+(?=[^\s_])")
_UNDERSCORE_CLOSE = re.compile(r"(?<=[^\s_])_+(?![\w_])")
# Backslash escapes go with the backslashes (all of a run: stripping must be idempotent).
_ESCAPE = re.compile(r"\\+(?=[`*_{}\[\]()#+\-.!>])")
_ITALIC_STAGE = re.compile(r"\(\s*\*([^*()\n]+?)\*\s*\)")


def strip_inline_markup(text: str, *, italic_stage_directions: bool = False) -> str:
    """Markdown/pandoc inline markup removed, the words kept.

    With `italic_stage_directions`, ``(*Tumultuous applause.*)`` becomes the bracket
    form the other sources print, ``[Tumultuous applause.]`` (in the booklet the
    same markup is a footnoted citation, which stays in parentheses).
    """
    # Each pass only removes or shortens markup, but removing one piece can expose
    # another ("[\\]{}" -> "[]{}"), so repeat until nothing changes.
    while True:
        stripped = _strip_once(text, italic_stage_directions=italic_stage_directions)
        if stripped == text:
            return text
        text = stripped


def _strip_once(text: str, *, italic_stage_directions: bool) -> str:
    text = _RAW_HTML.sub("", text)
    text = _EMPTY_SPAN.sub("", text)
    text = _ATTRIBUTES.sub("", text)
    if italic_stage_directions:
        text = _ITALIC_STAGE.sub(r"[\1]", text)
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _HTML_TAG.sub("", text)
    text = _CODE.sub("", text)
    text = _STARS.sub("", text)
    text = _UNDERSCORE_OPEN.sub("", text)
    text = _UNDERSCORE_CLOSE.sub("", text)
    return _ESCAPE.sub("", text)


# --- page markers ---------------------------------------------------------------

_PAGE_MARK = "\ue000{}\ue001"
_PAGE_SENTINEL = re.compile("\ue000(\\d+)\ue001")
_PANDOC_PAGEBREAK = re.compile(
    r"`<\?pagebreak\s+number=\"(\d+)\"\s*\?>`\{=html\}(?:\[\]\{#[^}\n]*\})?"
)


def mark_pandoc_pages(text: str) -> str:
    """Pandoc's raw page-break markers become sentinels that `assign_pages` reads."""
    return _PANDOC_PAGEBREAK.sub(lambda m: _PAGE_MARK.format(m.group(1)), text)


def assign_pages(blocks: Sequence[Block]) -> list[Block]:
    """Page numbers from the sentinels: a block is on the page in force where it starts
    and ends on the last page marker inside it.  Text before the first marker has
    no known page."""
    page: int | None = None
    out = []
    for block in blocks:
        text = block.text
        starts_with_marker = _PAGE_SENTINEL.match(text.lstrip())
        start = int(starts_with_marker.group(1)) if starts_with_marker else page
        for match in _PAGE_SENTINEL.finditer(text):
            page = int(match.group(1))
        end = page if page is not None else None
        clean = _PAGE_SENTINEL.sub("", text)
        if start is None and end is None:
            out.append(replace(block, text=clean))
        else:
            out.append(replace(block, text=clean, page_start=start or end, page_end=end))
    return out


# --- splitting ------------------------------------------------------------------

_HEADING = re.compile(r"^\s*(#{1,6})(?:\s+|$)")
_QUOTE_PREFIX = re.compile(r"^\s*(?:>\s?)+")
_BULLET = re.compile(r"^\s*(?:[-*+•]\s+)+")
_RULE = re.compile(r"^\s*(?:[-*_]\s*){3,}$")
_ELISION = re.compile(r"^\[\s*(?:\.\s*){3}\]$|^\[…\]$|^…$")
_STAGE = re.compile(r"^(?:\[[^\[\]]*[^\W\d_][^\[\]]*\][\s.…]*)+$")
_LEADING_MARKERS = re.compile(r"^(?:>\s*|#{1,6}(?:\s+|$)|[-*+•](?:\s+|$))+")
_TERMINAL = ".!?:;…\"'”’)]»"


def split_raw_blocks(text: str) -> list[list[str]]:
    """Lines grouped into blocks on blank lines (and on bare ``>`` lines, which
    separate paragraphs inside a Markdown block quote)."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        if not line.strip() or re.fullmatch(r"\s*>\s*", line):
            if current:
                blocks.append(current)
                current = []
        else:
            current.append(line)
    if current:
        blocks.append(current)
    return blocks


def _strip_heading_marks(line: str) -> str:
    while _HEADING.match(line):
        line = _HEADING.sub("", line, count=1)
    return line


_strip = strip_inline_markup


def _is_italic(text: str) -> bool:
    bare = _PAGE_SENTINEL.sub("", text).strip()
    return len(bare) > 2 and bare.startswith("*") and bare.endswith("*") and "**" not in bare


def parse_markdown(text: str, *, italic_stage_directions: bool = False) -> list[Block]:
    """Markdown blocks: ``#`` headings, ``>`` quotations (an all-italic quotation
    is an editor's note, as anthologies set them), bullets one block each."""

    def strip_inline_markup(text: str) -> str:
        return _strip(text, italic_stage_directions=italic_stage_directions)

    blocks: list[Block] = []
    for lines in split_raw_blocks(text):
        if _RULE.match(lines[0]) and len(lines) == 1:
            continue
        if _HEADING.match(lines[0]):
            heading = " ".join(_strip_heading_marks(line) for line in lines)
            blocks.append(Block(strip_inline_markup(heading), kind=HEADING))
        elif _QUOTE_PREFIX.match(lines[0]):  # later lines may continue it lazily
            inner = " ".join(_QUOTE_PREFIX.sub("", line) for line in lines)
            kind = EDITORIAL if _is_italic(inner) else QUOTATION
            blocks.append(Block(strip_inline_markup(inner), kind=kind))
        elif _BULLET.match(lines[0]):
            items: list[str] = []
            for line in lines:
                if _BULLET.match(line):
                    items.append(_BULLET.sub("", line))
                else:
                    items[-1] += " " + line
            blocks.extend(Block(strip_inline_markup(item), list_item=True) for item in items)
        else:
            blocks.append(Block(strip_inline_markup(" ".join(lines))))
    return blocks


# --- joining what page breaks split -------------------------------------------------


def _ends_terminal(text: str) -> bool:
    return bool(text) and text[-1] in _TERMINAL


def _joinable(block: Block) -> bool:
    return block.kind == BODY and not block.list_item


def rejoin_broken_paragraphs(
    blocks: Sequence[Block], *, document: str, require_lowercase: bool
) -> list[Block]:
    """A paragraph that ends without terminal punctuation continues in the next block
    (the scan broke it at a page or column boundary).  A word hyphenated across the
    break is rejoined without its hyphen unless the document spells it hyphenated
    elsewhere ("self-criticism").  With `require_lowercase` the next block must start
    in lower case, which is all a careful profile for a clean text should assume."""
    out: list[Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if (
            prev is not None
            and _joinable(prev)
            and _joinable(block)
            and not _ends_terminal(prev.text)
            and len(prev.text.split()) >= 8
            and block.text[:1].isalpha()
            and (block.text[:1].islower() or not require_lowercase)
        ):
            out[-1] = replace(prev, text=_join(prev.text, block.text, document=document))
        else:
            out.append(block)
    return out


def _join(left: str, right: str, *, document: str) -> str:
    hyphenated = re.search(r"(\w+)-$", left)
    if hyphenated and right[:1].islower():
        head = hyphenated.group(1)
        tail = re.match(r"\w+", right)
        compound = f"{head}-{tail.group(0) if tail else ''}"
        if compound.lower() not in document.lower():
            return left[:-1] + right
        return left + right
    return f"{left} {right}"


# --- finishing ----------------------------------------------------------------


def _finish(blocks: Sequence[Block]) -> list[Block]:
    """Space normalised, empty blocks dropped, sections assigned, stage directions
    and elisions recognised."""
    out: list[Block] = []
    section = ""
    for block in blocks:
        # Encoding again: removing markup can bring mojibake halves together.
        text = normalise_space(fix_encoding(block.text))
        # Block markup left at the start once inline markup went ("`>` x" -> "> x").
        text = _LEADING_MARKERS.sub("", text)
        if not any(ch.isalnum() for ch in text) and not _ELISION.match(text):
            continue
        kind = block.kind
        if kind == HEADING:
            section = text
        elif _ELISION.match(text):
            kind = EDITORIAL
        elif kind == BODY and _STAGE.match(text):
            kind = STAGE
        out.append(replace(block, text=text, kind=kind, section=block.section or section))
    return out


# --- profiles -----------------------------------------------------------------


def clean_generic(text: str) -> list[Block]:
    text = normalise_dashes(fix_encoding(text))
    blocks = parse_markdown(text)
    blocks = [replace(b, text=normalise_space(b.text)) for b in blocks]
    blocks = [b for b in blocks if b.text]
    blocks = rejoin_broken_paragraphs(blocks, document=text, require_lowercase=True)
    return _finish(blocks)


def clean_pandoc_anthology(text: str) -> list[Block]:
    text = mark_pandoc_pages(fix_encoding(text))
    text = normalise_dashes(text)
    blocks = assign_pages(parse_markdown(text, italic_stage_directions=True))
    return _finish(blocks)


_ARCHIVE_LABELS = ("Citation:", "Summary:", "Credits:", "Original Language:", "Contents:")


def clean_wilson_center(text: str) -> list[Block]:
    text = normalise_dashes(fix_encoding(text))
    raw = [normalise_space(" ".join(lines)) for lines in split_raw_blocks(text)]
    # The archive's header: a date line, the archive title, then label/value pairs.
    # Everything up to the value of the last label is metadata (the manifest holds
    # it); the Citation and the Summary are kept as editor's notes, because they
    # carry facts worth citing (where and when the Congressional Record printed it).
    labels = [i for i, b in enumerate(raw) if b in _ARCHIVE_LABELS]
    blocks: list[Block] = []
    body_start = 0
    if labels:
        body_start = labels[-1] + 2
        for i in labels:
            if raw[i] in ("Citation:", "Summary:") and i + 1 < len(raw):
                blocks.append(Block(raw[i + 1], kind=EDITORIAL))
    rest = raw[body_start:]
    if rest and not _ends_terminal(rest[0]) and len(rest[0].split()) <= 40:
        blocks.append(Block(rest[0], kind=HEADING))
        rest = rest[1:]
    blocks.extend(Block(b) for b in rest)
    blocks = rejoin_broken_paragraphs(blocks, document=text, require_lowercase=True)
    return _finish(blocks)


_SCAN_NOTICE = re.compile(r"^Digitized by the Internet Archive\b", re.IGNORECASE)
_CALL_NUMBER_LINE = re.compile(r"^(?:[A-Z]{1,3}|\d{1,4}|[A-Z]\d{1,3}|No\.\s*\d+|MAIN)$")
_PART = re.compile(r"^(\d{1,2})\.\s+\S")


def clean_news_booklet(text: str) -> list[Block]:
    text = normalise_dashes(fix_encoding(text))
    raw = split_raw_blocks(text)
    # The cover, price, library label and the Internet Archive's notice come before
    # the title page; the title page repeats the cover's title, so the cover goes.
    notice = next((i for i, lines in enumerate(raw) if _SCAN_NOTICE.match(lines[0])), None)
    if notice is not None:
        raw = raw[notice + 1 :]
    raw = [
        lines
        for lines in raw
        if not all(_CALL_NUMBER_LINE.match(line.strip()) for line in lines)
        and not re.fullmatch(r"NEWS BOOKLET No\.\s*\d+|\d+d", " ".join(lines).strip())
    ]
    markdown = "\n\n".join("\n".join(lines) for lines in raw)
    front: list[Block] = []
    blocks: list[Block] = []
    for lines in split_raw_blocks(markdown):
        (block,) = parse_markdown("\n".join(lines))[:1] or (None,)
        if block is None:
            continue
        text_ = normalise_space(block.text)
        # The scan sets spaces before ? ; : as French typesetting does.
        text_ = re.sub(r"(?<=\w|\.)\s+([?;:!])(?=\s|$)", r"\1", text_)
        if not blocks and not _PART.match(text_):
            # The title page: title, the subtitle set in italics, the date.
            kind = HEADING if block.kind == HEADING or _is_italic(" ".join(lines)) else BODY
            front.append(replace(block, text=text_, kind=kind))
            continue
        blocks.append(replace(block, text=text_, kind=BODY))
    blocks = front + rejoin_broken_paragraphs(blocks, document=text, require_lowercase=False)
    out = []
    part = ""
    for block in blocks:
        match = _PART.match(block.text)
        if match and block.kind == BODY:
            part = f"Part {match.group(1)}"
        out.append(replace(block, section=part) if part else block)
    return _finish(out)


_MONTHS = "JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER"
_RUNNING_FOOTER = re.compile(rf"^[A-Z][A-Z &]+ (?:{_MONTHS}) \d{{4}}$")
_PAGE_NUMBER = re.compile(r"^\d{1,4}$")
_CAPTION = re.compile(
    r"\((?:left|right|centre|center|above|below|top|bottom|inset|[a-z]+ from (?:left|right))\)"
)
_FUSED_HEADING = re.compile(r"(?<=[a-z])((?:[A-Z][a-z']*)(?: [A-Z][a-z']*){3,})(?= [a-z]|[.,;]|$)")


def clean_magazine_ocr(text: str) -> list[Block]:
    text = normalise_dashes(fix_encoding(text))
    pages: list[int] = []
    blocks: list[Block] = []
    raw = parse_markdown(text)
    skip_page_number = False
    for block in raw:
        text_ = normalise_space(block.text)
        if _RUNNING_FOOTER.match(text_):
            skip_page_number = True
            continue
        if skip_page_number and _PAGE_NUMBER.match(text_):
            pages.append(int(text_))
            skip_page_number = False
            continue
        skip_page_number = False
        if block.kind == BODY and _CAPTION.search(text_):
            blocks.append(replace(block, text=text_, kind=EDITORIAL))
            continue
        fused = _FUSED_HEADING.search(text_) if block.kind == BODY else None
        if fused:
            # A heading from the next column fused into a sentence: split it off and
            # let it head what follows.
            sentence = normalise_space(text_[: fused.start()] + " " + text_[fused.end() :])
            sentence = re.sub(r"\s+([.,;])", r"\1", sentence)
            blocks.append(replace(block, text=sentence))
            blocks.append(Block(fused.group(1), kind=HEADING))
            continue
        blocks.append(replace(block, text=text_))
    if len(set(pages)) == 1:
        # A one-page article: every block is on the page its footer names.
        blocks = [replace(b, page_start=pages[0], page_end=pages[0]) for b in blocks]
    return _finish(blocks)


_SEARCH_TRAILER = re.compile(r"Search another word or see (.+?)\s*on Dictionary", re.IGNORECASE)
_WEB_BOILERPLATE = re.compile(
    r"^(?:Search another word\b|Copyright ©|©|.*\bAll rights reserved\b|.*\bLogin or Sign Up\b)",
    re.IGNORECASE,
)


def clean_web_encyclopedia(text: str) -> list[Block]:
    text = normalise_dashes(fix_encoding(text))
    trailer = _SEARCH_TRAILER.search(text)
    search_term = trailer.group(1).strip().lower() if trailer else None
    lines = []
    for line in text.split("\n"):
        bare = _BULLET.sub("", line).strip()
        if _WEB_BOILERPLATE.match(bare) or (search_term and bare.lower() == search_term):
            lines.append("")
        elif _BULLET.match(line):
            # Every bullet is its own paragraph, nested or not.
            lines.extend(["", line, ""])
        else:
            lines.append(line)
    blocks = []
    for block in parse_markdown("\n".join(lines)):
        text_ = normalise_space(block.text)
        kind = block.kind
        words = text_.split()
        if (
            kind == BODY
            and not block.list_item
            and 0 < len(words) <= 10
            and not _ends_terminal(text_)
            and text_[:1].isupper()
        ):
            kind = HEADING
        elif block.list_item and text_[:1] in '"“':
            kind = QUOTATION
        blocks.append(replace(block, text=text_, kind=kind))
    # Headings with nothing under them ("See also", "External links" without their lists).
    kept: list[Block] = []
    for block in reversed(blocks):
        if block.kind == HEADING and (not kept or kept[-1].kind == HEADING):
            continue
        kept.append(block)
    return _finish(list(reversed(kept)))


PROFILES: dict[str, Callable[[str], list[Block]]] = {
    "generic": clean_generic,
    "wilson-center": clean_wilson_center,
    "pandoc-anthology": clean_pandoc_anthology,
    "news-booklet": clean_news_booklet,
    "magazine-ocr": clean_magazine_ocr,
    "web-encyclopedia": clean_web_encyclopedia,
}


def clean(text: str, *, profile: str) -> list[Block]:
    """The blocks of a document, cleaned by its profile (KeyError if unknown)."""
    return PROFILES[profile](text)


# --- quality ------------------------------------------------------------------


# English words of one to three letters.  Column fragments of OCR are cut
# mid-word ("w", "se", "wa", "th", "Khi"); a run of short tokens that are not
# words is the clearest sign of unreadable text in any English document.
def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_SHORT_WORDS = _word_set(
    """a i o an as at be by do go he if in is it me my no of on or so to up us we am ok
    oh ah eh ex re mr dr st vs ii iii iv vi vii ix xi xii
    the and for was are but not you all any can had her his one our out day get has him how
    man new now old see two way who did its let put say she too use war law yes yet few far
    own why men act age ago aim end eye key set top try run red big low due off per via etc
    ten six god mrs nor got lay led lie met sat saw sea sun tax air arm art bad bed bit box
    boy buy car cut dog ear eat egg fit fly fun gas guy hat hit hot ice job kid lot map mix
    net oil pay pen pop pot raw row sad sir sit sky son tea tie tip toe van win ask add aid
    bar bay bid bow cap cow cry die dry dug era fan fat fed fee fix fox gap gun hay hen hid
    hop hug hut inn jaw joy lab lap leg lip log mad mud nod nut odd opt owe pan pat pet pie
    pig pin pit pub rat ray rib rid rod rub rug sew shy sin ski sob sow spy sue tag tan tap
    tar tin ton toy tub tug vet vow wag wax web wed wet wig won zoo tom ham arc ace ads
    pro con sum une les des der die das von van del non vis"""
)
# Words that begin sentences; one following a lower-case word with no punctuation
# between marks a sentence cut off mid-way ("... it wa Generations", "the s A few").
_SENTENCE_STARTERS = _word_set(
    "A The He She It Now In But And This That They We His Her There When As"
)
_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_LONE_QUOTE = re.compile(r"(?:(?<=\s)|^)['‘’\"“”](?=\s|$)")


def junk_share(text: str) -> tuple[float, int]:
    """Share of tokens that do not look like words of running English text, and
    the number of tokens."""
    tokens = list(_TOKEN.finditer(text))
    junk = len(_LONE_QUOTE.findall(text))
    previous = ""
    for match in tokens:
        junk += _is_junk(match, text=text, previous=previous)
        previous = match.group(0)
    return (junk / len(tokens) if tokens else 0.0), len(tokens)


def _is_junk(match: re.Match[str], *, text: str, previous: str) -> bool:
    token = match.group(0)
    following = text[match.end() : match.end() + 1]
    before = text[match.start() - 1 : match.start()] if match.start() else ""
    if before.isdigit():
        return False  # an ordinal's suffix: "17th", "2nd"
    if token.isascii() and len(token) <= 3 and token.lower() not in _SHORT_WORDS:
        # Acronyms ("CC", "USSR") and initials ("J. V. Stalin") are words here.
        return not (len(token) >= 2 and token.isupper()) and not (
            len(token) == 1 and following == "."
        )
    return (
        token in _SENTENCE_STARTERS
        and previous[:1].islower()
        and before == " "
        and text[: match.start()].rstrip()[-1:].isalpha()
    )


GARBLED_SHARE = 0.12


def assess_quality(block: Block, *, is_last: bool) -> tuple[str, str]:
    """(quality, note) for a block: garbled when too many tokens are not words,
    fragment when the text visibly starts or stops mid-way."""
    text = block.text
    if block.kind == STAGE or _ELISION.match(text):
        return GOOD, ""
    share, count = junk_share(text)
    if count >= 6 and share >= GARBLED_SHARE:
        return GARBLED, (
            f"{round(share * 100)}% of its words are cut off or are not words "
            "(OCR of broken columns)."
        )
    if block.kind not in (BODY, QUOTATION):
        return GOOD, ""
    if re.search(r"[^\W\d_]-$", text):
        return FRAGMENT, "Breaks off in the middle of a word."
    if is_last and not _ends_terminal(text):
        return FRAGMENT, "Breaks off: the rest of the text is missing from the source."
    if text[:1].islower():
        return FRAGMENT, "Begins mid-sentence: its start is missing from the source."
    if not block.list_item and len(text.split()) >= 6 and re.search(r"[a-z,]$", text):
        return FRAGMENT, "Ends mid-sentence."
    return GOOD, ""


def normalise_for_matching(text: str) -> str:
    """The form in which two passages count as the same text: case, quotes,
    dashes and spacing ignored."""
    text = text.casefold()
    text = re.sub("[‘’‛`´]", "'", text)
    text = re.sub("[“”„]", '"', text)
    text = re.sub("[‐‑‒–—―]", "-", text)
    return normalise_space(text)


def text_digest(text: str) -> str:
    return hashlib.sha256(normalise_for_matching(text).encode()).hexdigest()
