"""CACHE_URL: Redis shared by several app servers, the file cache without it (config/settings.py).

Settings are read once per process, so each case starts Python with its own environment.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHOW = (
    "import django, json; django.setup(); from django.conf import settings; "
    "print(json.dumps({k: str(v) for k, v in settings.CACHES['default'].items()}))"
)


def _settings(tmp_path, **env) -> subprocess.CompletedProcess:
    environment = {
        **{k: v for k, v in os.environ.items() if k not in {"CACHE_URL", "REDIS_URL"}},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "THAW_VAR_DIR": str(tmp_path),
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", SHOW], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_without_cache_url_the_cache_is_files_in_var_dir(tmp_path):
    cache = json.loads(_settings(tmp_path).stdout)
    assert cache["BACKEND"].endswith("FileBasedCache")
    assert cache["LOCATION"] == str(tmp_path / "cache")


def test_cache_url_or_redis_url_selects_djangos_redis_cache(tmp_path):
    for name in ("CACHE_URL", "REDIS_URL"):
        cache = json.loads(_settings(tmp_path, **{name: "redis://10.0.0.3:6379/2"}).stdout)
        assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
        assert cache["LOCATION"] == "redis://10.0.0.3:6379/2"


def test_a_cache_url_that_is_not_redis_is_refused_with_a_clear_message(tmp_path):
    result = _settings(tmp_path, CACHE_URL="memcached://10.0.0.3:11211")
    assert result.returncode != 0
    assert "CACHE_URL must be a Redis URL" in result.stderr
