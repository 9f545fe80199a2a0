from django.apps import AppConfig


class LessonsConfig(AppConfig):
    name = "lessons"
    verbose_name = "Lessons: modules, classes, assignments"

    def ready(self) -> None:
        # Connects the login receiver that remembers a teacher's role in the session.
        from lessons import accounts  # noqa: F401
        from lessons.curation import module_passage_groups
        from quizzes import passage_groups

        # The review queue offers each lesson as a filter (quizzes cannot import lessons).
        passage_groups.register(module_passage_groups)
