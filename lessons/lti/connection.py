"""How Thaw talks to an LMS: HTTP with timeouts, and a registration pylti1p3 can use.

pylti1p3 calls `requests` without a timeout, so an LMS that stops answering would hold
a worker (a launch fetching the platform's keys, a roster or a grade being sent) for
ever. Every request it makes goes through `lms_session`, whose timeouts are short:
a launch the LMS cannot complete fails with a page saying so, and a grade waits for
its next try.
"""

from __future__ import annotations

import requests

CONNECT_SECONDS = 3
READ_SECONDS = 10
USER_AGENT = "Thaw-LTI/1.0"


class _TimeoutSession(requests.Session):
    def request(self, method, url, **kwargs):
        kwargs.setdefault("timeout", (CONNECT_SECONDS, READ_SECONDS))
        return super().request(method, url, **kwargs)


def lms_session() -> requests.Session:
    session = _TimeoutSession()
    session.headers["User-Agent"] = USER_AGENT
    return session


def service_connector(registration):
    """A pylti1p3 ServiceConnector for an `lti_tool.LtiRegistration` (tokens for NRPS, AGS)."""
    from pylti1p3.service_connector import ServiceConnector

    from lessons.lti.registration import ensure_key

    ensure_key()
    return ServiceConnector(registration.to_registration(), lms_session())
