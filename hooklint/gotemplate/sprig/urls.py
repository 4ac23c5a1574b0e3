"""Sprig's URL functions urlParse and urlJoin (sprig v3.3.0 url.go).

Both are thin wrappers over Go's net/url, so the parts of net/url they reach are ported here
(Parse, URL.String, Hostname, Userinfo.String and the escape/unescape rules), working on
bytes as Go does. Python's urllib splits and escapes differently and is not used.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from hooklint.gotemplate.gofmt import go_bytes, quote
from hooklint.gotemplate.gotypes import MAP, STRING, GoPanic, go_kind, gofunc
from hooklint.gotemplate.sprig.encoding import go_string

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

# escape/unescape modes (net/url's `encoding`)
PATH, PATH_SEGMENT, HOST, ZONE, USER_PASSWORD, QUERY_COMPONENT, FRAGMENT = range(1, 8)
_UPPERHEX = b"0123456789ABCDEF"
_HEX = frozenset(b"0123456789abcdefABCDEF")


class URLError(Exception):
    """A net/url error; str() is Go's err.Error()."""


def _should_escape(c: int, mode: int) -> bool:
    if 0x61 <= c <= 0x7A or 0x41 <= c <= 0x5A or 0x30 <= c <= 0x39:
        return False
    if mode in (HOST, ZONE) and c in b"!$&'()*+,;=:[]<>\"":
        return False
    if c in b"-_.~":
        return False
    if c in b"$&+,/:;=?@":
        if mode == PATH:
            return c == ord("?")
        if mode == PATH_SEGMENT:
            return c in b"/;,?"
        if mode == USER_PASSWORD:
            return c in b"@/?:"
        if mode == QUERY_COMPONENT:
            return True
        if mode == FRAGMENT:
            return False
    if mode == FRAGMENT and c in b"!()*":
        return False
    return True


def _unhex(c: int) -> int:
    return int(chr(c), 16)


def _escape_error(s: bytes) -> URLError:
    return URLError("invalid URL escape " + quote(go_string(s)))


def _unescape(s: bytes, mode: int) -> bytes:
    n = 0
    has_plus = False
    i = 0
    while i < len(s):
        c = s[i]
        if c == 0x25:  # %
            n += 1
            if i + 2 >= len(s) or s[i + 1] not in _HEX or s[i + 2] not in _HEX:
                raise _escape_error(s[i : i + 3])
            if mode == HOST and _unhex(s[i + 1]) < 8 and s[i : i + 3] != b"%25":
                raise _escape_error(s[i : i + 3])
            if mode == ZONE:
                v = _unhex(s[i + 1]) << 4 | _unhex(s[i + 2])
                if s[i : i + 3] != b"%25" and v != 0x20 and _should_escape(v, HOST):
                    raise _escape_error(s[i : i + 3])
            i += 3
        elif c == 0x2B:  # +
            has_plus = mode == QUERY_COMPONENT
            i += 1
        else:
            if mode in (HOST, ZONE) and c < 0x80 and _should_escape(c, mode):
                raise URLError("invalid character " + quote(go_string(s[i : i + 1])) + " in host name")
            i += 1
    if n == 0 and not has_plus:
        return s
    out = bytearray()
    i = 0
    while i < len(s):
        c = s[i]
        if c == 0x25:
            out.append(_unhex(s[i + 1]) << 4 | _unhex(s[i + 2]))
            i += 3
            continue
        out.append(0x20 if c == 0x2B and mode == QUERY_COMPONENT else c)
        i += 1
    return bytes(out)


def _escape(s: bytes, mode: int) -> bytes:
    out = bytearray()
    for c in s:
        if c == 0x20 and mode == QUERY_COMPONENT:
            out.append(0x2B)
        elif _should_escape(c, mode):
            out += b"%" + _UPPERHEX[c >> 4 : (c >> 4) + 1] + _UPPERHEX[c & 15 : (c & 15) + 1]
        else:
            out.append(c)
    return bytes(out)


def _valid_encoded(s: bytes, mode: int) -> bool:
    for c in s:
        if c in b"!$&'()*+,;=:@[]%":
            continue
        if _should_escape(c, mode):
            return False
    return True


def _valid_optional_port(port: bytes) -> bool:
    if port == b"":
        return True
    if port[:1] != b":":
        return False
    return all(0x30 <= b <= 0x39 for b in port[1:])


