from django.apps import AppConfig


class LessonsConfig(AppConfig):
    name = "lessons"
    verbose_name = "Lessons: modules, classes, assignments"

    def ready(self) -> None:
        # Connects the login receiver that remembers a teacher's role in the session.
        from corpus import editorial
        from lessons.accounts import roles  # noqa: F401
        from lessons.modules.editorial import check_lesson_targets
        from lessons.modules.passage_groups import module_passage_groups
        from quizzes import passage_groups

        # The review queue offers each lesson as a filter (quizzes cannot import lessons).
        passage_groups.register(module_passage_groups)
        # The curators' note form checks a note's lesson sentence (corpus cannot import lessons).
        editorial.register_lesson_checker(check_lesson_targets)
        # A finished attempt at an assignment placed in an LMS sends its score there (LTI).
        from lessons.lti.apps import ready as lti_ready

        lti_ready()
