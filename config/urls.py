from django.contrib import admin
from django.contrib.auth import urls as auth_urls
from django.urls import include, path

from corpus import curation_urls as corpus_curation
from lessons.accounts.views import LoginView
from quizzes import curation_urls as quizzes_curation

urlpatterns = [
    path("admin/", admin.site.urls),
    # Django's log-in page, landing each role on its own start page; Django's other
    # account pages as they are (one pattern per name: nothing shadowed).
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/", include([p for p in auth_urls.urlpatterns if p.name != "login"])),
    # The curators' pages: one namespace over two apps, the question bank's (quizzes) and
    # the corpus's (sources, glossary and timeline, proposals, notes).
    path(
        "curation/",
        include(([*quizzes_curation.urlpatterns, *corpus_curation.urlpatterns], "curation")),
    ),
    # Thaw as an LTI 1.3 tool inside a school's LMS (lessons/lti, docs/lti.md).
    path("lti/", include("lessons.lti.urls")),
    path("", include("corpus.urls")),
    # The lessons app, one URL module per package (docs/architecture.md).
    path("", include("lessons.modules.urls")),
    path("", include("lessons.accounts.urls")),
    path("", include("lessons.classes.urls")),
    path("", include("quizzes.urls")),
]

# A write refused by the database outside a view still gets the 503 page (config/errors.py).
handler500 = "config.errors.server_error"
