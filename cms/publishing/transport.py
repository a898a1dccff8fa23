"""One webhook POST, over a connection to the address ``egress.py`` checked.

Why not urllib: it looks the host name up again when it connects, so the machine
it reaches need not be the one that was checked (DNS rebinding), and it follows
redirects. Here the TCP connection is opened to a checked address; plain http
sends the original Host header, https wraps TLS with ``server_hostname`` set to
the original name, so SNI and certificate verification use the name. Redirects
are never followed.

One deadline covers the whole attempt: the DNS check, connecting, the TLS
handshake, sending the request and reading the status line and headers must
all fit in ``timeout`` seconds. Before every blocking socket call the socket's
timeout is set to the time that is left, so a receiver that drips its answer a
byte at a time is cut off at the deadline instead of holding the worker for
``timeout`` per byte.

The receiver's reply body is never read: what the delivery log keeps is the
status code and a short reason written here, so the log cannot be used to read
what an address answers.
"""

from __future__ import annotations

import http.client
import io
import socket
import ssl
import time

from cms.publishing import egress

# OpenSSL's verify codes for a certificate issued to another name or address.
HOSTNAME_MISMATCH_CODES = {62, 64}


class SendFailed(Exception):
    """An attempt that got no HTTP answer; ``str()`` is the short reason."""


def post(url: str, body: bytes, headers: dict, timeout: float) -> int:
    """Check ``url``, POST to the checked address, return the status code.

    The whole attempt, from the address check to the last header line, has
    ``timeout`` seconds. Raises ``egress.Refused`` (no connection made) or
    ``SendFailed``.
    """
    deadline = Deadline(timeout)
    destination = egress.check_url(url)
    connection = PinnedConnection(destination, deadline)
    try:
        connection.request("POST", destination.target, body=body, headers=headers)
        return connection.getresponse().status
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise SendFailed(describe(exc, destination.host, timeout)) from exc
    finally:
        connection.close()


class Deadline:
    """A point in (monotonic) time by which the attempt must be over."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def remaining(self) -> float:
        """Seconds left, for the next socket call; ``TimeoutError`` when none."""
        left = self.at - time.monotonic()
        if left <= 0:
            raise TimeoutError("the attempt's deadline has passed")
        return left


class PinnedConnection(http.client.HTTPConnection):
    """http.client speaking to ``destination.host`` at a checked address."""

    def __init__(self, destination: egress.Destination, deadline: Deadline):
        super().__init__(destination.host, destination.port, timeout=deadline.seconds)
        # The Host header leaves out the port when it is the scheme's usual one.
        self.default_port = destination.default_port
        self.destination = destination
        self.deadline = deadline

    def connect(self):
        sock = open_socket(self.destination, self.deadline)
        self.sock = DeadlineSocket(sock, self.deadline)


class DeadlineSocket:
    """The calls http.client makes on its socket, each within the deadline.

    http.client sends with ``sendall`` and reads the answer through
    ``makefile("rb")``; both set the socket's timeout to what is left first
    (``sendall``'s timeout covers the whole send since Python 3.5).
    """

    def __init__(self, sock: socket.socket, deadline: Deadline):
        self._sock = sock
        self.deadline = deadline

    def sendall(self, data) -> None:
        self._sock.settimeout(self.deadline.remaining())
        self._sock.sendall(data)

    def makefile(self, mode: str = "rb", *args, **kwargs):
        return io.BufferedReader(_DeadlineReader(self._sock, self.deadline))

    def close(self) -> None:
        self._sock.close()

    def __getattr__(self, name):
        return getattr(self._sock, name)


class _DeadlineReader(io.RawIOBase):
    """Raw reads from a socket, each allowed only the time left."""

    def __init__(self, sock: socket.socket, deadline: Deadline):
        super().__init__()
        self._sock = sock
        self.deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        self._sock.settimeout(self.deadline.remaining())
        return self._sock.recv_into(buffer)


def open_socket(
    destination: egress.Destination, deadline: Deadline | float
) -> socket.socket:
    """Connect to the first checked address that answers; TLS for https."""
    if not isinstance(deadline, Deadline):
        deadline = Deadline(deadline)
    error: OSError | None = None
    for family, sockaddr in destination.addresses:
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.settimeout(deadline.remaining())
            sock.connect(sockaddr)
        except OSError as exc:
            sock.close()
            error = exc
            if isinstance(exc, TimeoutError):
                break  # the deadline is spent: no time for the next address
            continue
        if destination.scheme != "https":
            return sock
        try:
            sock.settimeout(deadline.remaining())
            return tls_context().wrap_socket(sock, server_hostname=destination.host)
        except BaseException:
            sock.close()
            raise
    raise error or ConnectionError("no address to connect to")


def tls_context() -> ssl.SSLContext:
    """Certificates checked against the system's trusted authorities and the name."""
    return ssl.create_default_context()


def describe(exc: BaseException, host: str, timeout: float) -> str:
    """A short reason for the delivery log, in our words, never the receiver's."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        if exc.verify_code in HOSTNAME_MISMATCH_CODES:
            return f"TLS certificate not valid for {host}"
        # OpenSSL's fixed wording, e.g. "certificate has expired".
        return f"TLS certificate not trusted ({exc.verify_message})"
    if isinstance(exc, ssl.SSLError):
        return "TLS handshake failed"
    if isinstance(exc, TimeoutError):
        return f"Timed out after {timeout:g} s"
    if isinstance(exc, ConnectionRefusedError):
        return "Connection refused"
    if isinstance(exc, http.client.RemoteDisconnected):
        return "The receiver closed the connection without answering"
    if isinstance(exc, ConnectionResetError):
        return "Connection reset by the receiver"
    if isinstance(exc, http.client.InvalidURL):
        return "Not a valid address (check its path)"
    if isinstance(exc, http.client.HTTPException):
        return "The receiver's answer was not valid HTTP"
    if isinstance(exc, OSError) and exc.strerror:
        return f"Network error: {exc.strerror}"  # the OS's words
    return f"Network error ({type(exc).__name__})"
