"""Sprig crypto functions: deterministic ones byte for byte with Helm, keys/certificates by
structure (they parse, chain, carry Go's extensions), bcrypt hashes verify both ways."""

from __future__ import annotations

import json
import re
from functools import cache

import bcrypt as pybcrypt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from helm_oracle import HAVE_HELM, HelmFailure, helm_render_snippet
from hypothesis import given, settings
from hypothesis import strategies as st

from hooklint.gotemplate.gotypes import GoFuncError, GoPanic
from hooklint.gotemplate.sprig import crypto as C

needs_helm = pytest.mark.skipif(not HAVE_HELM, reason="helm_python not installed")


def _values_json(values: object) -> str:
    """JSON (valid YAML) for values: ASCII escapes, except astral characters, which go-yaml
    only accepts literally (it rejects JSON surrogate-pair escapes)."""
    text = json.dumps(values)
    pair = re.compile(r"\\ud[89ab][0-9a-f]{2}\\ud[c-f][0-9a-f]{2}")
    return pair.sub(lambda m: json.loads('"' + m.group() + '"'), text)


def _helm(template: str, values: dict[str, object] | None = None) -> str:
    out = helm_render_snippet(template, _values_json(values or {}))
    if isinstance(out, HelmFailure):
        return "ERR:" + out.message.split("error calling ", 1)[-1].split(": ", 1)[-1]
    return out


def _ours(fn: object, *args: object) -> str:
    try:
        return str(fn(*args))  # type: ignore[operator]
    except (GoFuncError, GoPanic) as e:
        return "ERR:" + str(e)


@needs_helm
@pytest.mark.parametrize("s", ["", "abc", "héllo", "\x00\x7f", "x" * 1000])
@pytest.mark.parametrize("name", ["sha1sum", "sha256sum", "sha512sum", "adler32sum"])
def test_hashes_like_helm(name: str, s: str) -> None:
    assert C.FUNCS[name](s) == _helm("{{ " + name + " .Values.s }}", {"s": s})


DERIVE = [
    (0, "long", "password", "user", "example.com"),
    (1, "maximum", "p", "u", "s"),
    (4294967295, "pin", "ü", "ä", "ö"),
    (7, "basic", "", "", ""),
    (2, "medium", "x", "y", "z"),
    (3, "short", "x", "y", "z"),
    (1, "nope", "x", "y", "z"),
]


@needs_helm
@pytest.mark.parametrize("args", DERIVE)
def test_derive_password_like_helm(args: tuple[int, str, str, str, str]) -> None:
    template = "{{ derivePassword %d .Values.t .Values.p .Values.u .Values.s }}" % args[0]  # noqa: UP031
    assert C.derivePassword(*args) == _helm(template, dict(zip("tpus", args[1:], strict=True)))


def test_derive_password_is_deterministic() -> None:
    assert C.derivePassword(1, "long", "a", "b", "c") == C.derivePassword(1, "long", "a", "b", "c")


@needs_helm
@pytest.mark.parametrize("password", ["x", "a\x00b", "é" * 36])
def test_bcrypt_hashes_verify_across_implementations(password: str) -> None:
    theirs = _helm("{{ bcrypt .Values.p }}", {"p": password})
    ours = C.bcrypt(password)
    for h in (theirs, ours):
        assert re.fullmatch(r"\$2a\$10\$[./A-Za-z0-9]{53}", h)
        assert pybcrypt.checkpw(password.encode(), h.encode())


def test_bcrypt_and_htpasswd_messages() -> None:
    assert (
        C.bcrypt("a" * 73) == "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
    )
    assert C.htpasswd("a:b", "x") == "invalid username: a:b"
    user, _, h = C.htpasswd("bob", "pw").partition(":")
    assert user == "bob" and pybcrypt.checkpw(b"pw", h.encode())


AES_CIPHERTEXTS = [
    "",
    "!!",
    "QUJD",
    "QUJDREVGR0hJSktMTU5PUA==",
    "QUJDREVGR0hJSktMTU5PUFFSUw==",
    "QUJDREVGR0hJSktMTU5PUEFCQ0RFRkdISUpLTE1OT1A=",
    "kWz6j9H9seAXmqIdzkFJoy1nYdxujyDXFf8xmaGLDLQ=",  # Helm: encryptAES "secretkey" "plaintext"
]


