"""Server settings a test can switch on: Connect's own, and what may sit in front of it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Settings:
    """Change the fields at any time (``server.settings``).

    Attributes
    ----------
    viewers_can_only_see_themselves:
        Connect's ``Authorization.ViewersCanOnlySeeThemselves``: a viewer's user search
        (``GET /v1/users``) lists only the viewer.
    html_front:
        An SSO login page (or a misconfigured proxy) in front of the server: every request
        is answered ``200`` with an HTML page, as such fronts do.
    """

    viewers_can_only_see_themselves: bool = False
    html_front: bool = False


#: What an SSO front answers to everything.
LOGIN_PAGE = (
    "<!doctype html>\n<html><head><title>Sign in</title></head><body>\n"
    '<form method="post" action="/sso/login"><input name="username"><input name="password" '
    'type="password"><button>Sign in</button></form>\n</body></html>\n'
)
