"""Settings for the framework-floor server: Thaw's production settings, the floor's URLconf.

The floor is what Django itself costs on this machine with Thaw's middleware
(sessions, CSRF, auth, htmx, CSP, axes) and no query: the ceiling any Thaw view
could reach. Used only by `make bench` (gunicorn --env DJANGO_SETTINGS_MODULE=...).
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "tests.benchmarks.floor_urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "tests" / "benchmarks" / "templates"]  # noqa: F405
