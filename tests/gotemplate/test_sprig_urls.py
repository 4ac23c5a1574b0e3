"""urlParse/urlJoin: a port of Go's net/url checked against Helm."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from helm_oracle import HAVE_HELM, HelmFailure, helm_render_snippet

from hooklint.gotemplate.gofmt import format_value
from hooklint.gotemplate.gotypes import GoPanic
from hooklint.gotemplate.sprig.urls import urlJoin, urlParse

needs_helm = pytest.mark.skipif(not HAVE_HELM, reason="helm_python not installed")


def _values_json(values: object) -> str:
    """JSON (valid YAML) for values: ASCII escapes, except astral characters, which go-yaml
    only accepts literally (it rejects JSON surrogate-pair escapes)."""
    text = json.dumps(values)
    pair = re.compile(r"\\ud[89ab][0-9a-f]{2}\\ud[c-f][0-9a-f]{2}")
    return pair.sub(lambda m: json.loads('"' + m.group() + '"'), text)


URLS = [
    "", "http://a.b/c?d=e#f", "https://user:pa%20ss@host.com:8080/p/a%2Fth?q=1&r=2#fr%20ag", "mailto:joe@x.com",
    "//host/p", "///x", "/a b", "a:b", "foo/a:b", "%", "http://[::1]:80/x", "http://[fe80::1%25en0]/",
    "http://h:port/", "http://h%41/", "http://a b/", "x\x01", "*", "http://ü.com/ä?ö#ü", "HTTP://X.com",
    "http://u@h", "http://u:@h", "http://u%zz@h", "http://u ser@h", "http://h/#a#b", "http://h/#%zz",
    "http://h?", "http://h/?a?", "http://[::1", "http://[::1]x/", "ftp://h/%2e", "a?b", "?x", "#",
    "cache_object:foo/bar", ":foo", "1http://x",
]  # fmt: skip

DICTS: list[dict[str, Any]] = [
    {"scheme": "http", "host": "h", "path": "/p q", "query": "a=b c", "fragment": "f g", "userinfo": "u:p@x"},
    {"host": "h", "path": "p"}, {"path": "a:b/c"}, {"scheme": "mailto", "opaque": "x@y"}, {}, {"scheme": 1.0},
    {"userinfo": "us er"}, {"userinfo": "a:b:c"}, {"userinfo": "%zz"}, {"scheme": "http", "path": "x"},
    {"host": "ü", "path": "/ä", "fragment": "!()*'"}, {"path": "*"}, {"userinfo": "u"}, {"scheme": "x", "host": [1.0]},
]  # fmt: skip


def _ours(fn: Any, arg: Any) -> str:
    try:
        return format_value(fn(arg))
    except GoPanic as e:
        return "ERR:" + str(e)


def _helm(template: str, values: dict[str, Any]) -> str:
    out = helm_render_snippet(template, _values_json(values))
    if isinstance(out, HelmFailure):
        return "ERR:" + out.message.split("error calling ", 1)[-1].split(": ", 1)[-1]
    return out


@needs_helm
@pytest.mark.parametrize("url", URLS)
def test_url_parse_like_helm(url: str) -> None:
    assert _ours(urlParse, url) == _helm("{{ urlParse .Values.u }}", {"u": url})


@needs_helm
@pytest.mark.parametrize("d", DICTS, ids=[json.dumps(d) for d in DICTS])
def test_url_join_like_helm(d: dict[str, Any]) -> None:
    assert _ours(urlJoin, d) == _helm("{{ urlJoin .Values.d }}", {"d": d})


@needs_helm
@pytest.mark.parametrize("url", [u for u in URLS if u not in ("%", "x\x01", "http://h:port/", "http://a b/")])
def test_parse_then_join_like_helm(url: str) -> None:
    try:
        parsed = urlParse(url)
    except GoPanic:
        return
    assert _ours(urlJoin, parsed) == _helm("{{ urlParse .Values.u | urlJoin }}", {"u": url})


def test_nil_value_panics_like_go() -> None:
    with pytest.raises(GoPanic, match="nil pointer dereference"):
        urlJoin({"host": None})
