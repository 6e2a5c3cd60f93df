"""Whose address the seminar's per-client limits count: behind a trusted balancer, the address the balancer saw,
never one a phone wrote in its own ``X-Forwarded-For`` (HAProxy adds its entry as one more header line)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ui.client import client_address

ADDRESS = st.ip_addresses().map(str)
FORGED = st.lists(st.text(alphabet="0123456789abcdef.:, ", max_size=40), max_size=3)


@given(phone=ADDRESS, forged=FORGED)
def test_behind_a_trusted_balancer_the_balancers_entry_counts(phone, forged):
    # The phone's own header lines first, then the line the balancer appended.
    assert client_address("127.0.0.1", [*forged, phone], "127.0.0.1") == phone
    # nginx's style: the balancer's entry after a comma, on the same line.
    assert client_address("127.0.0.1", [", ".join([*forged, phone])], "127.0.0.1") == phone


@given(remote=ADDRESS, forged=FORGED)
def test_a_client_that_is_not_a_trusted_proxy_is_its_own_address(remote, forged):
    assert client_address(remote, forged, "10.9.9.9") == remote
    assert client_address(remote, forged, "") == remote


def test_a_trusted_proxy_that_forwarded_nothing_is_the_client():
    assert client_address("127.0.0.1", [], "127.0.0.1") == "127.0.0.1"
    assert client_address("127.0.0.1", [" , "], "127.0.0.1") == "127.0.0.1"
