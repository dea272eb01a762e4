"""Fetching web pages and feeds over HTTP: the only module that imports httpx for the web.

A news assistant that fetches what users paste must be a polite and safe client:

* only ``http``/``https``; a size limit (``ASSISTANT_MAX_FILE_MB``) enforced while the body streams in, so a
  huge response costs at most that much memory; timeouts; at most ``fetch_max_redirects`` redirects;
* a User-Agent that names the app, the site's robots.txt obeyed (``respect_robots``), and a pause of
  ``fetch_delay`` seconds between two requests to one site;
* conditional requests (ETag / Last-Modified) so refreshing a feed that has not changed costs one 304;
* when private addresses are not allowed (``serve`` on a non-loopback address), every hop's host is resolved
  and refused if any address it resolves to is loopback, private, link-local or otherwise not public: the
  app must not become a way into the host's internal services. (The check runs after DNS resolution at each
  hop; a name that changes its answer between the check and the connection is not caught.)

Every failure is an :class:`InputError` whose message names the URL and the reason in one line.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from assistant import __version__
from assistant.errors import InputError

USER_AGENT = f"news-assistant/{__version__} (a private, local news assistant)"
#: The product token robots.txt rules are matched against.
ROBOTS_AGENT = "news-assistant"
_ROBOTS_MAX_BYTES = 512 * 1024


@dataclass(frozen=True)
class Fetched:
    """One response body, after redirects."""

    url: str  #: the URL asked for
    final_url: str  #: where the body came from, after redirects
    status: int
    content_type: str  #: media type without parameters, lower case ("" when the server sent none)
    charset: str | None
    body: bytes
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def is_url(value: str) -> bool:
    """Whether ``value`` is meant as a web address (``http://`` or ``https://``) rather than a path."""
    return value.lower().startswith(("http://", "https://"))


def _public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast or ip.is_unspecified
    )


