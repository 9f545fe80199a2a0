"""The browser's address behind a load balancer (config/client_address.py): what login
throttling and rate limits key on."""

from django.test import RequestFactory, override_settings

from config.client_address import client_address

BALANCER = "10.0.0.5"


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@override_settings(TRUSTED_PROXIES=frozenset({BALANCER}))
def test_behind_the_balancer_the_address_it_appended_is_the_browsers():
    assert client_address(_request(BALANCER, "203.0.113.7")) == "203.0.113.7"


@override_settings(TRUSTED_PROXIES=frozenset({BALANCER}))
def test_an_address_a_browser_wrote_into_the_header_itself_is_never_believed():
    # The browser sent "X-Forwarded-For: 198.51.100.1"; the balancer appended the real one.
    assert client_address(_request(BALANCER, "198.51.100.1, 203.0.113.7")) == "203.0.113.7"


@override_settings(TRUSTED_PROXIES=frozenset({BALANCER, "10.0.0.6"}))
def test_hops_through_two_trusted_balancers_are_skipped():
    assert client_address(_request(BALANCER, "203.0.113.7, 10.0.0.6")) == "203.0.113.7"


@override_settings(TRUSTED_PROXIES=frozenset({BALANCER}))
def test_a_request_not_from_a_trusted_balancer_keeps_its_own_address():
    assert client_address(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


@override_settings(TRUSTED_PROXIES=frozenset())
def test_without_trusted_balancers_the_header_is_ignored():
    assert client_address(_request(BALANCER, "203.0.113.7")) == BALANCER


@override_settings(TRUSTED_PROXIES=frozenset({BALANCER}))
def test_garbage_in_the_header_falls_back_to_the_balancers_address():
    assert client_address(_request(BALANCER, "not-an-address")) == BALANCER
    assert client_address(_request(BALANCER, "")) == BALANCER
