"""Where webhooks may go: public internet addresses only, checked at save and send.

Why: the worker sends notices from inside the clinic's network. If it connected
wherever an endpoint's address leads, ``http://10.0.0.5/`` or the cloud metadata
service (169.254.169.254, which hands out credentials) would turn it into a probe
of internal systems. So an address's host is resolved and the address refused if
*any* answer is not public: a name with one public and one private answer could
be connected either way.

Checked twice: when an endpoint is saved (``validate_webhook_url``, called by the
model's validation, so the admin form and ``full_clean()`` both get it), and before
every attempt (``transport.py`` calls ``check_url``). The attempt then connects to
the very addresses checked here (``Destination.addresses``): a DNS answer that
changes between the check and the connection (DNS rebinding) changes nothing.

Numeric hosts (``http://2130706433/``, ``http://0x7f.1/``) are read the way the
C library reads them (``inet_aton``), so they are checked as the address they
are, and never sent to DNS.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

DEFAULT_PORTS = {"https": 443, "http": 80}

# Cloud providers' instance metadata and host services: reachable from a server,
# never from the internet, and they answer with credentials. Most are also in a
# forbidden range below; naming them gives editors the clearer reason.
METADATA_ADDRESSES = frozenset(
    map(
        ipaddress.ip_address,
        [
            "169.254.169.254",  # AWS, Google Cloud, Azure, Oracle, OpenStack...
            "169.254.169.253",  # AWS DNS resolver
            "169.254.170.2",  # AWS ECS task metadata
            "fd00:ec2::254",  # AWS metadata over IPv6
            "fd00:ec2::253",  # AWS DNS resolver over IPv6
            "100.100.100.200",  # Alibaba Cloud
            "168.63.129.16",  # Azure host agent: a public-looking internal address
        ],
    )
)

# Private networks, whatever Python's own tables say in a given version:
# RFC 1918, carrier-grade NAT (RFC 6598), IPv6 unique-local and site-local.
PRIVATE_NETWORKS = tuple(
    map(
        ipaddress.ip_network,
        [
            "10.0.0.0/8",
            "172.16.0.0/12",
            "192.168.0.0/16",
            "100.64.0.0/10",
            "fc00::/7",
            "fec0::/10",
        ],
    )
)
NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052: an IPv4 address inside

# Host names that mean this machine without asking DNS (RFC 6761).
LOOPBACK_NAMES = ("localhost",)


@dataclass(frozen=True)
class Range:
    """A kind of address webhooks may not go to, in two wordings."""

    leads_to: str  # for editors: "This address leads to ..."
    is_: str  # for the delivery log: "Refused: address 10.0.0.5 ..."


LOOPBACK = Range("this server itself", "is this server itself (loopback)")
PRIVATE = Range("a private network", "is on a private network")
LINK_LOCAL = Range("a link-local network", "is on a link-local network")
METADATA = Range("a cloud provider's metadata service", "is a cloud metadata service")
MULTICAST = Range("a multicast group", "is a multicast address")
UNSPECIFIED = Range("no particular machine", "is the unspecified address")
RESERVED = Range("a reserved address range", "is in a reserved range")
NOT_PUBLIC = Range(
    "an address that is not on the public internet", "is not a public address"
)


class Refused(ValueError):
    """An address webhooks may not go to.

    ``message`` is for editors (the admin form); ``str()`` is the short reason
    the delivery log keeps.
    """

    def __init__(self, message: str, reason: str):
        super().__init__(reason)
        self.message = message
        self.reason = reason


@dataclass(frozen=True)
class Destination:
    """A checked address: what to connect to, and the name to speak to there."""

    scheme: str
    host: str  # as in the address (IDNA-encoded): the Host header and TLS name
    port: int
    target: str  # path and query string to request
    addresses: tuple[tuple[int, tuple], ...]  # (family, sockaddr), all checked

    @property
    def default_port(self) -> int:
        return DEFAULT_PORTS[self.scheme]


def classify(address: IPAddress) -> Range | None:
    """The forbidden range an address is in, or ``None`` when it is public.

    IPv6 forms that carry an IPv4 address (IPv4-mapped ``::ffff:10.0.0.1``,
    6to4 ``2002::/16``, NAT64 ``64:ff9b::/96``, IPv4-compatible ``::10.0.0.1``)
    are judged by the IPv4 address inside as well as by their own range.
    """
    if isinstance(address, ipaddress.IPv6Address):
        inner = embedded_ipv4(address)
        if inner is not None:
            found = classify(inner)
            if found is not None:
                return found
            if address.ipv4_mapped or address in NAT64:
                return None  # the same public machine, or a gateway to it
    if address in METADATA_ADDRESSES:
        return METADATA
    if address.is_unspecified:
        return UNSPECIFIED
    if address.is_loopback:
        return LOOPBACK
    if address.is_link_local:
        return LINK_LOCAL
    if address.is_multicast:
        return MULTICAST
    if any(address in network for network in PRIVATE_NETWORKS):
        return PRIVATE
    if address.is_reserved:
        return RESERVED
    if address.is_private or not address.is_global:
        return NOT_PUBLIC
    return None


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for, if it is one of those forms."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    low32 = int(address) & 0xFFFFFFFF
    if address in NAT64:
        return ipaddress.IPv4Address(low32)
    # IPv4-compatible (::a.b.c.d, deprecated); :: and ::1 are themselves.
    if int(address) >> 32 == 0 and int(address) > 1:
        return ipaddress.IPv4Address(low32)
    return None


def loopback_allowed() -> bool:
    return settings.WEBHOOK_ALLOW_LOOPBACK


def allowed_ports() -> set[int]:
    return {int(port) for port in settings.WEBHOOK_ALLOWED_PORTS}


def check_url(url: str) -> Destination:
    """Resolve a webhook address and check it; raise ``Refused`` if it may not be used.

    Resolves once: the returned ``Destination`` holds every address checked,
    and the caller connects to those, never to the name.
    """
    scheme, host, port, target = _split(url)
    answers = _resolve(host, port)
    allow_loopback = loopback_allowed()
    for address, _family, _sockaddr in answers:
        found = classify(address)
        if found is LOOPBACK and allow_loopback:
            continue
        if found is not None:
            raise refusal(found, str(address))
    all_loopback = all(classify(address) is LOOPBACK for address, _, _ in answers)
    if port not in allowed_ports() and not (allow_loopback and all_loopback):
        ports = " or ".join(str(allowed) for allowed in sorted(allowed_ports()))
        raise Refused(
            f"Port {port} is not allowed. Webhooks go to port {ports} (leave the "
            "port out of the address to use the usual one). A developer can allow "
            "another port with the WEBHOOK_ALLOWED_PORTS setting.",
            f"Refused: port {port} is not allowed",
        )
    return Destination(
        scheme=scheme,
        host=host,
        port=port,
        target=target,
        addresses=tuple((family, sockaddr) for _, family, sockaddr in answers),
    )


def refusal(found: Range, shown: str) -> Refused:
    return Refused(
        f"This address leads to {found.leads_to} ({shown}). Webhooks may only go "
        "to public internet addresses.",
        f"Refused: address {shown} {found.is_}",
    )


def validate_webhook_url(url: str) -> None:
    """The model's check (admin form, ``full_clean``): Django's ``ValidationError``.

    Plain http:// is refused here unless the host is written as a loopback
    address: notices must not be readable or changeable on the way.
    """
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
    except ValueError:
        raise ValidationError("Enter a valid web address.", code="invalid") from None
    if parts.scheme == "http" and hostname not in ("localhost", "127.0.0.1", "::1"):
        raise ValidationError(
            "Use an address that starts with https:// so notices cannot be read "
            "or changed on the way. Plain http:// is allowed only for localhost "
            "or 127.0.0.1 while testing.",
            code="https_required",
        )
    try:
        check_url(url)
    except Refused as exc:
        raise ValidationError(exc.message, code="refused") from None


def _split(url: str) -> tuple[str, str, int, str]:
    """Scheme, host, port and request target; refuse what is not a plain web address."""
    try:
        parts = urlsplit(url)
        explicit_port = parts.port
    except ValueError:
        raise Refused(
            "This address is not valid: check the port after the colon.",
            "Refused: not a valid address",
        ) from None
    if parts.scheme not in DEFAULT_PORTS:
        raise Refused(
            "Webhook addresses must start with https://.",
            "Not a web address: only http:// and https:// are sent to",
        )
    if "@" in parts.netloc:
        raise Refused(
            "Remove the user name and password (the part before @) from the "
            "address. Receivers check each notice's signature instead.",
            "Refused: the address contains a user name or password",
        )
    hostname = parts.hostname or ""
    try:
        host = hostname.rstrip(".").encode("idna").decode("ascii") if hostname else ""
    except UnicodeError:
        host = ""
    if not host:
        raise Refused(
            "This address has no valid host name.",
            "Refused: the address has no valid host name",
        )
    port = DEFAULT_PORTS[parts.scheme] if explicit_port is None else explicit_port
    target = parts.path or "/"
    if parts.query:
        target = f"{target}?{parts.query}"
    return parts.scheme, host, port, target


def _literal(host: str) -> IPAddress | None:
    """The address a numeric host stands for, read as the C library reads it."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if ":" in host:
        return None
    try:
        # Accepts 2130706433, 0x7f.1, 017700000001, 127.1 as the OS does.
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def _resolve(host: str, port: int) -> list[tuple[IPAddress, int, tuple]]:
    """Every address ``host`` stands for, with the socket address to connect to."""
    literal = _literal(host)
    if literal is not None:
        return [_answer(literal, port)]
    if not loopback_allowed() and (
        host in LOOPBACK_NAMES or host.endswith(".localhost")
    ):
        raise refusal(LOOPBACK, host)
    try:
        found = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
        )
    except (OSError, UnicodeError):
        found = []
    answers = []
    for family, _type, _proto, _name, sockaddr in found:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        answers.append(_answer(ipaddress.ip_address(sockaddr[0]), port))
    if not answers:
        raise Refused(
            f"No server could be found at {host}. Check the spelling of the "
            "address; if the receiver is new, try again once its name is set up.",
            f"Could not find {host} (DNS lookup failed)",
        )
    return answers


def _answer(address: IPAddress, port: int) -> tuple[IPAddress, int, tuple]:
    """An address and the socket address that reaches exactly it."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            # The same machine as the IPv4 address: connect to that directly.
            return address, socket.AF_INET, (str(address.ipv4_mapped), port)
        scope = address.scope_id or ""
        plain = str(address).split("%", 1)[0]
        scope_id = int(scope) if scope.isdigit() else 0  # named scopes are link-local
        return address, socket.AF_INET6, (plain, port, 0, scope_id)
    return address, socket.AF_INET, (str(address), port)
