"""Lesson modules, classes and assignments (see issue: lessons)."""
