"""Where webhooks may go: the address rules of ``egress.py``, without a database.

Every name is answered by a fake resolver and numeric hosts never reach one, so
nothing here asks DNS or connects anywhere.
"""

import ipaddress
import socket

import pytest

from cms.publishing import egress
from cms.publishing.tests.network import PUBLIC_V4, PUBLIC_V6, FakeDNS


@pytest.fixture
def dns(monkeypatch):
    fake = FakeDNS()
    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return fake


@pytest.fixture
def no_loopback(settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = False


def refused(url) -> egress.Refused:
    with pytest.raises(egress.Refused) as caught:
        egress.check_url(url)
    return caught.value


# (an address a name resolves to, the range named in the log, the editors' words)
FORBIDDEN = [
    ("10.0.0.5", "is on a private network", "a private network"),
    ("172.16.3.4", "is on a private network", "a private network"),
    ("192.168.1.1", "is on a private network", "a private network"),
    ("100.64.0.1", "is on a private network", "a private network"),  # CGNAT
    ("fd12:3456::1", "is on a private network", "a private network"),
    ("fc00::1", "is on a private network", "a private network"),
    ("fec0::1", "is on a private network", "a private network"),  # site-local
    ("127.0.0.1", "is this server itself", "this server itself"),
    ("127.8.9.10", "is this server itself", "this server itself"),
    ("::1", "is this server itself", "this server itself"),
    ("169.254.10.1", "is on a link-local network", "a link-local network"),
    ("fe80::1", "is on a link-local network", "a link-local network"),
    ("169.254.169.254", "is a cloud metadata service", "metadata service"),
    ("169.254.170.2", "is a cloud metadata service", "metadata service"),
    ("fd00:ec2::254", "is a cloud metadata service", "metadata service"),
    ("100.100.100.200", "is a cloud metadata service", "metadata service"),
    ("168.63.129.16", "is a cloud metadata service", "metadata service"),
    ("224.0.0.1", "is a multicast address", "a multicast group"),
    ("ff02::1", "is a multicast address", "a multicast group"),
    ("0.0.0.0", "is the unspecified address", "no particular machine"),  # noqa: S104
    ("::", "is the unspecified address", "no particular machine"),
    ("240.0.0.1", "is in a reserved range", "a reserved address range"),
    ("192.0.2.10", "is not a public address", "not on the public internet"),
    ("198.18.0.1", "is not a public address", "not on the public internet"),
    ("2001:db8::1", "is not a public address", "not on the public internet"),
    ("2001::1", "is not a public address", "not on the public internet"),  # Teredo
    # IPv6 forms carrying a forbidden IPv4 address.
    ("::ffff:10.0.0.1", "is on a private network", "a private network"),
    ("::ffff:127.0.0.1", "is this server itself", "this server itself"),
    ("::ffff:169.254.169.254", "is a cloud metadata service", "metadata service"),
    ("2002:a00:1::1", "is on a private network", "a private network"),  # 6to4
    ("2002:a9fe:a9fe::", "is a cloud metadata service", "metadata service"),
    ("64:ff9b::a00:5", "is on a private network", "a private network"),  # NAT64
    ("64:ff9b::7f00:1", "is this server itself", "this server itself"),
    ("::a00:5", "is on a private network", "a private network"),  # v4-compatible
    ("::7f00:1", "is this server itself", "this server itself"),
]


@pytest.mark.parametrize(("address", "logged", "told"), FORBIDDEN)
def test_a_name_resolving_into_a_forbidden_range_is_refused(
    dns, no_loopback, address, logged, told
):
    dns.answers["hooks.example.com"] = [address]
    shown = str(ipaddress.ip_address(address))  # as Python's version writes it
    exc = refused("https://hooks.example.com/revalidate")
    assert str(exc) == f"Refused: address {shown} {logged}".replace(
        "is this server itself", "is this server itself (loopback)"
    )
    assert exc.message.startswith("This address leads to ")
    assert told in exc.message
    assert f"({shown})" in exc.message
    assert exc.message.endswith("Webhooks may only go to public internet addresses.")


@pytest.mark.parametrize(
    "answers",
    [
        [PUBLIC_V4, "10.0.0.5"],
        ["10.0.0.5", PUBLIC_V4],
        [PUBLIC_V6, "fd00::5"],
        [PUBLIC_V4, PUBLIC_V6, "169.254.169.254"],
    ],
)
def test_one_forbidden_answer_among_public_ones_refuses_the_name(dns, answers):
    dns.answers["hooks.example.com"] = answers
    forbidden = next(a for a in answers if a not in (PUBLIC_V4, PUBLIC_V6))
    assert f"address {forbidden} " in str(refused("https://hooks.example.com/"))


def test_a_public_name_gives_every_checked_address_to_connect_to(dns):
    dns.answers["hooks.example.com"] = [PUBLIC_V6, PUBLIC_V4]
    destination = egress.check_url("https://Hooks.Example.com/revalidate?x=1#top")
    assert destination.host == "hooks.example.com"
    assert (destination.port, destination.target) == (443, "/revalidate?x=1")
    assert destination.addresses == (
        (socket.AF_INET6, (PUBLIC_V6, 443, 0, 0)),
        (socket.AF_INET, (PUBLIC_V4, 443)),
    )
    assert dns.calls == ["hooks.example.com"]


def test_public_ipv4_inside_ipv6_is_allowed_and_mapped_is_connected_as_ipv4(dns):
    dns.answers["hooks.example.com"] = ["::ffff:93.184.216.34", "64:ff9b::5db8:d822"]
    destination = egress.check_url("https://hooks.example.com/")
    assert destination.addresses == (
        (socket.AF_INET, (PUBLIC_V4, 443)),
        (socket.AF_INET6, ("64:ff9b::5db8:d822", 443, 0, 0)),
    )


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("http://2130706433/", "127.0.0.1"),
        ("http://0x7f.1/", "127.0.0.1"),
        ("http://0x7f000001/", "127.0.0.1"),
        ("http://017700000001/", "127.0.0.1"),
        ("http://0177.0.0.1/", "127.0.0.1"),
        ("http://127.1/", "127.0.0.1"),
        ("http://[::1]/", "::1"),
        ("http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1"),
        ("http://0/", "0.0.0.0"),  # noqa: S104 - reaches this machine on Linux
        ("https://10.0.0.5/hooks", "10.0.0.5"),
        ("https://0xa000005/hooks", "10.0.0.5"),
        ("https://167772165/hooks", "10.0.0.5"),
        ("https://[fd00::1]/", "fd00::1"),
        ("https://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("https://[::ffff:a9fe:a9fe]/", "::ffff:169.254.169.254"),
        ("https://[fe80::1%25eth0]/", "fe80::1%25eth0"),  # zone as written
    ],
)
def test_numeric_hosts_are_read_as_the_os_reads_them_and_never_looked_up(
    dns, no_loopback, url, address
):
    shown = str(ipaddress.ip_address(address))  # as Python's version writes it
    assert str(refused(url)).startswith(f"Refused: address {shown} ")
    assert dns.calls == []


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:8000/",
        "http://LOCALHOST./",
        "http://app.localhost/",
        "http://127.0.0.1:9000/",
        "http://[::1]:9000/",
    ],
)
def test_without_the_loopback_setting_this_machine_is_refused(dns, no_loopback, url):
    assert "(loopback)" in str(refused(url))
    assert dns.calls == []  # localhost is this machine whatever DNS says


