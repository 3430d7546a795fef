"""Every error pins raises on purpose, as one tree rooted at :class:`PinsError`.

::

    PinsError
    ├── PinsNameError            an invalid pin name, version id or file name (also ValueError)
    ├── PinNotFoundError         no pin of that name on the board (also KeyError)
    ├── PinVersionNotFoundError  the pin exists, the version does not (also KeyError)
    ├── PinsVersionError         a version operation the board refuses (deleting Posit
    │                            Connect's active version)
    ├── PinsWriteConflictError   another writer committed the same version first
    ├── PinsMetadataError        a data.txt that is malformed, unsafe or cannot be written
    ├── PinsArgumentError        a caller's mistake: an argument with a bad value, or one
    │   │                        missing (also ValueError)
    │   └── PinsArgumentTypeError   an argument of the wrong kind, such as a string where
    │                               versioned (True or False) goes (also TypeError)
    ├── PinsTypeError            an unknown type, an object the chosen type cannot hold, or
    │   │                        a file that cannot be read as its type
    │   ├── PinsMissingDependencyError  the type needs an optional package (also ImportError)
    │   └── PinsUnsupportedTypeError    no type can write or read this (also
    │                                   NotImplementedError, which pins-python raised)
    ├── PinsInsecureReadError    a read refused as unsafe: unpickling that was not allowed,
    │                            or a path that leads out of the board (a symbolic link)
    ├── PinsInsecureWriteError   a write or delete refused as unsafe: it would go through a
    │                            symbolic link out of the board
    ├── PinsHashError            the content does not match the hash asked for or recorded
    ├── PinsCacheError           the local cache cannot be used
    ├── PinsReadOnlyError        a write or delete on a read-only board (a URL board)
    └── PinsStorageError         the board's storage failed: a folder, a disk, a server
        │                        (also OSError)
        ├── PinsAuthError        access was refused: the credentials (HTTP 401, 403) or
        │                        a folder's permissions
        └── PinsRemoteError      a remote board failed
            ├── PinsConnectionError  the server could not be reached (also ConnectionError)
            ├── PinsServerError  the server answered with an error (5xx, or an unexpected
            │                    reply); ``status`` holds the HTTP status when there was one
            ├── PinsOfflineError offline, and nothing cached to answer from
            └── PinsWriteUnknownError  a write was sent, but whether it happened cannot be
                                 known (its answer was lost); every other error raised by
                                 a write means that nothing was written

    UserWarning
    └── PinsOfflineWarning       the server could not be reached; answered from the cache

Each message says what happened and what to do about it. Errors raised while
talking to a backend are translated in one place per board and chain the original: the
same failure of the same disk is the same class from every board.

A remote board cannot answer "which version is the latest?" when its server is
*unreachable*: a :class:`PinsConnectionError` (connection refused or reset, a name that
does not resolve, a timeout) or a :class:`PinsServerError` with a 5xx ``status`` (the
server is up but cannot serve; 502, 503 and 504 are retried first). Reads then fall back
to the cache with a :class:`PinsOfflineWarning`; with nothing cached, a connection failure
is a :class:`PinsOfflineError` naming the server, and a 5xx is its own
:class:`PinsServerError`. Every other error is raised as it is, and writes never fall back.
"""

from __future__ import annotations

__all__ = [
    "PinNotFoundError",
    "PinVersionNotFoundError",
    "PinsArgumentError",
    "PinsArgumentTypeError",
    "PinsAuthError",
    "PinsCacheError",
    "PinsConnectionError",
    "PinsError",
    "PinsHashError",
    "PinsInsecureReadError",
    "PinsInsecureWriteError",
    "PinsMetadataError",
    "PinsMissingDependencyError",
    "PinsNameError",
    "PinsOfflineError",
    "PinsOfflineWarning",
    "PinsReadOnlyError",
    "PinsRemoteError",
    "PinsServerError",
    "PinsStorageError",
    "PinsTypeError",
    "PinsUnsupportedTypeError",
    "PinsVersionError",
    "PinsWriteConflictError",
    "PinsWriteUnknownError",
]


