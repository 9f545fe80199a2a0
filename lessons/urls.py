from django.urls import path

from lessons import views

urlpatterns = [
    path("", views.home, name="home"),
    path("lessons/", views.lesson_list, name="lesson_list"),
    path("lessons/<slug:slug>/", views.lesson_detail, name="lesson_detail"),
]
