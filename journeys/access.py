"""Where a browser is: its address behind the proxies the configuration trusts, and whether
being on this computer still grants the local user's rights (see `Settings`)."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from typing import Literal

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
LocalAccess = Literal["auto", "on", "off"]

# Streamlit names no loopback peer (st.context.ip_address is None for 127.0.0.1 and ::1): such
# a peer is taken as this address, and trusting any loopback address trusts them all.
LOOPBACK = ipaddress.IPv4Address("127.0.0.1")


def parse_networks(text: str) -> tuple[Network, ...]:
    """The networks of a comma-separated list of addresses and CIDR blocks
    (`127.0.0.1, 10.0.0.0/8, ::1`); spaces and empty items are ignored.

    Raises ValueError naming the first item that is neither an address nor a network."""
    networks = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            shown = item if len(item) <= 60 else item[:60] + "…"
            raise ValueError(
                f"{shown!r} is neither an IP address nor a network "
                "(for example 127.0.0.1 or 10.0.0.0/8)"
            ) from None
    return tuple(networks)


def parse_address(text: str) -> Address | None:
    """The address in `text` (a bare address, `1.2.3.4:port`, `[::1]:port`, an IPv4 address
    mapped into IPv6 as the IPv4 one), or None when it holds none (`unknown`, a name, junk)."""
    text = text.strip()
    if text.startswith("["):  # [v6]:port
        text = text[1 : text.find("]")] if "]" in text else ""
    elif text.count(":") == 1:  # v4:port
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def is_trusted(address: Address, trusted: Sequence[Network]) -> bool:
    """Whether `address` is one of the trusted proxies' (any loopback address counts for all)."""
    if address.is_loopback:
        return any(network.network_address.is_loopback for network in trusted)
    return any(address in network for network in trusted)


def forwarded_chain(forwarded_for: Iterable[str], real_ip: str | None) -> list[str]:
    """The addresses a proxy says the request went through, oldest first: every
    X-Forwarded-For header's items in order, else the X-Real-IP header's address."""
    chain = [item for value in forwarded_for for item in value.split(",") if item.strip()]
    if not chain and real_ip and real_ip.strip():
        chain = [real_ip]
    return chain


def client_address(
    peer: str | None, chain: Sequence[str], trusted: Sequence[Network]
) -> Address | None:
    """The browser's address, or None when it cannot be known.

    `peer` is the connection's address (None: a loopback one Streamlit does not name). A peer
    that is not a trusted proxy is the browser, whatever headers it sent. From a trusted proxy,
    the browser is the right-most address of `chain` (see `forwarded_chain`) that is not a
    trusted proxy itself (the left-most when all are). Unknown (None): a trusted proxy that named
    no one, an item that is not an address, a peer that is not one."""
    address = LOOPBACK if peer is None else parse_address(peer)
    if address is None or not is_trusted(address, trusted):
        return address
    if not chain:
        return None
    for item in reversed(chain):
        hop = parse_address(item)
        if hop is None or not is_trusted(hop, trusted):
            return hop
    return parse_address(chain[0])


def listens_on_loopback(server_address: str | None) -> bool:
    """Whether a server bound to `server_address` (Streamlit's `server.address`) is reachable
    from this computer only: `localhost` or a loopback address. Unset (every interface), any
    other address or a host name (it may name the network's address) is not."""
    if not server_address:
        return False
    if server_address.strip().lower() == "localhost":
        return True
    found = parse_address(server_address)
    return found is not None and found.is_loopback


def local_access(setting: LocalAccess, *, auth: str, server_address: str | None) -> bool:
    """Whether someone using this computer gets the local user's rights without signing in.

    `on` and `off` say so; `auto`: yes, unless sign-in is on (`auth` other than `none`) and the
    server listens beyond this computer, where a proxy on it would make every visitor local."""
    if setting != "auto":
        return setting == "on"
    return auth == "none" or listens_on_loopback(server_address)


def is_local(client: Address | None) -> bool:
    """Whether the browser at `client` (see `client_address`) runs on this computer."""
    return client is not None and client.is_loopback
