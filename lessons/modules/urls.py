"""URLs of the lesson modules: reading a lesson, its quiz, its checks and its task, and a
teacher's reading of a class's written answers (lessons/modules/work_views.py)."""

from django.urls import path

from lessons.modules import views, work_views

app_name = "modules"

urlpatterns = [
    path("", views.home, name="home"),
    path("lessons/", views.lesson_list, name="lesson_list"),
    path("lessons/<slug:slug>/", views.lesson_detail, name="lesson_detail"),
    path("lessons/<slug:slug>/quiz/", views.lesson_quiz, name="lesson_quiz"),
    path(
        "lessons/<slug:slug>/checks/<slug:section>/",
        work_views.lesson_check,
        name="lesson_check",
    ),
    path("lessons/<slug:slug>/task/", work_views.lesson_task, name="lesson_task"),
    path(
        "teach/classes/<int:pk>/written-answers/",
        work_views.class_written_answers,
        name="teacher_written_answers",
    ),
]
