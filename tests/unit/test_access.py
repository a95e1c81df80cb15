"""Where a browser is: its address behind trusted proxies only, and when being on this computer
still grants the local user's rights; a refused setting is one line naming the variable."""

from __future__ import annotations

import ipaddress

import pytest

from journeys import access
from journeys.settings import SettingsRefused, get_settings

LOCAL_PROXY = access.parse_networks("127.0.0.1")
LAN_PROXIES = access.parse_networks("10.0.0.0/8")


def resolve(peer, *, forwarded=(), real_ip=None, trusted=()):
    chain = access.forwarded_chain(list(forwarded), real_ip)
    found = access.client_address(peer, chain, trusted)
    return None if found is None else str(found)


def test_a_browser_connected_directly_on_loopback_is_on_this_computer():
    assert access.is_local(access.client_address(None, [], ()))  # Streamlit names no loopback
    assert access.is_local(access.client_address("127.0.0.1", [], ()))
    assert access.is_local(access.client_address("::1", [], ()))


def test_a_browser_connected_directly_from_the_network_is_where_it_connects_from():
    assert resolve("192.168.1.20") == "192.168.1.20"
    assert not access.is_local(access.client_address("192.168.1.20", [], ()))


def test_a_peer_that_is_not_a_trusted_proxy_cannot_claim_another_address():
    assert resolve("192.168.1.20", forwarded=["127.0.0.1"]) == "192.168.1.20"
    assert resolve("192.168.1.20", real_ip="127.0.0.1", trusted=LOCAL_PROXY) == "192.168.1.20"
    # a loopback peer that is not a declared proxy is the browser itself
    assert resolve(None, forwarded=["203.0.113.9"]) == "127.0.0.1"


def test_a_trusted_proxy_that_names_no_browser_gives_no_address_and_no_local_rights():
    assert access.client_address(None, [], LOCAL_PROXY) is None
    assert access.client_address("::1", [], LOCAL_PROXY) is None  # any loopback counts for all
    assert not access.is_local(access.client_address(None, [], LOCAL_PROXY))


def test_a_trusted_proxy_names_the_browser_in_x_forwarded_for_or_x_real_ip():
    assert resolve(None, forwarded=["203.0.113.9"], trusted=LOCAL_PROXY) == "203.0.113.9"
    assert resolve(None, real_ip="203.0.113.9", trusted=LOCAL_PROXY) == "203.0.113.9"
    assert resolve(None, forwarded=["127.0.0.1"], trusted=LOCAL_PROXY) == "127.0.0.1"


def test_the_right_most_untrusted_address_is_the_browser_whatever_it_forged_before():
    # the browser sent "X-Forwarded-For: 127.0.0.1"; the proxy appended its real address
    forged = ["127.0.0.1, 198.51.100.7"]
    assert resolve(None, forwarded=forged, trusted=LOCAL_PROXY) == "198.51.100.7"
    # two trusted hops (10.0.0.5 then the local proxy): the browser is before them
    chain = ["127.0.0.1, 198.51.100.7", "10.0.0.5"]
    assert resolve(None, forwarded=chain, trusted=LOCAL_PROXY + LAN_PROXIES) == "198.51.100.7"


def test_a_cidr_block_trusts_every_proxy_in_it_and_no_other():
    assert resolve("10.2.3.4", forwarded=["203.0.113.9"], trusted=LAN_PROXIES) == "203.0.113.9"
    assert resolve("11.2.3.4", forwarded=["203.0.113.9"], trusted=LAN_PROXIES) == "11.2.3.4"


def test_ipv6_loopback_ports_and_mapped_addresses_are_read_as_addresses():
    assert resolve("::ffff:127.0.0.1", trusted=LOCAL_PROXY) is None  # a trusted proxy
    assert resolve(None, forwarded=["[2001:db8::1]:4711"], trusted=LOCAL_PROXY) == "2001:db8::1"
    assert resolve(None, forwarded=["203.0.113.9:4711"], trusted=LOCAL_PROXY) == "203.0.113.9"
    assert resolve(None, forwarded=["::1"], trusted=LOCAL_PROXY) == "::1"


def test_a_forwarded_item_that_is_not_an_address_makes_the_browser_unknown():
    assert resolve(None, forwarded=["unknown"], trusted=LOCAL_PROXY) is None
    assert resolve(None, forwarded=["127.0.0.1, evil"], trusted=LOCAL_PROXY) is None


@pytest.mark.parametrize(
    ("address", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("", False),
        (None, False),
        ("my-laptop", False),
    ],
)
def test_a_server_listens_on_this_computer_only_on_a_loopback_address(address, loopback):
    assert access.listens_on_loopback(address) is loopback


def test_local_access_is_off_by_default_when_sign_in_is_on_and_the_server_listens_widely():
    assert not access.local_access("auto", auth="password", server_address="0.0.0.0")
    assert not access.local_access("auto", auth="oidc", server_address=None)
    assert access.local_access("auto", auth="password", server_address="127.0.0.1")
    assert access.local_access("auto", auth="none", server_address="0.0.0.0")  # the laptop
    assert access.local_access("on", auth="password", server_address="0.0.0.0")
    assert not access.local_access("off", auth="none", server_address="127.0.0.1")


def test_trusted_proxies_are_read_from_a_comma_separated_list(monkeypatch):
    monkeypatch.setenv("JOURNEYS_TRUSTED_PROXIES", " 127.0.0.1, ::1 ,10.1.2.3/8,")
    assert get_settings().trusted_proxies == (
        ipaddress.ip_network("127.0.0.1"),
        ipaddress.ip_network("::1"),
        ipaddress.ip_network("10.0.0.0/8"),
    )
    monkeypatch.delenv("JOURNEYS_TRUSTED_PROXIES")
    assert get_settings().trusted_proxies == ()
    assert get_settings().local_access == "auto"


@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        ("JOURNEYS_TRUSTED_PROXIES", "10.0.0.1, 10.0.0.300", "'10.0.0.300' is neither an IP"),
        ("JOURNEYS_LOCAL_ACCESS", "sometimes", "Input should be 'auto', 'on' or 'off'"),
        ("JOURNEYS_AUTH", "pasword", "Input should be 'none', 'password' or 'oidc'"),
        ("JOURNEYS_ROLES", "{anne", "is not valid JSON"),
    ],
)
def test_a_refused_setting_is_one_line_naming_the_variable_and_its_value(
    monkeypatch, variable, value, said
):
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsRefused) as refused:
        get_settings()
    message = str(refused.value)
    assert "\n" not in message and variable in message and said in message


def test_a_refused_setting_shows_its_value_cut():
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JOURNEYS_TRUSTED_PROXIES", "10.0.0.1," + "x" * 5000)
        with pytest.raises(SettingsRefused) as refused:
            get_settings()
    assert len(str(refused.value)) < 300 and "…" in str(refused.value)
