"""Accounts: roles, sign-up, log-in throttling, one-time passwords and privacy.

The roles are the names most of Thaw (and its tests) need, so they are importable from
here; everything else from its own module.
"""

from lessons.accounts.roles import CURATORS, TEACHERS, ensure_role_groups

__all__ = ["CURATORS", "TEACHERS", "ensure_role_groups"]
