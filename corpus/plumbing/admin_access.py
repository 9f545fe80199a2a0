"""Who opens what in the admin: students' records and classes are for superusers only.

Shared by every app's admin (corpus.plumbing: plumbing all may import). Curators edit the corpus,
the question bank and lesson content in the admin (their group's model permissions,
lessons.accounts.ensure_role_groups). Classes, memberships, assignments, accommodations,
attempts, answers and review cards are the teachers' and the students' business: the
teachers' pages show each teacher their own classes, and nothing in the admin may let a
staff user add themselves to a class, read its accommodation notes or delete a
student's answers. Model permissions alone would not hold that line: a curator who also
teaches holds the teachers' `add_schoolclass` and `change_assignment`, and a group can be
given any permission by hand. So these ModelAdmins answer to `is_superuser` alone
(an administrator's account, not a working role).
"""

from __future__ import annotations

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList


class SuperuserOnlyAdmin:
    """A ModelAdmin (or inline) mixin: hidden from the admin's index, and every list, page
    and action refused (403), for anyone but a superuser, whatever their permissions."""

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args) -> bool:
        # ModelAdmin's takes (request), an inline's (request, obj).
        return request.user.is_superuser and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser and super().has_delete_permission(request, obj)


class _DateHierarchyChangeList(ChangeList):
    def get_filters(self, request):
        # Django turns a bad date in the hierarchy's query (?date__year=x) into its "?e=1"
        # page when it is a ValueError; a year beyond any C long is an OverflowError, and
        # was a 500 (found by the fuzz test: ?date__year=-99999999999999999999999).
        try:
            return super().get_filters(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error


class DateHierarchyGuard:
    """A ModelAdmin mixin for a `date_hierarchy`: any out-of-range date in the query gets
    Django's "invalid lookup" redirect, never a server error."""

    def get_changelist(self, request, **kwargs):
        return _DateHierarchyChangeList
