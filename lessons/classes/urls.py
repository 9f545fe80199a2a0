"""URLs of classes: a student's dashboard and joining a class, and the teachers' pages.

Every teacher view looks the class up in the teacher's own classes, so another teacher's
class number is a 404 (lessons/classes/teacher_views.py).
"""

from django.urls import path

from lessons.classes import assignment_views, student_views
from lessons.classes import teacher_views as teach

app_name = "classes"

urlpatterns = [
    path("dashboard/", student_views.dashboard, name="dashboard"),
    path("dashboard/join/", student_views.class_join, name="class_join"),
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
    # Changing an assignment already set, and adding one student by hand.
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
