"""Plumbing every app shares, kept apart from the corpus's own concepts.

Requests and forms: `params` (whole numbers typed into forms and query strings), `partials`
(one view, a full page or its htmx fragment), `rate_limits` (counts on the shared cache).
Text at the boundary: `plain_text` (control characters in typed text and uploaded files).
Records and safety: `audit` (the curators' audit log, its rows in corpus.models), `backup`
(online backups of the database), `admin_access` (students' records in the admin are for
superusers only).

It sits in the bottom app so that lessons, quizzes and corpus may all import it; it imports
no other app and nothing of corpus but corpus.models (`make lint`, [tool.importlinter]).
"""
