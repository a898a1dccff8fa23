"""Test stand-ins for the network: a resolver and sockets that reach nothing.

``FakeDNS`` replaces ``socket.getaddrinfo``: names answer what a test says and
an unknown name fails, so no test ever asks a real resolver. ``NoConnections``
replaces ``socket.socket``: it records where each connection was asked for and
refuses it, so a test can prove where the worker would have connected without
anything leaving this machine.
"""

import socket

# Public addresses (example.com's, once) that tests resolve names to; nothing
# ever connects to them: the tests that use them refuse every connection.
PUBLIC_V4 = "93.184.216.34"
PUBLIC_V6 = "2606:2800:220:1:248:1893:25c8:1946"


class FakeDNS:
    """``getaddrinfo`` answering from a table; a list of lists answers in turn.

    ``answers[name]`` is a list of addresses, or (``sequence``) a list of such
    lists given one per lookup, the last repeated.
    """

    def __init__(self, answers=None):
        self.answers = dict(answers or {})
        self.sequences = {}
        self.calls = []

    def sequence(self, name, *answers):
        self.sequences[name] = list(answers)

    def __call__(self, host, port, family=0, type=0, proto=0, flags=0):  # noqa: A002
        self.calls.append(host)
        if host in self.sequences:
            turns = self.sequences[host]
            addresses = turns.pop(0) if len(turns) > 1 else turns[0]
        else:
            addresses = self.answers.get(host)
        if not addresses:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            (socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0))
            if ":" in address
            else (socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))
            for address in addresses
        ]


class NoConnections:
    """``socket.socket`` whose sockets record ``connect()`` and refuse it."""

    def __init__(self, *, accept=False):
        self.connects = []
        self.accept = accept

    def __call__(self, family=-1, type=-1, proto=-1, fileno=None):  # noqa: A002
        return _RecordingSocket(self)


class _RecordingSocket:
    def __init__(self, spy):
        self.spy = spy

    def settimeout(self, timeout):
        pass

    def connect(self, address):
        self.spy.connects.append(address)
        if not self.spy.accept:
            raise ConnectionRefusedError(111, "Connection refused")

    def close(self):
        pass
