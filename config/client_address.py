"""The address of the browser a request came from, also behind a load balancer.

Behind HAProxy (deploy/haproxy.cfg) every request reaches Django from the balancer's
address; the browser's is the one the balancer appended to X-Forwarded-For. Login
throttling (django-axes, AXES_CLIENT_IP_CALLABLE) and rate limits key on it: with the
balancer's address one school's failed logins would lock out another's.

Only a balancer we trust (settings.TRUSTED_PROXIES) is believed, and only the entries it
and other trusted hops appended: reading from the right, the first address that is not
one of ours is the browser's. Anything a browser wrote into the header itself stands to
the left of that and is never read, so a forged header cannot pick an address.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or behind a trusted balancer the address it saw the request come from."""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = settings.TRUSTED_PROXIES
    if remote not in trusted:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for address in reversed([hop.strip() for hop in forwarded.split(",")]):
        if address not in trusted:
            # A trusted hop wrote it, so it is an address; checked anyway, since axes
            # stores it in an IP address column.
            return address if _is_address(address) else remote
    return remote