class PinsError(Exception):
    """The root of every error that pins raises on purpose."""


class PinsNameError(PinsError, ValueError):
    """A pin name, version id or file name that is not a single safe path component."""


class PinNotFoundError(PinsError, KeyError):
    """The board has no pin of that name."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class PinVersionNotFoundError(PinsError, KeyError):
    """The pin exists but has no version of that id."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class PinsVersionError(PinsError):
    """A version operation the board refuses, such as deleting the active (latest)
    version of a pin on Posit Connect."""


class PinsWriteConflictError(PinsError):
    """Another writer committed a version with the same id at the same moment."""


class PinsMetadataError(PinsError):
    """A data.txt that is malformed or unsafe, or metadata that cannot be written
    so that every reader reads it back."""


class PinsArgumentError(PinsError, ValueError):
    """A caller's mistake: an argument with a value that cannot work (``n=0``, a URL that
    is not http, no server given), or the same argument given twice."""


class PinsArgumentTypeError(PinsArgumentError, TypeError):
    """An argument of the wrong kind, such as an API key where ``versioned`` goes. It is
    a :class:`TypeError` as well as a :class:`PinsArgumentError` (so a ``ValueError``)."""


class PinsTypeError(PinsError, TypeError):
    """An unknown pin type, an object that the chosen type cannot hold, or a file that
    cannot be read as the type its data.txt names (the driver's error is chained)."""


class PinsMissingDependencyError(PinsTypeError, ImportError):
    """The pin type needs an optional package that is not installed."""


class PinsUnsupportedTypeError(PinsTypeError, NotImplementedError):
    """No pin type can do what was asked: an unknown type, ``type="file"`` given to
    ``pin_write``, ``pin_read`` of a ``file`` pin, an object no type can hold.

    It is also a :class:`NotImplementedError`, which pins-python raised in these cases,
    so that scripts catching that keep working.
    """


class PinsInsecureReadError(PinsError):
    """A read refused as unsafe: it would unpickle data (which runs code) and that was
    not allowed, or it would follow a symbolic link out of the board's folder."""


class PinsInsecureWriteError(PinsError):
    """A write refused as unsafe: the pin's folder (or the version's, or the manifest) is
    a symbolic link that leads out of the board's folder, and writing through it would
    change files outside the board. Nothing was written."""


class PinsHashError(PinsError):
    """The content does not match the hash that was asked for or recorded."""


class PinsCacheError(PinsError):
    """The local cache cannot be read or written."""


class PinsReadOnlyError(PinsError):
    """A write or delete on a board that can only be read (such as a URL board)."""


class PinsStorageError(PinsError, OSError):
    """The board's storage failed: a folder that cannot be written, a full disk, a
    server. It is an :class:`OSError` too, as the failure under it was."""


class PinsAuthError(PinsStorageError):
    """Access was refused: the server refused the credentials (HTTP 401 or 403), or the
    folder's permissions do not allow it."""


class PinsRemoteError(PinsStorageError):
    """A remote board (Connect, URL, object store) failed."""


class PinsConnectionError(PinsRemoteError, ConnectionError):
    """The server could not be reached."""


class PinsServerError(PinsRemoteError):
    """The server answered with an error or with something that is not a valid reply.

    ``status`` is the HTTP status of the answer (None when it was not an HTTP error).
    """

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status

    def __reduce__(self) -> tuple[type[PinsServerError], tuple[str, int | None]]:
        return type(self), (str(self), self.status)


class PinsOfflineError(PinsRemoteError):
    """The board is offline (or unreachable) and nothing is cached to answer from."""


class PinsWriteUnknownError(PinsRemoteError):
    """A write reached the server, but its outcome is unknown: the answer was lost and the
    server could not tell afterwards. The new version may be there or not; writing the same
    data again is safe (an unchanged hash stores nothing new)."""


class PinsOfflineWarning(UserWarning):
    """The server could not be reached, so the answer came from the local cache and
    may miss versions written since."""
