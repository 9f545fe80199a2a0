"""Synchronise the rosters of classes linked to LMS courses (Names and Role Provisioning).

Each course's learners become the class's students (accounts made for newcomers); students
the LMS brought and no longer lists leave the class. Students who joined with the join
code are left alone. `--class` limits it to one class. Launches also synchronise, at
most every ten minutes; this command is for the changes made between launches.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lessons.lti.models import CourseLink
from lessons.lti.roster import sync_roster


class Command(BaseCommand):
    help = "Synchronise the rosters of LMS-linked classes from their LMS (NRPS)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--class", dest="class_id", type=int, help="Only this class (id).")

    def handle(self, *args, class_id: int | None = None, **options) -> None:
        links = CourseLink.objects.select_related(
            "school_class", "context__deployment__registration"
        ).order_by("pk")
        if class_id is not None:
            links = links.filter(school_class_id=class_id)
            if not links.exists():
                raise CommandError(f"class {class_id} is not linked to an LMS course")
        problems = 0
        for link in links:
            change = sync_roster(course=link, now=timezone.now())
            name = link.school_class.name
            if change.problem:
                problems += 1
                self.stdout.write(f"{name}: not synchronised: {change.problem}")
                continue
            self.stdout.write(
                f"{name}: {len(change.added)} added, {len(change.removed)} removed, "
                f"{len(change.teachers_added)} teacher(s) added."
            )
        if problems:
            raise CommandError(f"{problems} class(es) could not be synchronised (see above)")
