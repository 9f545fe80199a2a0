from django.urls import path

from lessons import views

urlpatterns = [
    path("", views.home, name="home"),
    path("lessons/", views.lesson_list, name="lesson_list"),
    path("lessons/<slug:slug>/", views.lesson_detail, name="lesson_detail"),
    path("lessons/<slug:slug>/quiz/", views.lesson_quiz, name="lesson_quiz"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/join/", views.class_join, name="class_join"),
    # Beside Django's auth views (config/urls.py includes them under accounts/ first).
    path("accounts/signup/", views.signup, name="signup"),
]
