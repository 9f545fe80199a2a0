"""Bench data on top of `make run`'s setup: many students and teachers, logged-in sessions.

Run as `python -m tests.benchmarks.prepare OUT.json` with the bench server's
environment (THAW_VAR_DIR or DATABASE_URL). The password is hashed ONCE with the
real hasher and the hash copied to every bench user, so 300 users take a moment,
not 300 PBKDF2 rounds. Students who "are already logged in" (the saturation and
synchronized-start scenarios) get a session made here, what `django.contrib.auth.login`
writes (the row, and with cached_db the cached copy); the login scenario logs in for real.
Writes the users, session keys, the lesson and its quiz as JSON for the locustfile.
"""

from __future__ import annotations

import json
import sys
from importlib import import_module
from pathlib import Path

import django

BENCH_PASSWORD = "bench-student-1956"  # a throwaway bench account, on 127.0.0.1 only
STUDENTS = 300
TEACHERS = 5


def logged_in_session(user, session_store_class) -> str:
    """The key of a new session in which `user` is logged in: what
    `django.contrib.auth.login` writes, without a request (or a password check)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = session_store_class()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def main(out: str) -> None:
    django.setup()
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group, User
    from django.db import transaction
    from django.test import Client

    from lessons.accounts.demo import DEMO_JOIN_CODE
    from lessons.accounts.roles import TEACHERS as TEACHERS_GROUP
    from lessons.models import Membership, Module, SchoolClass

    school_class = SchoolClass.objects.get(join_code=DEMO_JOIN_CODE)
    hashed = make_password(BENCH_PASSWORD)
    with transaction.atomic():
        students = User.objects.bulk_create(
            User(username=f"bench-student-{n:03d}", first_name="Bench", password=hashed)
            for n in range(1, STUDENTS + 1)
        )
        teachers = User.objects.bulk_create(
            User(username=f"bench-teacher-{n:02d}", first_name="Bench", password=hashed)
            for n in range(1, TEACHERS + 1)
        )
        # bulk_create sets primary keys on SQLite 3.35+ and PostgreSQL alike.
        Membership.objects.bulk_create(
            Membership(school_class=school_class, student=student) for student in students
        )
        Group.objects.get(name=TEACHERS_GROUP).user_set.add(*teachers)
        school_class.teachers.add(*teachers)

    # The configured engine, as login() uses it: cached_db writes the row and the cache.
    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
    sessions = {user.username: logged_in_session(user, SessionStore) for user in students}

    # The lesson every student reads and its end-of-lesson quiz (built on first use);
    # the next module's quiz is the one the synchronized start begins, untouched before.
    modules = list(Module.objects.order_by("ordinal", "pk")[:2])
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(students[0])
    quiz_urls = []
    for module in modules:
        response = client.post(f"/lessons/{module.slug}/quiz/")
        assert response.status_code == 302, response.status_code
        quiz_urls.append(response["Location"])
    client.logout()
    Path(out).write_text(
        json.dumps(
            {
                "password": BENCH_PASSWORD,
                "students": [u.username for u in students],
                "teachers": [u.username for u in teachers],
                "sessions": sessions,
                "session_cookie": settings.SESSION_COOKIE_NAME,
                "lesson_url": f"/lessons/{modules[0].slug}/",
                "quiz_url": quiz_urls[0],
                "sync_quiz_url": quiz_urls[-1],
                "gradebook_url": _gradebook_url(school_class.pk),
            }
        )
    )


def _gradebook_url(class_pk: int) -> str | None:
    """The class gradebook's URL if the app has one yet (a URL name with "gradebook")."""
    from django.urls import NoReverseMatch, get_resolver, reverse

    resolver = get_resolver()
    names = [name for name in resolver.reverse_dict if isinstance(name, str)]
    names += [  # and the names in a namespace ("classes:teacher_gradebook")
        f"{namespace}:{name}"
        for namespace, (_prefix, included) in resolver.namespace_dict.items()
        for name in included.reverse_dict
        if isinstance(name, str)
    ]
    for name in sorted(n for n in names if "gradebook" in n):
        for kwargs in ({"pk": class_pk}, {"class_pk": class_pk}, {}):
            try:
                return reverse(name, kwargs=kwargs)
            except NoReverseMatch:
                continue
    return None


if __name__ == "__main__":
    main(sys.argv[1])
