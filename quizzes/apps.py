from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = "Quizzes: question bank, attempts, progress"

    def ready(self) -> None:
        from corpus import curation as corpus_curation
        from quizzes.curation import flag_changed_passages, follow_sources

        # The bank follows the corpus's curation pages (corpus cannot import quizzes): an
        # upload or a decided proposal regenerates its document's questions; errata that
        # change a passage send the questions citing it back to review.
        corpus_curation.register(
            sources_changed=follow_sources, passages_changed=flag_changed_passages
        )
