"""Property tests of the roster parser (lessons/classes/roster.py): random and hostile CSV files.

Every file ends in a list of problems with no account created, or in exactly the accounts
it lists (username, display name, in the class, a password to change). Never an exception,
never half a class, on SQLite and PostgreSQL (which refuses a NUL in a name).
"""

from __future__ import annotations

import contextlib
import csv
import io

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from lessons.classes.roster import check_roster, create_roster_accounts
from lessons.models import PasswordChangeRequired
from tests.factories import make_school_class, make_user

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=40,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class _Rollback(Exception):
    pass


@contextlib.contextmanager
def savepoint():
    with contextlib.suppress(_Rollback), transaction.atomic():
        yield
        raise _Rollback


USERNAMES = st.one_of(
    st.from_regex(r"[a-z][a-z0-9._@+-]{0,12}", fullmatch=True),
    st.sampled_from(["taken", "TAKEN", "ѕtudent", "ｓtudent", "a" * 151, "", " ", "=cmd", "@x"]),
    st.text(max_size=12),
)
GOOD_USERNAMES = st.from_regex(r"[a-z][a-z0-9._]{2,12}", fullmatch=True)
GOOD_NAMES = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzАБВЁё", min_size=1, max_size=8),
    min_size=1,
    max_size=3,
).map(" ".join)
NAMES = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["Anna K.", "Ёлка", "\x00", "a\x00b", "\x1b[31m", "=HYPERLINK()", "x" * 200]),
)


@st.composite
def roster_files(draw) -> bytes:
    if draw(st.integers(0, 6)) == 0:
        return draw(st.binary(max_size=200))
    out = io.StringIO()
    writer = csv.writer(out)
    hostile = draw(st.booleans())  # else every row is a plausible student
    headers = [["username", "display_name"], ["login", "name"]]
    header = draw(st.sampled_from([*headers, ["x", "y"], []] if hostile else headers))
    writer.writerow(header)
    for _ in range(draw(st.integers(0, 6))):
        if hostile:
            row = [draw(USERNAMES), draw(NAMES)]
        else:
            row = [draw(GOOD_USERNAMES), draw(GOOD_NAMES)]
        if hostile and draw(st.integers(0, 8)) == 0:
            row.append(draw(NAMES))  # a third column
        writer.writerow(row)
    text = out.getvalue()
    encodings = ["utf-8", "utf-8-sig", "utf-16", "latin-1"] if hostile else ["utf-8", "utf-8-sig"]
    encoding = draw(st.sampled_from(encodings))
    return text.encode(encoding, "replace")


@EXAMPLES
@given(data=roster_files())
def test_a_roster_creates_exactly_its_rows_or_nobody(data):
    with savepoint():
        make_user(username="taken")
        school_class = make_school_class()
        users = User.objects.count()
        roster = check_roster(data=data)
        if not roster.ok:
            event("refused")
            assert roster.problems or not roster.rows
            assert all(isinstance(line, int) and message for line, message in roster.problems)
            assert User.objects.count() == users
            return
        event("created")
        created = create_roster_accounts(school_class=school_class, rows=roster.rows)
        assert User.objects.count() == users + len(roster.rows)
        for row, account in zip(roster.rows, created, strict=True):
            user = User.objects.get(pk=account.user.pk)
            assert (user.username, user.first_name) == (row.username, row.display_name)
            assert user.check_password(account.password)
        assert set(school_class.memberships.values_list("student__username", flat=True)) == {
            row.username for row in roster.rows
        }
        assert PasswordChangeRequired.objects.filter(
            user__in=[a.user for a in created]
        ).count() == len(created)
