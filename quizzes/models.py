"""Question bank, quizzes, attempts and progress (see issue: question bank)."""
