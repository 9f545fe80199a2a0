import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from lessons.accounts import DEMO_ACCOUNTS


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
