from django.urls import path

from lessons.lti import views

# Included under lti/ by config/urls.py.
app_name = "lti"

urlpatterns = [
    path("login/", views.oidc_login, name="lti_login"),
    path("launch/", views.launch, name="lti_launch"),
    path("jwks.json", views.jwks, name="lti_jwks"),
    path("pick/", views.pick, name="lti_pick"),
    path("platforms/", views.platforms, name="lti_platforms"),
    path("platforms/<int:pk>/", views.platform_detail, name="lti_platform"),
    path("platforms/keys/rotate/", views.key_rotate, name="lti_key_rotate"),
]
