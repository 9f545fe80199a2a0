from django.apps import AppConfig


class LessonsConfig(AppConfig):
    name = "lessons"
    verbose_name = "Lessons: modules, classes, assignments"

    def ready(self) -> None:
        # Connects the login receiver that remembers a teacher's role in the session.
        from lessons import accounts  # noqa: F401
