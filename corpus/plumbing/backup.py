"""Online backups of the database: SQLite's backup API, or pg_dump for PostgreSQL.

Both copy a consistent snapshot while the app keeps serving. Restoring is in
docs/reliability.md.
"""

from __future__ import annotations

import datetime
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection


class BackupError(RuntimeError):
    pass


def default_backup_path(*, directory: Path, now: datetime.datetime) -> Path:
    suffix = "sqlite3" if connection.vendor == "sqlite" else "dump"
    return directory / f"thaw-{now:%Y%m%d-%H%M%S}.{suffix}"


def backup_database(*, target: Path) -> Path:
    """Write a snapshot of the default database to `target` (which must not exist)."""
    if target.exists():
        raise BackupError(f"{target} already exists; choose another file name.")
    target.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "sqlite":
        _backup_sqlite(target)
    elif connection.vendor == "postgresql":
        _backup_postgres(target)
    else:
        raise BackupError(f"Backups of {connection.vendor} databases are not supported.")
    return target


def _backup_sqlite(target: Path) -> None:
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        # The backup API copies page by page under SQLite's own locking, so
        # writers keep working and the copy is consistent.
        connection.connection.backup(destination)
    finally:
        destination.close()


def _backup_postgres(target: Path) -> None:
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupError("pg_dump is not installed (Debian package postgresql-client).")
    settings = connection.settings_dict
    env = {**os.environ}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    command = [pg_dump, "--format=custom", "--no-owner", f"--file={target}"]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            command.append(f"{flag}={settings[key]}")
    command.append(settings["NAME"])
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        target.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed: {result.stderr.strip().splitlines()[-1:]}")
