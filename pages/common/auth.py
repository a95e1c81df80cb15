"""Who uses this session: the actor every service call acts for, from the configured sign-in."""

from __future__ import annotations

import streamlit as st

from journeys import access, throttle
from journeys.i18n import t
from journeys.roles import LOCAL_ACTOR, Actor, Role, role_for_email
from journeys.settings import Settings, get_settings
from pages.common.text import plain

SIGNED_IN = "auth_signed_in"
PARTICIPANT = Actor("participant", Role.PARTICIPANT)


LOCAL = "auth_from_this_machine"  # where this session's browser is: it does not move


def _from_this_machine() -> bool:
    """Whether this session's browser runs on this computer and that grants the local user's
    rights (see journeys.access: the trusted proxies, JOURNEYS_LOCAL_ACCESS); asked once per
    session (the headers and the settings cost a board rerun a few milliseconds)."""
    if LOCAL not in st.session_state:
        st.session_state[LOCAL] = _local_now()
    return bool(st.session_state[LOCAL])


def _local_now() -> bool:
    settings = get_settings()
    if not access.is_local(_client(settings)):
        return False
    listening = st.get_option("server.address")
    return access.local_access(settings.local_access, auth=settings.auth, server_address=listening)


def _client(settings: Settings) -> access.Address | None:
    """This session's browser address, behind the trusted proxies; None when unknown."""
    headers = st.context.headers
    chain = access.forwarded_chain(headers.get_all("X-Forwarded-For"), headers.get("X-Real-IP"))
    return access.client_address(_peer(), chain, settings.trusted_proxies)


def _peer() -> str | None:
    """The connection's address; None for a loopback one (Streamlit names none; AppTest has a
    mock)."""
    address = st.context.ip_address
    return address if isinstance(address, str) and address else None


def client_key() -> str:
    """Who tries a password or a join code, for throttling: the browser's address (behind a
    trusted proxy, the one it names; else the proxy's)."""
    client = _client(get_settings())
    if client is not None:
        return "local" if client == access.LOOPBACK else str(client)
    return _peer() or "local"


def current_actor(settings: Settings | None = None) -> Actor:
    """The facilitator on the laptop itself; on the network, whoever signed in, or a participant.

    `settings`: those the caller already holds (each read of them checks the environment)."""
    settings = settings or get_settings()
    if settings.auth == "oidc":
        if not st.user.is_logged_in:
            return PARTICIPANT
        email = str(st.user.get("email") or "")
        return Actor(
            email or "user",
            role_for_email(email, dict(settings.roles), Role(settings.default_role)),
        )
    if st.session_state.get(SIGNED_IN):
        return Actor("facilitator", Role.FACILITATOR)
    if settings.auth == "password":
        return Actor("guest", Role.VIEWER) if _from_this_machine() else PARTICIPANT
    return LOCAL_ACTOR if _from_this_machine() else PARTICIPANT


def _password_form(lang: str) -> None:
    stored = get_settings().editor_password_hash
    with st.form("auth_form", border=False):
        password = st.text_input(t("auth.password", lang), type="password", key="auth_password")
        if st.form_submit_button(t("auth.sign_in", lang), key="auth_submit"):
            from pages.common.shared import store  # shared imports this module

            try:
                good = throttle.sign_in(password, stored, client=client_key(), store=store())
            except throttle.Throttled as wait:  # too many wrong passwords from this browser
                st.error(t("auth.too_many", lang, seconds=wait.seconds))
                return
            if good:
                st.session_state[SIGNED_IN] = True
                st.rerun()
            st.error(t("auth.wrong_password", lang))


def sign_in_page(lang: str) -> None:
    """What someone not allowed in sees instead of the workspace."""
    st.title(t("auth.title", lang))
    st.info(t("auth.explain", lang))
    if get_settings().auth == "oidc":
        if st.button(t("auth.sign_in", lang), type="primary"):
            st.login()
    elif get_settings().auth == "password":
        if access.is_local(_client(get_settings())):  # on this computer, local access is off
            st.caption(t("auth.local_off", lang))
        _password_form(lang)


def sidebar_panel(lang: str) -> None:
    """The sidebar's sign-in / sign-out and the role of the session."""
    settings, actor = get_settings(), current_actor()
    if settings.auth == "none" and actor is LOCAL_ACTOR:
        return
    role = t(f"role.{actor.role}", lang)
    st.caption(plain(t("auth.signed_in_as", lang, name=actor.name, role=role)))
    if settings.auth == "oidc" and st.user.is_logged_in:
        if st.button(t("auth.sign_out", lang)):
            st.logout()
    elif st.session_state.get(SIGNED_IN):
        if st.button(t("auth.sign_out", lang)):
            st.session_state[SIGNED_IN] = False
            st.rerun()
    elif settings.auth == "password":
        with st.expander(t("auth.sign_in", lang)):
            _password_form(lang)