def _valid_userinfo(s: bytes) -> bool:
    # Go ranges over runes: any non-ASCII rune is invalid, as is any other byte.
    return all(chr(c).isascii() and (chr(c).isalnum() or c in b"-._:~!$&'()*+,;=%@") for c in s)


@dataclass
class Userinfo:
    username: bytes
    password: bytes = b""
    password_set: bool = False

    def string(self) -> bytes:
        s = _escape(self.username, USER_PASSWORD)
        if self.password_set:
            s += b":" + _escape(self.password, USER_PASSWORD)
        return s


@dataclass
class URL:
    """net/url.URL, fields as bytes."""

    scheme: bytes = b""
    opaque: bytes = b""
    user: Userinfo | None = None
    host: bytes = b""
    path: bytes = b""
    raw_path: bytes = b""
    force_query: bool = False
    raw_query: bytes = b""
    fragment: bytes = b""
    raw_fragment: bytes = b""

    def set_path(self, p: bytes) -> None:
        self.path = _unescape(p, PATH)
        self.raw_path = b"" if _escape(self.path, PATH) == p else p

    def set_fragment(self, f: bytes) -> None:
        self.fragment = _unescape(f, FRAGMENT)
        self.raw_fragment = b"" if _escape(self.fragment, FRAGMENT) == f else f

    def escaped_path(self) -> bytes:
        if self.raw_path and _valid_encoded(self.raw_path, PATH):
            try:
                if _unescape(self.raw_path, PATH) == self.path:
                    return self.raw_path
            except URLError:
                pass
        if self.path == b"*":
            return b"*"
        return _escape(self.path, PATH)

    def escaped_fragment(self) -> bytes:
        if self.raw_fragment and _valid_encoded(self.raw_fragment, FRAGMENT):
            try:
                if _unescape(self.raw_fragment, FRAGMENT) == self.fragment:
                    return self.raw_fragment
            except URLError:
                pass
        return _escape(self.fragment, FRAGMENT)

    def hostname(self) -> bytes:
        host = self.host
        colon = host.rfind(b":")
        if colon != -1 and _valid_optional_port(host[colon:]):
            host = host[:colon]
        if host.startswith(b"[") and host.endswith(b"]"):
            host = host[1:-1]
        return host

    def string(self) -> bytes:
        buf = bytearray()
        if self.scheme:
            buf += self.scheme + b":"
        if self.opaque:
            buf += self.opaque
        else:
            if self.scheme or self.host or self.user is not None:
                if self.host or self.path or self.user is not None:
                    buf += b"//"
                if self.user is not None:
                    buf += self.user.string() + b"@"
                if self.host:
                    buf += _escape(self.host, HOST)
            path = self.escaped_path()
            if path and path[:1] != b"/" and self.host:
                buf += b"/"
            if not buf and b":" in path.partition(b"/")[0]:
                buf += b"./"  # RFC 3986 4.2: a colon in the first segment needs "./"
            buf += path
        if self.force_query or self.raw_query:
            buf += b"?" + self.raw_query
        if self.fragment:
            buf += b"#" + self.escaped_fragment()
        return bytes(buf)


def _get_scheme(raw: bytes) -> tuple[bytes, bytes]:
    for i, c in enumerate(raw):
        if 0x61 <= c <= 0x7A or 0x41 <= c <= 0x5A:
            continue
        if 0x30 <= c <= 0x39 or c in b"+-.":
            if i == 0:
                return b"", raw
            continue
        if c == 0x3A:
            if i == 0:
                raise URLError("missing protocol scheme")
            return raw[:i], raw[i + 1 :]
        return b"", raw
    return b"", raw


def _parse_host(host: bytes) -> bytes:
    if host.startswith(b"["):
        i = host.rfind(b"]")
        if i < 0:
            raise URLError("missing ']' in host")
        colon_port = host[i + 1 :]
        if not _valid_optional_port(colon_port):
            raise URLError(f"invalid port {quote(go_string(colon_port))} after host")
        zone = host[:i].find(b"%25")
        if zone >= 0:
            return _unescape(host[:zone], HOST) + _unescape(host[zone:i], ZONE) + _unescape(host[i:], HOST)
    else:
        i = host.rfind(b":")
        if i != -1:
            colon_port = host[i:]
            if not _valid_optional_port(colon_port):
                raise URLError(f"invalid port {quote(go_string(colon_port))} after host")
    return _unescape(host, HOST)