class Fetcher:
    """An HTTP client for pages and feeds with the limits above. Safe to share between threads."""

    def __init__(
        self,
        *,
        max_bytes: int,
        timeout: float = 20.0,
        max_redirects: int = 5,
        delay: float = 1.0,
        respect_robots: bool = True,
        allow_private: bool = True,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.delay = delay
        self.respect_robots = respect_robots
        self.allow_private = allow_private
        self.timeout = timeout
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,  # followed by hand: every hop is checked
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
            transport=transport,
        )
        self._lock = threading.Lock()
        self._last_request: dict[str, float] = {}
        self._robots: dict[str, RobotFileParser | None] = {}

    @classmethod
    def from_settings(cls, settings, *, serving_host: str | None = None) -> "Fetcher":
        """A fetcher configured by ``settings``; ``serving_host`` is the address `serve` binds to, if serving."""
        allow = settings.fetch_private
        if allow is None:
            allow = serving_host is None or is_loopback(serving_host)
        return cls(
            max_bytes=int(settings.max_file_mb * 2**20),
            timeout=settings.fetch_timeout,
            max_redirects=settings.fetch_max_redirects,
            delay=settings.fetch_delay,
            respect_robots=settings.respect_robots,
            allow_private=allow,
        )

    def close(self) -> None:
        self._client.close()

    # --- requests ---------------------------------------------------------------------------------------

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """GET ``url`` following redirects; a 304 (with ``etag``/``last_modified`` given) is returned as such."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        for _ in range(self.max_redirects + 1):
            self._check_url(current, asked=url)
            if self.respect_robots and not self._allowed_by_robots(current):
                raise InputError(
                    f"{url}: the site's robots.txt does not allow fetching it",
                    hint="set ASSISTANT_RESPECT_ROBOTS=false only if you are entitled to fetch it",
                )
            response = self._get(current, url, headers)
            if response.status_code in (301, 302, 303, 307, 308):
                location = response.headers.get("location")
                if not location:
                    raise InputError(f"{url}: redirect without a location (HTTP {response.status_code})")
                current = urljoin(current, location)
                continue
            return response_to_fetched(url, current, response)
        raise InputError(f"{url}: more than {self.max_redirects} redirects", hint="raise ASSISTANT_FETCH_MAX_REDIRECTS")

    def _get(self, current: str, asked: str, headers: dict[str, str]) -> "_Response":
        self._wait_turn(current)
        try:
            with self._client.stream("GET", current, headers=headers) as response:
                if response.status_code in (301, 302, 303, 307, 308, 304):
                    return _Response(response.status_code, response.headers, b"")
                if response.status_code >= 400:
                    reason = response.reason_phrase or ""
                    raise InputError(f"{asked}: HTTP {response.status_code} {reason}".rstrip())
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > self.max_bytes:
                    raise self._too_large(asked, int(declared))
                body = bytearray()
                for piece in response.iter_bytes():
                    body.extend(piece)
                    if len(body) > self.max_bytes:
                        raise self._too_large(asked, None)
                return _Response(response.status_code, response.headers, bytes(body))
        except httpx.TimeoutException:
            raise InputError(f"{asked}: no answer within {self.timeout:g} s (timeout)", hint="raise ASSISTANT_FETCH_TIMEOUT") from None
        except httpx.HTTPError as exc:
            raise InputError(f"{asked}: cannot fetch ({type(exc).__name__}: {exc})") from None

    def _too_large(self, url: str, size: int | None) -> InputError:
        limit = self.max_bytes / 2**20
        said = f"{size / 2**20:.1f} MiB" if size else "larger than that"
        return InputError(f"{url}: response is {said}, over the {limit:.1f} MiB limit", hint="raise ASSISTANT_MAX_FILE_MB")

    def _wait_turn(self, url: str) -> None:
        """Keep ``delay`` seconds between two requests to one host (per process)."""
        host = urlsplit(url).netloc.lower()
        with self._lock:
            now = time.monotonic()
            ready = self._last_request.get(host, 0.0) + self.delay
            self._last_request[host] = max(now, ready)
        if ready > now:
            time.sleep(ready - now)

    # --- checks -----------------------------------------------------------------------------------------

    def _check_url(self, url: str, asked: str) -> None:
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https"):
            raise InputError(f"{asked}: only http and https addresses can be fetched, not {parts.scheme or 'this'}")
        if not parts.hostname:
            raise InputError(f"{asked}: not a web address (no host)")
        if self.allow_private:
            return
        try:
            infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80), proto=socket.IPPROTO_TCP)
        except socket.gaierror:
            raise InputError(f"{asked}: host {parts.hostname} not found") from None
        for info in infos:
            ip = ipaddress.ip_address(info[4][0].split("%")[0])
            if not _public(ip):
                raise InputError(
                    f"{asked}: refused, {parts.hostname} resolves to a non-public address ({ip})",
                    hint="set ASSISTANT_FETCH_PRIVATE=true to allow addresses on this machine's networks",
                )

    def _allowed_by_robots(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            known = origin in self._robots
            parser = self._robots.get(origin)
        if not known:
            parser = self._read_robots(origin)
            with self._lock:
                self._robots[origin] = parser
        return True if parser is None else parser.can_fetch(ROBOTS_AGENT, url)

    def _read_robots(self, origin: str) -> RobotFileParser | None:
        """The site's rules; None (everything allowed) when it has no readable robots.txt."""
        robots_url = origin + "/robots.txt"
        self._wait_turn(robots_url)
        try:
            response = self._client.get(robots_url)
        except httpx.HTTPError:
            return None
        parser = RobotFileParser(robots_url)
        if response.status_code in (401, 403):
            parser.disallow_all = True
            return parser
        if response.status_code >= 300 or len(response.content) > _ROBOTS_MAX_BYTES:
            return None
        parser.parse(response.text.splitlines())
        return parser


@dataclass(frozen=True)
class _Response:
    status_code: int
    headers: httpx.Headers
    body: bytes


def response_to_fetched(url: str, final_url: str, response: _Response) -> Fetched:
    content_type = response.headers.get("content-type", "")
    media, _, params = content_type.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.strip().partition("=")
        if key.lower() == "charset" and value:
            charset = value.strip("\"' ").lower()
    return Fetched(
        url=url,
        final_url=final_url,
        status=response.status_code,
        content_type=media.strip().lower(),
        charset=charset,
        body=response.body,
        etag=response.headers.get("etag"),
        last_modified=response.headers.get("last-modified"),
    )


def is_loopback(host: str) -> bool:
    """Whether an address to bind or fetch is this machine only ("localhost", 127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
