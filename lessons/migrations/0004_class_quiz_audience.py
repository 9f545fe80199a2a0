"""Give every class a quiz audience (its students and teachers) and restrict the
quizzes of its assignments to it; before this, any logged-in user could open them.

The data step lives here, not in quizzes: only lessons knows which quiz belongs
to which class (quizzes never imports lessons)."""

import django.db.models.deletion
from django.db import migrations, models


def restrict_assignment_quizzes(apps, schema_editor):
    SchoolClass = apps.get_model("lessons", "SchoolClass")
    Membership = apps.get_model("lessons", "Membership")
    Assignment = apps.get_model("lessons", "Assignment")
    Audience = apps.get_model("quizzes", "Audience")
    Quiz = apps.get_model("quizzes", "Quiz")
    AudienceMember = Audience.members.through
    for school_class in SchoolClass.objects.filter(audience__isnull=True).iterator():
        audience = Audience.objects.create(name=f"Class {school_class.pk}")
        school_class.audience = audience
        school_class.save(update_fields=["audience"])
        members = set(
            Membership.objects.filter(school_class=school_class).values_list(
                "student_id", flat=True
            )
        )
        members |= set(school_class.teachers.values_list("pk", flat=True))
        AudienceMember.objects.bulk_create(
            AudienceMember(audience_id=audience.pk, user_id=pk) for pk in sorted(members)
        )
        quiz_ids = Assignment.objects.filter(school_class=school_class).values("quiz_id")
        Quiz.objects.filter(pk__in=quiz_ids).update(audience=audience)


def open_assignment_quizzes(apps, schema_editor):
    Quiz = apps.get_model("quizzes", "Quiz")
    SchoolClass = apps.get_model("lessons", "SchoolClass")
    Audience = apps.get_model("quizzes", "Audience")
    audience_ids = list(SchoolClass.objects.values_list("audience_id", flat=True))
    Quiz.objects.filter(audience_id__in=audience_ids).update(audience=None)
    SchoolClass.objects.update(audience=None)
    Audience.objects.filter(pk__in=audience_ids).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0003_assignments_retakes"),
        ("quizzes", "0006_quiz_audience"),
    ]

    operations = [
        migrations.AddField(
            model_name="schoolclass",
            name="audience",
            field=models.OneToOneField(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="school_class",
                to="quizzes.audience",
            ),
        ),
        migrations.RunPython(restrict_assignment_quizzes, open_assignment_quizzes),
    ]
