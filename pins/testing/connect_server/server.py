"""``ConnectServer``: the emulator on a loopback socket, in a background thread."""

from __future__ import annotations

import json
import logging
import secrets
import shutil
import tempfile
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

from .app import DEFAULT_MAX_BUNDLE_SIZE, ConnectApp, RequestLog, RequestRecord
from .faults import Faults
from .settings import Settings
from .state import ROLES, State

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class UserSpec:
    """A user to create: ``UserSpec("susan", "publisher")``, ``UserSpec.parse("derek:viewer")``."""

    username: str
    role: str = "publisher"
    key: str | None = None
    first_name: str = ""
    last_name: str = ""

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}, not {self.role!r}")
        if not self.username or ":" in self.username:
            raise ValueError(f"invalid user name {self.username!r}")

    @classmethod
    def parse(cls, text: str) -> UserSpec:
        """``name[:role[:key]]``; the role defaults to publisher and the key to a random one."""
        username, _, rest = text.partition(":")
        role, _, key = rest.partition(":")
        return cls(username, role or "publisher", key or None)


#: What ``ConnectServer(users=...)`` takes: specs (``"name:role[:key]"`` or ``UserSpec``), or
#: a mapping of name to role, ``"role:key"`` or ``(role, key)``.
Users = Iterable[str | UserSpec] | Mapping[str, str | tuple[str, str]]


def user_specs(users: Users) -> list[UserSpec]:
    """The users asked for, each checked; anything else is a ``TypeError``/``ValueError``."""
    if isinstance(users, (str, bytes)):
        raise TypeError(f"users must be a list of 'name:role[:key]' or a mapping, not {users!r}")
    if isinstance(users, Mapping):
        specs = []
        for name, value in users.items():
            if isinstance(value, tuple) and len(value) == 2:
                specs.append(UserSpec(str(name), str(value[0]), str(value[1])))
            elif isinstance(value, str):
                role, _, key = value.partition(":")
                specs.append(UserSpec(str(name), role, key or None))
            else:
                raise TypeError(
                    f"users[{name!r}] must be a role, 'role:key' or (role, key), not {value!r}"
                )
        return specs
    specs = []
    for spec in users:
        if isinstance(spec, str):
            specs.append(UserSpec.parse(spec))
        elif isinstance(spec, UserSpec):
            specs.append(spec)
        else:
            raise TypeError(f"a user is 'name:role[:key]' or a UserSpec, not {spec!r}")
    return specs


def _path_prefix(prefix: str) -> str:
    """``rsc``, ``/rsc`` or ``/rsc/`` as ``/rsc``; ``""`` for none."""
    cleaned = "/" + prefix.strip("/") if prefix.strip("/") else ""
    if any(c in cleaned for c in "?#%\\ ") or "//" in cleaned:
        raise ValueError(f"invalid path prefix {prefix!r}")
    return cleaned


class _QuietServer(ThreadedWSGIServer):
    """Werkzeug's threaded server, whose own messages (such as the traceback of a request
    that failed below the application) go to a debug logger, not to the terminal."""

    def log(self, type: str, message: str, *args: Any) -> None:
        _log.debug("%s: %s", type, message % args if args else message)