@needs_helm
@pytest.mark.parametrize("crypt", AES_CIPHERTEXTS)
@pytest.mark.parametrize("key", ["", "secretkey", "a" * 40])
def test_decrypt_aes_like_helm(key: str, crypt: str) -> None:
    ours = _ours(C.decryptAES, key, crypt)
    ours = re.sub("[\udc80-\udcff]", "\ufffd", ours)
    assert ours == _helm("{{ decryptAES .Values.k .Values.c }}", {"k": key, "c": crypt})


@needs_helm
@settings(max_examples=10, deadline=None)
@given(key=st.text(max_size=40), plain=st.text(max_size=40))
def test_aes_round_trips_with_helm_both_ways(key: str, plain: str) -> None:
    assert C.decryptAES(key, C.encryptAES(key, plain)) == plain
    assert _helm("{{ decryptAES .Values.k .Values.c }}", {"k": key, "c": C.encryptAES(key, plain)}) == plain
    helm_ct = _helm("{{ encryptAES .Values.k .Values.p }}", {"k": key, "p": plain})
    assert C.decryptAES(key, helm_ct) == plain


def test_rand_bytes() -> None:
    import base64

    assert len(base64.b64decode(C.randBytes(24))) == 24
    assert C.randBytes(0) == ""
    with pytest.raises(GoPanic, match="makeslice: len out of range"):
        C.randBytes(-1)


# --- keys and certificates ---------------------------------------------------------------


@cache
def _key(kind: str) -> str:
    return C.genPrivateKey(kind)


@pytest.mark.parametrize(
    ("kind", "header"),
    [
        ("ecdsa", "EC PRIVATE KEY"),
        ("ed25519", "PRIVATE KEY"),
        ("rsa", "RSA PRIVATE KEY"),
        ("dsa", "DSA PRIVATE KEY"),
    ],
)
def test_private_keys_are_pem_blocks_go_can_read(kind: str, header: str) -> None:
    pem = _key(kind)
    assert pem.startswith(f"-----BEGIN {header}-----\n") and pem.endswith(f"-----END {header}-----\n")
    key = serialization.load_pem_private_key(pem.encode(), None)
    assert C.parse_private_key_pem(pem) is not None
    if kind == "rsa":
        assert key.key_size == 4096  # type: ignore[union-attr]


def test_unknown_key_type() -> None:
    assert C.genPrivateKey("foo") == "Unknown type foo"


def _cert(pem: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem.encode())


def _shape(c: x509.Certificate) -> list[object]:
    return [
        c.subject.rfc4514_string(),
        c.issuer.rfc4514_string(),
        (c.not_valid_after_utc - c.not_valid_before_utc).days,
        c.signature_algorithm_oid.dotted_string,
        [(e.critical, type(e.value).__name__) for e in c.extensions],
    ]


