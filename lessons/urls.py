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

# Privacy (lessons/account_views.py): a user's own data; curators delete a student's account.
from lessons import account_views  # noqa: E402

urlpatterns += [
    path("accounts/my-data/", account_views.account_data_download, name="account_data_download"),
    path("accounts/delete-student/", account_views.account_delete, name="account_delete"),
]

# Teachers' pages (lessons/teacher_views.py): every class is looked up in the
# teacher's own classes, so another teacher's class number is a 404.
from lessons import teacher_views as teach  # noqa: E402

urlpatterns += [
    path("teach/", teach.class_list, name="teacher_classes"),
    path("teach/classes/<int:pk>/", teach.class_detail, name="teacher_class"),
    path("teach/classes/<int:pk>/code/", teach.join_code_regenerate, name="teacher_join_code"),
    path("teach/classes/<int:pk>/joining/", teach.join_toggle, name="teacher_join_toggle"),
    path(
        "teach/classes/<int:pk>/students/<int:student_pk>/remove/",
        teach.student_remove,
        name="teacher_student_remove",
    ),
    path(
        "teach/classes/<int:pk>/students/<int:student_pk>/unlock/",
        teach.student_login_unlock,
        name="teacher_login_unlock",
    ),
    path("teach/classes/<int:pk>/co-teachers/", teach.co_teacher_add, name="teacher_co_teacher"),
    path("teach/classes/<int:pk>/roster/", teach.roster_import, name="teacher_roster"),
    path("teach/classes/<int:pk>/assign/", teach.assignment_create, name="teacher_assign"),
    path("teach/classes/<int:pk>/gradebook/", teach.gradebook_view, name="teacher_gradebook"),
    path(
        "teach/classes/<int:pk>/gradebook.csv", teach.gradebook_export, name="teacher_gradebook_csv"
    ),
    path(
        "teach/classes/<int:pk>/students/<int:student_pk>/",
        teach.student_work,
        name="teacher_student",
    ),
    path(
        "teach/classes/<int:pk>/attempts/<int:attempt_pk>/",
        teach.attempt_detail,
        name="teacher_attempt",
    ),
    path(
        "teach/classes/<int:pk>/assignments/<int:assignment_pk>/items/",
        teach.item_analysis_view,
        name="teacher_item_analysis",
    ),
    path(
        "teach/classes/<int:pk>/assignments/<int:assignment_pk>/students/<int:student_pk>/accommodation/",
        teach.accommodation_edit,
        name="teacher_accommodation",
    ),
    path(
        "teach/classes/<int:pk>/assignments/<int:assignment_pk>/students/<int:student_pk>/retake/",
        teach.retake_allow,
        name="teacher_retake",
    ),
]

# A student's work on a lesson page and the teacher's reading of it (lessons/work_views.py).
from lessons import work_views  # noqa: E402

urlpatterns += [
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

# Changing an assignment already set, and adding one student by hand (issue 16 part 3).
from lessons import assignment_views  # noqa: E402

urlpatterns += [
    path("teach/classes/<int:pk>/students/add/", teach.student_add, name="teacher_student_add"),
    path(
        "teach/classes/<int:pk>/assignments/<int:assignment_pk>/edit/",
        assignment_views.assignment_edit,
        name="teacher_assignment_edit",
    ),
    path(
        "teach/classes/<int:pk>/assignments/<int:assignment_pk>/extend/",
        assignment_views.assignment_extend,
        name="teacher_assignment_extend",
    ),
    path(
        "teach/classes/<int:pk>/assignments/<int:assignment_pk>/delete/",
        assignment_views.assignment_delete,
        name="teacher_assignment_delete",
    ),
]
