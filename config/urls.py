from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("curation/", include("quizzes.curation_urls")),
    path("", include("corpus.urls")),
    path("", include("lessons.urls")),
    path("", include("quizzes.urls")),
]

# A write refused by the database outside a view still gets the 503 page (config/errors.py).
handler500 = "config.errors.server_error"