def _parse_authority(authority: bytes) -> tuple[Userinfo | None, bytes]:
    i = authority.rfind(b"@")
    host = _parse_host(authority if i < 0 else authority[i + 1 :])
    if i < 0:
        return None, host
    userinfo = authority[:i]
    if not _valid_userinfo(userinfo):
        raise URLError("net/url: invalid userinfo")
    if b":" not in userinfo:
        return Userinfo(_unescape(userinfo, USER_PASSWORD)), host
    username, _, password = userinfo.partition(b":")
    return Userinfo(_unescape(username, USER_PASSWORD), _unescape(password, USER_PASSWORD), True), host


def _parse(raw: bytes) -> URL:
    if any(b < 0x20 or b == 0x7F for b in raw):
        raise URLError("net/url: invalid control character in URL")
    url = URL()
    if raw == b"*":
        url.path = b"*"
        return url
    scheme, rest = _get_scheme(raw)
    url.scheme = scheme.lower()
    if rest.endswith(b"?") and rest.count(b"?") == 1:
        url.force_query = True
        rest = rest[:-1]
    else:
        rest, _, url.raw_query = rest.partition(b"?")
    if not rest.startswith(b"/"):
        if url.scheme:
            url.opaque = rest  # rootless paths are opaque
            return url
        if b":" in rest.partition(b"/")[0]:
            raise URLError("first path segment in URL cannot contain colon")
    if (url.scheme or not rest.startswith(b"///")) and rest.startswith(b"//"):
        authority, rest = rest[2:], b""
        slash = authority.find(b"/")
        if slash >= 0:
            authority, rest = authority[:slash], authority[slash:]
        url.user, url.host = _parse_authority(authority)
    url.set_path(rest)
    return url


def parse_url(raw: str) -> URL:
    """url.Parse; raises URLError with Go's `parse "RAW": REASON` message."""
    b = go_bytes(raw)
    u, _, frag = b.partition(b"#")
    try:
        url = _parse(u)
    except URLError as e:
        raise URLError(f"parse {quote(go_string(u))}: {e}") from None
    if not frag:
        return url
    try:
        url.set_fragment(frag)
    except URLError as e:
        raise URLError(f"parse {quote(raw)}: {e}") from None
    return url


@gofunc(STRING, result=MAP)
def urlParse(v: str) -> dict[str, Any]:
    try:
        url = parse_url(v)
    except URLError as e:
        raise GoPanic(f"unable to parse url: {e}") from None
    return {
        "scheme": go_string(url.scheme),
        "host": go_string(url.host),
        "hostname": go_string(url.hostname()),
        "path": go_string(url.path),
        "query": go_string(url.raw_query),
        "opaque": go_string(url.opaque),
        "fragment": go_string(url.fragment),
        "userinfo": go_string(url.user.string()) if url.user is not None else "",
    }


def _dict_get_or_empty(d: dict[str, Any], key: str) -> bytes:
    if key not in d:
        return b""
    value = d[key]
    if value is None:
        # reflect.TypeOf(nil).Kind() dereferences a nil Type.
        raise GoPanic("runtime error: invalid memory address or nil pointer dereference")
    if not isinstance(value, str):
        raise GoPanic(f"unable to parse {key} key, must be of type string, but {go_kind(value)} found")
    return go_bytes(value)


@gofunc(MAP, result=STRING)
def urlJoin(d: dict[str, Any]) -> str:
    url = URL(
        scheme=_dict_get_or_empty(d, "scheme"),
        host=_dict_get_or_empty(d, "host"),
        path=_dict_get_or_empty(d, "path"),
        raw_query=_dict_get_or_empty(d, "query"),
        opaque=_dict_get_or_empty(d, "opaque"),
        fragment=_dict_get_or_empty(d, "fragment"),
    )
    userinfo = _dict_get_or_empty(d, "userinfo")
    if userinfo:
        try:
            url.user = parse_url(go_string(b"proto://" + userinfo + b"@host")).user
        except URLError as e:
            raise GoPanic(f"unable to parse userinfo in dict: {e}") from None
    return go_string(url.string())


FUNCS: dict[str, Callable[..., Any]] = {"urlParse": urlParse, "urlJoin": urlJoin}
