"""ORM queries compiled once and run again with new parameters: the hot reads of taking a quiz.

Profiling the quiz flow (docs/decisions.md, "Quiz flow") showed that a simple query
costs a few tenths of a millisecond of CPU, and that almost all of it is Django
building the query (`filter()` cloning and resolving lookups, then the compiler
writing the SQL), not the database. A question card runs the same three or four
reads on every request, differing only in their ids. So those reads are still
written with the ORM, but the queryset is built and compiled once per database
(with stand-in values for its parameters), and later calls run the compiled SQL with
the real values and turn the rows into model instances the way the ORM does
(`from_db`, the same converters, `select_related` objects filled in).

What stays the same: the SQL is the ORM's for the engine in use (one code path for
SQLite and PostgreSQL), a scoping filter such as `user_id=` is part of the query, and
a prepared query is one `cursor.execute` (query counts and CaptureQueriesContext see it).

The parameters are ids, compared for equality: one outside a 64-bit integer's range
matches no row (no query is run, as the ORM does with such a lookup).

What it can't do: a parameter must be an int, passed once to one lookup, whose
value can't change the SQL: not in an `__in` list of several (their number is the
number of placeholders), not a None (`=` becomes `IS NULL`), not `pk + 1`. Each query
is compiled twice with different stand-ins, and refused if its SQL or its other
parameters differ; so is a queryset that isn't plain model rows (with
`select_related`, `only()`) or `values_list(..., flat=True)`, or that uses a related
manager or `prefetch_related`.

Thread and process safe: the compiled form is kept per connection alias and vendor in
a dict on the instance (compiling twice in a race is harmless). It holds no cursor:
each thread runs it on its own connection. Its converters are the backend's functions
(text to datetime on SQLite, JSON decoding), which read settings, not the database.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.query import FlatValuesListIterable, ModelIterable, get_related_populators

# Stand-ins for the parameters while compiling: ints (an id field converts its value
# with int()) inside a 32-bit integer's range (Django turns a lookup on an out-of-range
# integer into an empty or full result, with no parameter at all).
_STAND_IN_BASE = 2_013_265_921
_ID_MIN, _ID_MAX = -(2**63), 2**63 - 1


@dataclass(frozen=True)
class _Compiled:
    sql: str
    # For each SQL parameter: the name of the call's argument, or None for a constant.
    slots: tuple[str | None, ...]
    constants: tuple[Any, ...]
    converters: tuple[tuple[int, tuple, Any], ...]  # (column, converter functions, expression)
    flat: bool
    model: type | None = None
    init_list: tuple[str, ...] = ()
    model_columns: slice | None = None
    related_populators: tuple = ()


class PreparedQuery:
    """A queryset built by `build(**params)`, compiled once per database, run with `.all(**params)`.

    `build` takes keyword arguments (all ints) and returns the queryset, e.g.
    `PreparedQuery(lambda user_id, pk: Attempt.objects.filter(user_id=user_id, pk=pk))`.
    """

    def __init__(self, build: Callable[..., QuerySet]):
        self._build = build
        self._names = tuple(inspect.signature(build).parameters)
        self._compiled: dict[tuple[str, str], _Compiled] = {}

    def all(self, *, using: str = DEFAULT_DB_ALIAS, **params: int) -> list:
        """The rows the queryset `build(**params)` would return: instances or flat values."""
        if set(params) != set(self._names):
            raise TypeError(f"expected the parameters {self._names}, got {tuple(params)}")
        connection = connections[using]
        key = (using, connection.vendor)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(using)
        for name in self._names:
            if type(params[name]) is not int:  # bool or None would change the SQL
                raise TypeError(f"{name} must be an int, not {params[name]!r}")
            if not _ID_MIN <= params[name] <= _ID_MAX:
                # No id is out of a 64-bit integer's range (a URL's <int:pk> can be), and
                # the database driver refuses such a value: no row, as the ORM answers.
                return []
        values = [
            params[slot] if slot is not None else constant
            for slot, constant in zip(compiled.slots, compiled.constants, strict=True)
        ]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, values)
            rows = cursor.fetchall()
        if compiled.converters:
            rows = [list(row) for row in rows]
            for row in rows:
                for position, functions, expression in compiled.converters:
                    value = row[position]
                    for function in functions:
                        value = function(value, expression, connection)
                    row[position] = value
        if compiled.flat:
            return [row[0] for row in rows]
        objects = []
        for row in rows:
            obj = compiled.model.from_db(using, compiled.init_list, row[compiled.model_columns])
            for populator in compiled.related_populators:
                populator.populate(row, obj)
            objects.append(obj)
        return objects

    def one(self, *, using: str = DEFAULT_DB_ALIAS, **params: int):
        """The one row, or None if there is none (like `get()` with DoesNotExist caught)."""
        rows = self.all(using=using, **params)
        if len(rows) > 1:
            raise ValueError("a prepared query for one row returned several")
        return rows[0] if rows else None

    def _build_and_compile(self, using: str, offset: int):
        stand_ins = {name: _STAND_IN_BASE + offset + 7 * n for n, name in enumerate(self._names)}
        queryset = self._build(**stand_ins).using(using)
        if queryset._known_related_objects or queryset._prefetch_related_lookups:
            raise ValueError("a prepared query can't use a related manager or prefetch_related")
        if queryset._iterable_class not in (ModelIterable, FlatValuesListIterable):
            raise ValueError("a prepared query returns model rows or a flat values_list")
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        names = {value: name for name, value in stand_ins.items()}
        slots = tuple(names.get(value) if type(value) is int else None for value in params)
        for name in self._names:
            if slots.count(name) != 1:
                raise ValueError(f"parameter {name} must appear exactly once in the SQL")
        constants = tuple(
            None if slot else value for slot, value in zip(slots, params, strict=True)
        )
        return queryset, compiler, sql, slots, constants

    def _compile(self, using: str) -> _Compiled:
        # Built and compiled twice, with two sets of stand-ins: the SQL and its constant
        # parameters must not change, or the query does more with a parameter than pass it
        # to a lookup (an IN list, `pk + 1`, a branch on its value) and is refused.
        queryset, compiler, sql, slots, constants = self._build_and_compile(using, 0)
        again = self._build_and_compile(using, 1_000_003)
        if (sql, slots, constants) != again[2:]:
            raise ValueError("the SQL depends on a parameter's value: not preparable")
        columns = [selected[0] for selected in compiler.select[0 : compiler.col_count]]
        converters = tuple(
            (position, tuple(functions), expression)
            for position, (functions, expression) in compiler.get_converters(columns).items()
        )
        if compiler.has_composite_fields(columns):
            raise ValueError("a prepared query can't select composite fields")
        if queryset._iterable_class is FlatValuesListIterable:
            return _Compiled(sql, slots, constants, converters, flat=True)
        if compiler.annotation_col_map:
            raise ValueError("a prepared query can't select annotations")
        klass_info, select = compiler.klass_info, compiler.select
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        return _Compiled(
            sql,
            slots,
            constants,
            converters,
            flat=False,
            model=klass_info["model"],
            init_list=tuple(column[0].target.attname for column in select[start:end]),
            model_columns=slice(start, end),
            related_populators=tuple(get_related_populators(klass_info, select, using)),
        )