@needs_helm
def test_certificates_have_helms_structure_and_chain() -> None:
    ca = C.genCA("my-ca", 10)
    signed = C.genSignedCert("svc", ["10.0.0.1", "::1"], ["a.b", "c.d"], 5, ca)
    self_signed = C.genSelfSignedCert("self", None, None, 2)
    out = _helm(
        '{{ $ca := genCA "my-ca" 10 }}{{ $c := genSignedCert "svc" (list "10.0.0.1" "::1") (list "a.b" "c.d") 5 $ca }}'
        '{{ $ca.Cert }}{{ $c.Cert }}{{ (genSelfSignedCert "self" nil nil 2).Cert }}'
    )
    theirs = re.findall(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----\n", out, re.S)
    ours = [_cert(ca.cert), _cert(signed.cert), _cert(self_signed.cert)]
    assert [_shape(c) for c in ours] == [_shape(_cert(p)) for p in theirs]
    ours[1].verify_directly_issued_by(ours[0])
    san = ours[1].extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["a.b", "c.d"]


@needs_helm
def test_helm_ca_signs_our_certificate() -> None:
    import base64

    out = _helm('{{ $ca := genCA "helm-ca" 3 }}{{ $ca.Cert | b64enc }} {{ $ca.Key | b64enc }}')
    b64cert, b64key = out.split()
    ca = C.buildCustomCert(b64cert, b64key)
    leaf = C.genSignedCertWithKey("leaf", None, ["x.y"], 3, ca, _key("ecdsa"))
    _cert(leaf.cert).verify_directly_issued_by(_cert(base64.b64decode(b64cert).decode()))
    assert leaf.key == _key("ecdsa")


@pytest.mark.parametrize("kind", ["ecdsa", "ed25519"])
def test_with_key_variants_keep_the_key(kind: str) -> None:
    ca = C.genCAWithKey("ca", 1, _key(kind))
    assert ca.key == _key(kind)
    assert _cert(ca.cert).extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    leaf = C.genSelfSignedCertWithKey("x", ["127.0.0.1"], None, 1, _key(kind))
    assert leaf.key == _key(kind)


@needs_helm
@pytest.mark.parametrize(
    ("template", "thunk"),
    [
        ('{{ genSelfSignedCert "a" (list 1) nil 3 }}', lambda: C.genSelfSignedCert("a", [1], None, 3)),
        (
            '{{ genSelfSignedCert "a" (list "1.2.3.04") nil 3 }}',
            lambda: C.genSelfSignedCert("a", ["1.2.3.04"], None, 3),
        ),
        (
            '{{ genSelfSignedCert "a" (list "fe80::1%eth0") nil 3 }}',
            lambda: C.genSelfSignedCert("a", ["fe80::1%eth0"], None, 3),
        ),
        ('{{ genSelfSignedCert "a" nil (list 1.5) 3 }}', lambda: C.genSelfSignedCert("a", None, [1.5], 3)),
        ('{{ genCAWithKey "a" 3 "x" }}', lambda: C.genCAWithKey("a", 3, "x")),
        ('{{ genCAWithKey "a" 3 .Values.dsa }}', lambda: C.genCAWithKey("a", 3, _key("dsa"))),
        ('{{ buildCustomCert "x" "y" }}', lambda: C.buildCustomCert("x", "y")),
        ('{{ buildCustomCert "eA==" "!" }}', lambda: C.buildCustomCert("eA==", "!")),
        ('{{ buildCustomCert "eA==" "eA==" }}', lambda: C.buildCustomCert("eA==", "eA==")),
    ],
)
def test_certificate_errors_like_helm(template: str, thunk: object) -> None:
    assert _ours(thunk) == _helm(template, {"dsa": _key("dsa")})


def test_certificate_object_as_templates_see_it() -> None:
    ca = C.Certificate("CERT", "KEY")
    assert ca.go_type == "sprig.certificate"
    assert ca.go_field("Cert") == "CERT" and ca.go_field("Key") == "KEY"
    assert ca.go_json() == {"Cert": "CERT", "Key": "KEY"}
    assert ca.go_format() == "{CERT KEY}"


def test_negative_days_give_an_expired_certificate_like_go() -> None:
    c = _cert(C.genSelfSignedCert("old", None, None, -1).cert)
    assert c.not_valid_after_utc < c.not_valid_before_utc


@needs_helm
@pytest.mark.parametrize("cn", ["foo", "a*b", "é", "x&y", "with space:1=2?"])
def test_certificate_common_name_string_type_like_go(cn: str) -> None:
    """Go's asn1 writes the CN as a PrintableString when it can, else as a UTF8String."""
    from cryptography.x509.oid import NameOID as OID

    template = '{{ $ca := genCA "' + cn + '" 365 }}{{ $ca.Cert }}'
    theirs = helm_render_snippet(template)
    assert isinstance(theirs, str)
    ours = C.FUNCS["genCA"](cn, 365).go_field("Cert")
    for pem in (theirs, ours):
        cert = x509.load_pem_x509_certificate(pem.encode())
        assert cert.subject.get_attributes_for_oid(OID.COMMON_NAME)[0]._type.name == (
            "PrintableString" if cn in ("foo", "with space:1=2?") else "UTF8String"
        )
