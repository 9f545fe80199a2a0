import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from lessons.accounts.demo import DEMO_ACCOUNTS


@pytest.mark.django_db
def test_seed_demo_creates_logins_that_work_and_is_idempotent(client, capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    assert User.objects.count() == len(DEMO_ACCOUNTS)
    output = capsys.readouterr().out
    for account in DEMO_ACCOUNTS:
        assert account.username in output and account.password in output
        assert client.login(username=account.username, password=account.password)


@pytest.mark.django_db
def test_only_the_demo_curator_may_change_the_corpus():
    call_command("seed_demo")
    curator = User.objects.get(username="curator")
    student = User.objects.get(username="student")
    assert curator.is_staff and curator.has_perm("corpus.change_passage")
    assert not student.is_staff and not student.has_perm("corpus.change_passage")


@pytest.mark.django_db
def test_seed_demo_makes_a_demo_class_with_its_join_code(capsys):
    from lessons.accounts.demo import DEMO_JOIN_CODE
    from lessons.models import SchoolClass

    call_command("seed_demo")
    call_command("seed_demo")
    assert DEMO_JOIN_CODE in capsys.readouterr().out
    school_class = SchoolClass.objects.get()
    assert school_class.name == "Demo class — 10B History"
    assert school_class.join_code == DEMO_JOIN_CODE and school_class.join_enabled
    assert [t.username for t in school_class.teachers.all()] == ["teacher"]
    assert [s.username for s in school_class.students.all()] == ["student"]


@pytest.mark.django_db
def test_login_page_links_to_signup_and_logs_in(client):
    call_command("seed_demo")
    html = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/signup/"' in html
    response = client.post(
        "/accounts/login/", {"username": "student", "password": "thaw-student-1956"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(username="student").pk)


@pytest.mark.django_db
def test_wrong_password_shows_an_error_and_does_not_log_in(client):
    call_command("seed_demo")
    response = client.post("/accounts/login/", {"username": "student", "password": "nope"})
    assert "Please enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_logout_is_a_post_from_the_nav(client):
    call_command("seed_demo")
    client.login(username="student", password="thaw-student-1956")
    html = client.get("/").content.decode()
    assert 'action="/accounts/logout/"' in html and 'method="post"' in html
    assert client.get("/accounts/logout/").status_code == 405
    assert "_auth_user_id" in client.session
    assert client.post("/accounts/logout/")["Location"] == "/"
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_password_change_needs_the_old_password_and_then_works(client):
    call_command("seed_demo")
    client.login(username="student", password="thaw-student-1956")
    page = client.get("/accounts/password_change/").content.decode()
    assert "Change password" in page and 'name="old_password"' in page
    wrong = client.post(
        "/accounts/password_change/",
        {
            "old_password": "nope",
            "new_password1": "a-new-thaw-2024",
            "new_password2": "a-new-thaw-2024",
        },
    )
    assert "Your old password was entered incorrectly" in wrong.content.decode()
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": "thaw-student-1956",
            "new_password1": "a-new-thaw-2024",
            "new_password2": "a-new-thaw-2024",
        },
        follow=True,
    )
    assert "Password changed" in response.content.decode()
    assert "_auth_user_id" in client.session  # still logged in
    client.logout()
    assert not client.login(username="student", password="thaw-student-1956")
    assert client.login(username="student", password="a-new-thaw-2024")


@pytest.mark.django_db
def test_password_change_requires_login(client):
    response = client.get("/accounts/password_change/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "links", "absent"),
    [
        (None, ["Log in", "Sign up"], ["Dashboard", "Admin", "Log out"]),
        ("student", ["Dashboard", "Log out"], ["Admin", "Sign up"]),
        ("curator", ["Dashboard", "Admin", "Log out"], ["Sign up"]),
    ],
)
def test_nav_fits_the_role(client, username, links, absent):
    call_command("seed_demo")
    if username:
        client.force_login(User.objects.get(username=username))
    html = client.get("/sources/").content.decode()
    nav = html[html.index('<nav class="container site-nav"') : html.index("</nav>")]
    row = nav[nav.index('<ul class="nav-row">') : nav.index('<details class="nav-menu">')]
    menu = nav[nav.index('<details class="nav-menu">') :]  # the same links, folded on phones
    for part in (row, menu):
        for label in ["Lessons", "Sources", "Search", "Compare", "Glossary", "Timeline", *links]:
            assert label in part
        for label in absent:
            assert f">{label}<" not in part


def _curator(**kwargs):
    from lessons.accounts.roles import CURATORS, ensure_role_groups
    from tests.factories import make_user

    user = make_user(is_staff=True, **kwargs)
    user.groups.add(ensure_role_groups()[CURATORS])
    return user


def _log_in(client, username: str, *, next_url: str | None = None):
    path = "/accounts/login/" + (f"?next={next_url}" if next_url else "")
    return client.post(path, {"username": username, "password": "a-long-password-1956"})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "start"),
    [("student", "/dashboard/"), ("teacher", "/teach/"), ("curator", "/curation/")],
)
def test_each_role_lands_on_its_own_start_page_after_logging_in(client, role, start):
    from tests.factories import make_teacher, make_user

    make = {"student": make_user, "teacher": make_teacher, "curator": _curator}[role]
    make(username=f"a-{role}")
    response = _log_in(client, f"a-{role}")
    assert response.status_code == 302
    assert response["Location"] == start
    assert client.get(start).status_code == 200  # a page the role may open


@pytest.mark.django_db
def test_a_safe_next_wins_over_the_start_page_and_an_unsafe_one_does_not(client):
    from tests.factories import make_teacher

    make_teacher(username="tamara")
    response = _log_in(client, "tamara", next_url="/lessons/the-secret-speech/")
    assert response["Location"] == "/lessons/the-secret-speech/"
    client.post("/accounts/logout/")
    response = _log_in(client, "tamara", next_url="https://evil.example/")
    assert response["Location"] == "/teach/"
