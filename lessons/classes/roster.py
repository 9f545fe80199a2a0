"""Importing a class roster from a CSV file: parse and check it, then create the accounts.

A roster is a CSV with a header row `username,display_name` (a "display name"
header is accepted too), one student a line. `parse_roster` is pure: bytes in,
rows and a list of problems (line number and what is wrong) out. Nothing is
created unless every row is good: `create_roster_accounts` runs in one
transaction, so a bad file never leaves half a class behind.

Each account gets a one-time password made here; it is returned to the caller
to show once on a printable page and is stored only as Django's hash. It is
one-time in earnest: the account must choose its own password at its first
log-in (`PasswordChangeRequired`, enforced by lessons.accounts.middleware), so a slip
left on a desk stops working once its student has chosen their own.
"""

from __future__ import annotations

import csv
import io
import secrets
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import transaction

from corpus.plumbing.plain_text import control_character_problem
from lessons.accounts import usernames
from lessons.models import PasswordChangeRequired, SchoolClass

MAX_BYTES = 256 * 1024  # a 500-student roster is about 20 KB
MAX_ROWS = 500
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
USERNAME_HEADERS = {"username", "user name", "login"}
NAME_HEADERS = {"display_name", "display name", "name", "full name"}
# No look-alikes (0/O, 1/l/I): the password is read off a printed slip.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # noqa: S105 (an alphabet, not a password)


@dataclass(frozen=True)
class RosterRow:
    line: int
    username: str
    display_name: str


@dataclass
class Roster:
    rows: list[RosterRow] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.problems


@dataclass(frozen=True)
class CreatedAccount:
    user: User
    password: str


def _decode(data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def parse_roster(*, data: bytes, existing_usernames: set[str] | None = None) -> Roster:
    """Check a roster file. `existing_usernames` are taken already, and so is any name that
    looks like one of them (lessons.accounts.usernames); usernames are normalised (NFKC).

    Line numbers count the header as line 1, as a spreadsheet shows them.
    """
    roster = Roster()
    if len(data) > MAX_BYTES:
        roster.problems.append((0, f"The file is too large (the limit is {MAX_BYTES // 1024} KB)."))
        return roster
    text = _decode(data)
    if text is None:
        roster.problems.append(
            (0, "The file is not UTF-8 text. Save it from your spreadsheet as “CSV UTF-8”.")
        )
        return roster
    if not text.strip():
        roster.problems.append((0, "The file is empty."))
        return roster
    try:
        lines = list(csv.reader(io.StringIO(text)))
    except csv.Error as error:
        roster.problems.append((0, f"The file is not a readable CSV file ({error})."))
        return roster
    header = [cell.strip().lower() for cell in lines[0]]
    if len(header) < 2 or header[0] not in USERNAME_HEADERS or header[1] not in NAME_HEADERS:
        roster.problems.append((1, "The first line must be the header “username,display_name”."))
        return roster
    body = [
        (n, cells) for n, cells in enumerate(lines[1:], start=2) if any(c.strip() for c in cells)
    ]
    if not body:
        roster.problems.append((0, "The file has a header but no students."))
        return roster
    if len(body) > MAX_ROWS:
        roster.problems.append(
            (0, f"The file lists {len(body)} students; the limit is {MAX_ROWS}.")
        )
        return roster
    taken = {key: name for name in existing_usernames or () for key in usernames.skeletons(name)}
    seen: dict[str, tuple[int, str]] = {}  # skeleton -> (line, username)
    validate = UnicodeUsernameValidator()
    for line, cells in body:
        if len(cells) != 2:
            roster.problems.append((line, f"Expected 2 columns, found {len(cells)}."))
            continue
        username = usernames.normalise(cells[0].strip())
        display_name = " ".join(cells[1].split())
        problem = _row_problem(username, display_name, validate)
        keys = usernames.skeletons(username)
        earlier = next((seen[key] for key in keys if key in seen), None)
        now_taken = next((taken[key] for key in keys if key in taken), None)
        if problem is None and earlier:
            other_line, other = earlier
            problem = (
                f"The username “{username}” is also on line {other_line}."
                if other.casefold() == username.casefold()
                else f"The username “{username}” looks too much like “{other}” on line "
                f"{other_line}."
            )
        elif problem is None and now_taken:
            problem = usernames.look_alike_message(username, now_taken)
        if problem:
            roster.problems.append((line, problem))
        else:
            roster.rows.append(RosterRow(line, username, display_name))
        for key in keys:
            seen.setdefault(key, (line, username))
    return roster


def _row_problem(username: str, display_name: str, validate) -> str | None:
    if not username:
        return "The username is empty."
    if len(username) > 150:
        return "The username is longer than 150 characters."
    try:
        validate(username)
    except ValidationError:
        return f"The username “{username}” may only use letters, digits and @ . + - _."
    if username.startswith(FORMULA_PREFIXES) or display_name.startswith(FORMULA_PREFIXES):
        return "A name starting with = + - or @ looks like a spreadsheet formula."
    if not display_name:
        return "The display name is empty."
    if len(display_name) > 150:
        return "The display name is longer than 150 characters."
    control = control_character_problem(display_name)
    if control:
        return f"The display name {control}."
    return None


def taken_usernames(*, usernames: list[str]) -> set[str]:
    """Existing usernames that are, or look like, any of `usernames`. One query."""
    from lessons.accounts.usernames import candidates, skeletons

    wanted = set().union(*(skeletons(name) for name in usernames))
    return {name for name in candidates(usernames) if skeletons(name) & wanted}


def usernames_in(*, data: bytes) -> list[str]:
    """The first column of a roster (for `taken_usernames`); [] when it cannot be read."""
    text = _decode(data) if len(data) <= MAX_BYTES else None
    if not text:
        return []
    try:
        return [cells[0].strip() for cells in list(csv.reader(io.StringIO(text)))[1:] if cells]
    except csv.Error:
        return []


def check_roster(*, data: bytes) -> Roster:
    """`parse_roster` with the usernames already in the database counted as taken."""
    return parse_roster(
        data=data, existing_usernames=taken_usernames(usernames=usernames_in(data=data))
    )


def check_student(*, username: str, display_name: str) -> Roster:
    """One student typed into the teacher's form, checked exactly as a roster line is
    (the same rules, the same messages): written as a one-line roster and read back, so
    there is one checker, not a second one that could drift."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["username", "display_name"], [username, display_name]])
    return check_roster(data=buffer.getvalue().encode("utf-8"))


def one_time_password() -> str:
    """Three groups of four easy-to-read characters, e.g. `k7mw-x3pa-9tfe` (about 60 bits)."""
    groups = ("".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(4)) for _ in range(3))
    return "-".join(groups)


@transaction.atomic
def create_roster_accounts(
    *, school_class: SchoolClass, rows: list[RosterRow]
) -> list[CreatedAccount]:
    """Create an account with a one-time password for each row and add it to the class.

    Each account must change its password at its first log-in.

    All or nothing: a username taken since the check raises IntegrityError and
    rolls every account back.
    """
    created = []
    for row in rows:
        password = one_time_password()
        user = User.objects.create_user(
            username=row.username, password=password, first_name=row.display_name
        )
        school_class.add_student(user)
        created.append(CreatedAccount(user=user, password=password))
    PasswordChangeRequired.objects.bulk_create(
        [PasswordChangeRequired(user=account.user) for account in created]
    )
    return created