class _QuietHandler(WSGIRequestHandler):
    """No access log (it would only repeat the request log); errors go to a debug logger."""

    def make_environ(self) -> WSGIEnvironment:
        environ = super().make_environ()
        # http.server merges a leading "//" before werkzeug sees the path; keep the target as sent
        words = self.raw_requestline.decode("latin-1").split()
        if len(words) >= 2:
            environ["RAW_URI"] = words[1]
        return environ

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Requests too broken to reach the application still get JSON, never an HTML page."""
        body = json.dumps({"code": 1, "error": message or "Bad request.", "payload": None})
        data = body.encode("utf-8")
        self.send_response(code, message)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD" and code >= 200 and code not in (204, 304):
            self.wfile.write(data)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass

    def log(self, type: str, message: str, *args: Any) -> None:
        _log.debug("%s: %s", type, message % args)


class ConnectServer:
    """A Posit Connect emulator on ``127.0.0.1``, for tests and demos.

    Parameters
    ----------
    users:
        Users to create (or keep, with a ``data_dir`` that already has them): ``UserSpec``
        objects or ``"name:role[:key]"`` strings, or a mapping of name to role (``"role"``,
        ``"role:key"`` or ``(role, key)``). Roles: administrator, publisher, viewer.
    data_dir:
        Folder for the persistent state; ``None`` keeps everything in a temporary folder that
        ``stop()`` removes. A server started again on the same folder has every user, key,
        content item, bundle and task.
    host, port:
        Where to listen; port 0 picks a free port.
    max_bundle_size:
        Upper limit, in bytes, of an upload and of its decompressed files (code 135 beyond);
        ``None`` (the default) sets none, as Connect sets none: a 2 GB bundle is taken, in
        constant memory. Set one to test what a client does with a refused upload.
    faults:
        Fault-injection switches (``server.faults`` can be changed at any time).
    settings:
        Server settings (``server.settings`` can be changed at any time):
        ``viewers_can_only_see_themselves``, ``html_front`` (an SSO page answers everything).
    path_prefix:
        Serve below a path, as a Connect behind a proxy at ``https://host/rsc/`` does:
        ``url`` ends with it, and requests outside it get 404.

    Notes
    -----
    The rules it follows are Connect's (CONNECT_API.md of the project), no more lenient:
    administrators have no rights on content they are not collaborators of (the content's
    ``role`` is the caller's real one, ``none`` for them); ``page_size`` (1 to 500),
    ``count`` (1 to 1000), ``wait`` (0 to 20) and ``first`` (not past the end) outside their
    range are errors, not clamped; a user search with ``prefix`` answers only its first page,
    sorted by similarity; v0 rows carry ``url`` with the numeric id and a number for
    ``app_mode``; a deploy answer sets a cookie that task polls must send back.

    Examples
    --------
    >>> import requests
    >>> with ConnectServer(users=["susan:publisher"]) as server:
    ...     headers = {"Authorization": f"Key {server.api_key('susan')}"}
    ...     requests.get(f"{server.url}/__api__/v1/user", headers=headers).json()["username"]
    'susan'
    """

    def __init__(
        self,
        users: Users = ("susan:publisher",),
        data_dir: str | Path | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        max_bundle_size: int | None = DEFAULT_MAX_BUNDLE_SIZE,
        faults: Faults | None = None,
        settings: Settings | None = None,
        path_prefix: str = "",
    ) -> None:
        specs = user_specs(users)  # checked before anything is created
        prefix = _path_prefix(path_prefix)
        self._tmp: str | None = None
        if data_dir is None:
            self._tmp = tempfile.mkdtemp(prefix="connect-emulator-")
            root = Path(self._tmp)
        else:
            root = Path(data_dir)
        self.data_dir = root
        self.host = host
        self.port = port
        self.path_prefix = prefix
        self._faults = faults or Faults()
        self.settings = settings or Settings()
        self._log = RequestLog()
        self.state = State(root, durable=data_dir is not None)
        for spec in specs:
            self.add_user(spec.username, spec.role, spec.key, spec.first_name, spec.last_name)
        self.app = ConnectApp(
            self.state, self._faults, self._log, max_bundle_size, self.settings, prefix
        )
        self._server: ThreadedWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def faults(self) -> Faults:
        """The fault-injection switches of this server (change them at any time)."""
        return self._faults

    @faults.setter
    def faults(self, faults: Faults) -> None:
        self._faults = self.app.faults = faults

    # users -----------------------------------------------------------------------------------
    def add_user(
        self,
        username: str,
        role: str = "publisher",
        key: str | None = None,
        first_name: str = "",
        last_name: str = "",
    ) -> str:
        """Create a user (or give an existing one this role and key); return the key."""
        UserSpec(username, role, key)
        if key is None:
            existing = self.state.plain_keys.get(username)
            key = existing[0] if existing else secrets.token_hex(16)
        self.state.add_user(username, role, key, first_name, last_name)
        return key

    def api_key(self, username: str) -> str:
        """The (first) API key of ``username``."""
        keys = self.state.plain_keys.get(username)
        if not keys:
            raise KeyError(f"no user {username!r} on this server")
        return keys[0]

    # serving ---------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>`` and the path prefix (no trailing slash), once started."""
        if self._server is None:
            raise RuntimeError("the server is not running; call start() or use it in a with block")
        return f"http://{self.host}:{self._server.server_port}{self.path_prefix}"

    def start(self) -> ConnectServer:
        """Listen and serve in a daemon thread (threaded: one thread per connection)."""
        if self._server is None:
            self._server = _QuietServer(self.host, self.port, self.app, _QuietHandler)
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.05},  # stop() waits at most this long
                name="connect-emulator",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; remove the temporary data folder when there was no ``data_dir``."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            if self._thread is not None:
                self._thread.join(timeout=5)
            self._server = self._thread = None
        self.state.close()
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def __enter__(self) -> ConnectServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self.url if self._server is not None else "stopped"
        return f"ConnectServer({where}, users={sorted(self.state.plain_keys)})"

    # request log -----------------------------------------------------------------------------
    @property
    def requests(self) -> list[RequestRecord]:
        """A copy of the request log, oldest first."""
        return self._log.records()

    def clear_requests(self) -> None:
        self._log.clear()
