"""URLs of account pages beside Django's auth views (config/urls.py includes those under
accounts/ first, with Thaw's log-in view)."""

from django.urls import path

from lessons.accounts import views

app_name = "accounts"

urlpatterns = [
    path("accounts/signup/", views.signup, name="signup"),
    # Privacy: a user's own data; curators delete a student's account.
    path("accounts/my-data/", views.account_data_download, name="account_data_download"),
    path("accounts/delete-student/", views.account_delete, name="account_delete"),
]