@pytest.mark.parametrize("url", ["http://127.0.0.1:8123/h", "http://[::1]:9/h"])
def test_with_the_loopback_setting_a_local_receiver_on_any_port_is_allowed(url):
    destination = egress.check_url(url)
    assert destination.port in (8123, 9)


def test_loopback_allowed_still_refuses_private_networks_and_other_ports(dns):
    dns.answers["mixed.example.com"] = [PUBLIC_V4, "127.0.0.1"]
    assert str(refused("http://10.0.0.5:80/")).startswith("Refused: address 10.0.0.5")
    assert str(refused("http://mixed.example.com:8080/")) == (
        "Refused: port 8080 is not allowed"
    )


def test_ports_other_than_443_and_80_need_the_setting(dns, settings):
    dns.answers["hooks.example.com"] = [PUBLIC_V4]
    exc = refused("https://hooks.example.com:8443/")
    assert str(exc) == "Refused: port 8443 is not allowed"
    assert "Port 8443 is not allowed" in exc.message
    assert "WEBHOOK_ALLOWED_PORTS" in exc.message
    assert egress.check_url("http://hooks.example.com/").port == 80
    assert egress.check_url("https://hooks.example.com:443/").port == 443

    settings.WEBHOOK_ALLOWED_PORTS = [443, 8443]
    assert egress.check_url("https://hooks.example.com:8443/").port == 8443
    port_80 = refused("http://hooks.example.com/")
    assert str(port_80) == "Refused: port 80 is not allowed"


@pytest.mark.parametrize(
    "url",
    [
        "ftp://hooks.example.com/",
        "file:///etc/passwd",
        "gopher://hooks.example.com:70/",
        "javascript:alert(1)",
        "hooks.example.com/path",
    ],
)
def test_only_http_and_https_are_web_addresses(dns, url):
    assert str(refused(url)).startswith("Not a web address")
    assert dns.calls == []


@pytest.mark.parametrize(
    "url",
    [
        "https://user:pass@hooks.example.com/",
        "https://user@hooks.example.com/",
        "https://:pass@hooks.example.com/",
        "https://hooks.example.com@10.0.0.5/",
    ],
)
def test_a_user_name_or_password_in_the_address_is_refused(dns, url):
    exc = refused(url)
    assert str(exc) == "Refused: the address contains a user name or password"
    assert "Remove the user name and password" in exc.message
    assert dns.calls == []


def test_a_name_that_cannot_be_found_is_refused_with_a_hint(dns):
    exc = refused("https://no-such-host.example.com/")
    assert str(exc) == "Could not find no-such-host.example.com (DNS lookup failed)"
    assert "Check the spelling" in exc.message


@pytest.mark.parametrize(
    "url",
    ["https://hooks.example.com:99999/", "https://hooks.example.com:https/"],
)
def test_a_broken_port_is_refused(dns, url):
    assert str(refused(url)) == "Refused: not a valid address"
