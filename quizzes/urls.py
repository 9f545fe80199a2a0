from django.urls import path

from quizzes import views

app_name = "quizzes"

urlpatterns = [
    path("quizzes/<int:pk>/", views.quiz_detail, name="quiz_detail"),
    path("quizzes/<int:pk>/start/", views.quiz_start, name="quiz_start"),
    path("attempts/<int:pk>/", views.attempt_question, name="attempt_question"),
    path("attempts/<int:pk>/answer/", views.attempt_answer, name="attempt_answer"),
    path("attempts/<int:pk>/finish/", views.attempt_finish, name="attempt_finish"),
    path("attempts/<int:pk>/review/", views.attempt_review, name="attempt_review"),
    path("review/", views.review_detail, name="review_detail"),
    path("review/start/", views.review_start, name="review_start"),
    path("sources/<slug:slug>/quiz/", views.source_quiz, name="source_quiz"),
]
