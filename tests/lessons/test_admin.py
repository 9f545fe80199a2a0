"""Curators edit lesson sections in the admin; the body is re-rendered on save."""

import pytest

from lessons.models import Section
from tests.factories import make_passage, make_section, make_source


@pytest.fixture
def section(db):
    source = make_source(slug="speech-anthology")
    make_passage(source=source, key="night", text="The delegates were summoned to a night meeting.")
    make_passage(source=source, key="hall", text="There was no photograph of Stalin in the hall.")
    return make_section(body='They met.[^speech-anthology: "night meeting"]')


def post_body(admin_client, section, body):
    return admin_client.post(
        f"/admin/lessons/section/{section.pk}/change/",
        {
            "module": section.module.pk,
            "title": section.title,
            "slug": section.slug,
            "ordinal": section.ordinal,
            "body": body,
            "citations-TOTAL_FORMS": "1",
            "citations-INITIAL_FORMS": "1",
            "citations-MIN_NUM_FORMS": "0",
            "citations-MAX_NUM_FORMS": "1000",
            "citations-0-id": section.citations.get().pk,
            "citations-0-section": section.pk,
        },
    )


def test_saving_a_section_renders_and_sanitises_the_new_body(admin_client, section):
    response = post_body(
        admin_client,
        section,
        '<script>alert(1)</script>**Empty** hall.[^speech-anthology: "no photograph"]',
    )
    assert response.status_code == 302
    section = Section.objects.get(pk=section.pk)
    assert "<strong>Empty</strong>" in section.html and "<script" not in section.html
    assert list(section.citations.values_list("passage__key", flat=True)) == ["hall"]


def test_a_broken_citation_is_a_form_error_and_changes_nothing(admin_client, section):
    before = (section.body, section.html)
    response = post_body(admin_client, section, 'X.[^speech-anthology: "a day meeting"]')
    assert response.status_code == 200
    assert "a day meeting" in response.content.decode()
    section = Section.objects.get(pk=section.pk)
    assert (section.body, section.html) == before
    assert list(section.citations.values_list("passage__key", flat=True)) == ["night"]


def test_admin_lists_modules_and_sections(admin_client, section):
    assert section.module.title in admin_client.get("/admin/lessons/module/").content.decode()
    assert section.title in admin_client.get("/admin/lessons/section/").content.decode()
