"""Sprig's crypto functions (sprig v3.3.0 crypto.go): hashes, bcrypt/htpasswd, derivePassword,
private keys and X.509 certificates, AES, randBytes.

Keys and certificates are built with `cryptography` the way Go's crypto/x509 builds them
(same templates, extensions, signature algorithms and PEM block types), so charts that parse
the PEM or chain certificates see what they would under Helm. Error texts are Go's.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import hmac
import ipaddress
import os
import re
import secrets
import struct
import warnings
from collections.abc import Callable

import bcrypt as _bcrypt
from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed25519, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from hooklint.gotemplate.gofmt import format_value, go_bytes
from hooklint.gotemplate.gotypes import INT, LIST, STRING, GoFuncError, GoObject, GoPanic, gofunc
from hooklint.gotemplate.sprig.encoding import CorruptInputError, b64decode_go, go_string
from hooklint.gotemplate.sprig.hashes import adler32sum, sha1sum, sha256sum, sha512sum

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

# cryptography deprecates DSA (a warning at every use of its classes); Sprig's genPrivateKey
# "dsa" still makes DSA keys, and Helm's stderr stays empty: so does ours.
warnings.filterwarnings("ignore", category=CryptographyDeprecationWarning, module=r"hooklint\.")

UINT32 = "uint32"
CERTIFICATE = "sprig.certificate"

# encoding/asn1 marshals a string without an explicit type as a PrintableString when every
# character allows it (isPrintable, rejecting '*' and '&'), else as a UTF8String.
_ASN1_PRINTABLE = re.compile(r"[A-Za-z0-9 '()+,\-./:=?]*")


def _common_name(cn: str) -> x509.NameAttribute:
    from cryptography.x509.name import _ASN1Type

    kind = _ASN1Type.PrintableString if _ASN1_PRINTABLE.fullmatch(cn) else _ASN1Type.UTF8String
    return x509.NameAttribute(NameOID.COMMON_NAME, cn, _type=kind)


# --- hashes: in hashes.py (no cryptography import); re-exported for this FUNCS map ---------


# --- passwords -----------------------------------------------------------------------------

_BCRYPT_DEFAULT_COST = 10


def _bcrypt_hash(password: str) -> str:
    data = go_bytes(password)
    if len(data) > 72:
        # golang.org/x/crypto/bcrypt.ErrPasswordTooLong; Sprig returns the message as the value.
        return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
    # Go writes the "$2a$" prefix; the hash function is the same as "$2b$" for <= 72 bytes.
    return _bcrypt.hashpw(data, _bcrypt.gensalt(_BCRYPT_DEFAULT_COST, prefix=b"2a")).decode("ascii")


@gofunc(STRING, result=STRING)
def bcrypt(s: str) -> str:
    return _bcrypt_hash(s)


@gofunc(STRING, STRING, result=STRING)
def htpasswd(username: str, password: str) -> str:
    if ":" in username:
        return f"invalid username: {username}"
    return f"{username}:{_bcrypt_hash(password)}"


# Master Password algorithm (lyndir), as Sprig implements it.
_MASTER_PASSWORD_SEED = b"com.lyndir.masterpassword"
_PASSWORD_TEMPLATES: dict[str, tuple[str, ...]] = {
    "maximum": ("anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"),
    "long": (
        "CvcvnoCvcvCvcv",
        "CvcvCvcvnoCvcv",
        "CvcvCvcvCvcvno",
        "CvccnoCvcvCvcv",
        "CvccCvcvnoCvcv",
        "CvccCvcvCvcvno",
        "CvcvnoCvccCvcv",
        "CvcvCvccnoCvcv",
        "CvcvCvccCvcvno",
        "CvcvnoCvcvCvcc",
        "CvcvCvcvnoCvcc",
        "CvcvCvcvCvccno",
        "CvccnoCvccCvcv",
        "CvccCvccnoCvcv",
        "CvccCvccCvcvno",
        "CvcvnoCvccCvcc",
        "CvcvCvccnoCvcc",
        "CvcvCvccCvccno",
        "CvccnoCvcvCvcc",
        "CvccCvcvnoCvcc",
        "CvccCvcvCvccno",
    ),  # fmt: skip
    "medium": ("CvcnoCvc", "CvcCvcno"),
    "short": ("Cvcn",),
    "basic": ("aaanaaan", "aannaaan", "aaannaaa"),
    "pin": ("nnnn",),
}
_TEMPLATE_CHARACTERS = {
    "V": "AEIOU",
    "C": "BCDFGHJKLMNPQRSTVWXYZ",
    "v": "aeiou",
    "c": "bcdfghjklmnpqrstvwxyz",
    "A": "AEIOUBCDFGHJKLMNPQRSTVWXYZ",
    "a": "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
    "n": "0123456789",
    "o": "@&%?,=[]_:-+*$#!'^~;()/.",
    "x": "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
}


@gofunc(UINT32, STRING, STRING, STRING, STRING, result=STRING)
def derivePassword(counter: int, password_type: str, password: str, user: str, site: str) -> str:
    templates = _PASSWORD_TEMPLATES.get(password_type)
    if templates is None:
        return f"cannot find password template {password_type}"
    user_b, site_b = go_bytes(user), go_bytes(site)
    salt = _MASTER_PASSWORD_SEED + struct.pack(">I", len(user_b) & 0xFFFFFFFF) + user_b
    key = hashlib.scrypt(go_bytes(password), salt=salt, n=32768, r=8, p=2, dklen=64, maxmem=1 << 28)
    message = (
        _MASTER_PASSWORD_SEED
        + struct.pack(">I", len(site_b) & 0xFFFFFFFF)
        + site_b
        + struct.pack(">I", counter & 0xFFFFFFFF)
    )
    seed = hmac.new(key, message, hashlib.sha256).digest()
    template = templates[seed[0] % len(templates)]
    out = []
    for i, element in enumerate(template):
        chars = _TEMPLATE_CHARACTERS[element]
        out.append(chars[seed[i + 1] % len(chars)])
    return "".join(out)


# --- private keys --------------------------------------------------------------------------

PrivateKey = rsa.RSAPrivateKey | dsa.DSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey


def pem_for_key(key: PrivateKey) -> str:
    """Sprig's pemBlockForKey: PKCS#1 for RSA, SEC 1 for EC, OpenSSL's DSA layout, PKCS#8 else."""
    if isinstance(key, (rsa.RSAPrivateKey, dsa.DSAPrivateKey, ec.EllipticCurvePrivateKey)):
        fmt = serialization.PrivateFormat.TraditionalOpenSSL
    else:
        fmt = serialization.PrivateFormat.PKCS8
    return key.private_bytes(serialization.Encoding.PEM, fmt, serialization.NoEncryption()).decode("ascii")


@gofunc(STRING, result=STRING)
def genPrivateKey(typ: str) -> str:
    key: PrivateKey
    if typ in ("", "rsa"):
        key = rsa.generate_private_key(public_exponent=65537, key_size=4096)
    elif typ == "dsa":
        key = dsa.generate_private_key(key_size=2048)  # L2048N256 like Go's dsa.L2048N256
    elif typ == "ecdsa":
        key = ec.generate_private_key(ec.SECP256R1())
    elif typ == "ed25519":
        key = ed25519.Ed25519PrivateKey.generate()
    else:
        return "Unknown type " + typ
    return pem_for_key(key)


_PEM_BLOCK = re.compile(rb"(?:^|\n)-----BEGIN ([^\n]*)-----[ \t]*\r?\n(.*?)\n-----END \1-----", re.S)


def _pem_decode(data: bytes) -> tuple[str, bytes] | None:
    """encoding/pem.Decode, simplified: the first block whose body is valid base64
    (header lines `Key: value` are skipped)."""
    for m in _PEM_BLOCK.finditer(data):
        lines = m.group(2).split(b"\n")
        while lines and b":" in lines[0]:
            lines.pop(0)
        body = b"".join(line.strip(b" \t\r") for line in lines)
        try:
            return m.group(1).decode("utf-8", "surrogateescape"), base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            continue
    return None


# What Go's parser for each PEM block type accepts, and what it says when handed another format.
_WRONG_FORMAT = {
    "RSA": "x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key format)",
    "EC": "x509: failed to parse EC private key (use ParsePKCS8PrivateKey instead for this key format)",
}


def parse_private_key_pem(text: str) -> PrivateKey:
    """Sprig's parsePrivateKeyPEM; raises GoFuncError with Sprig's message."""
    block = _pem_decode(go_bytes(text))
    if block is None:
        raise GoFuncError("no PEM data in input")
    typ, der = block
    if typ == "PRIVATE KEY":
        try:
            key = serialization.load_der_private_key(der, password=None)
        except (ValueError, TypeError, UnsupportedAlgorithm) as e:
            raise GoFuncError(f"decoding PEM as PKCS#8: x509: failed to parse private key: {e}") from None
        return _supported(key)
    if not typ.endswith(" PRIVATE KEY"):
        raise GoFuncError(f"no private key data in PEM block of type {typ}")
    kind = typ[: -len(" PRIVATE KEY")]
    expected: dict[str, type] = {
        "RSA": rsa.RSAPrivateKey,
        "EC": ec.EllipticCurvePrivateKey,
        "DSA": dsa.DSAPrivateKey,
    }
    if kind not in expected:
        raise GoFuncError(f"invalid private key type {typ}")
    what = {"RSA": "RSA private key", "EC": "EC private key", "DSA": "DSA private key"}[kind]
    try:
        with warnings.catch_warnings():  # loading a DSA key warns too (see the DSA names above)
            warnings.simplefilter("ignore")
            key = serialization.load_der_private_key(der, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise GoFuncError(f"parsing {what} from PEM: asn1: structure error") from None
    if not isinstance(key, expected[kind]) or _is_pkcs8(der):
        raise GoFuncError(f"parsing {what} from PEM: {_WRONG_FORMAT.get(kind, 'asn1: structure error')}")
    return _supported(key)


def _is_pkcs8(der: bytes) -> bool:
    # PKCS#8 PrivateKeyInfo is SEQUENCE { INTEGER 0, SEQUENCE {algorithm...}, ...}: the
    # second element is a SEQUENCE, where PKCS#1 / SEC 1 / DSA have an INTEGER or OCTET STRING.
    try:
        i = 2 if der[1] < 0x80 else 2 + (der[1] & 0x7F)
        i += 2 + der[i + 1]  # skip the version INTEGER (short form)
        return der[i] == 0x30
    except IndexError:
        return False


def _supported(key: Any) -> PrivateKey:
    if isinstance(
        key, (rsa.RSAPrivateKey, dsa.DSAPrivateKey, ec.EllipticCurvePrivateKey, ed25519.Ed25519PrivateKey)
    ):
        return key
    raise GoFuncError(
        "decoding PEM as PKCS#8: x509: PKCS#8 wrapping contained private key with unknown algorithm"
    )


# --- certificates --------------------------------------------------------------------------


class Certificate(GoObject):
    """Sprig's `certificate` struct {Cert, Key string}."""

    go_type = CERTIFICATE
    go_kind = "struct"

    def __init__(self, cert: str = "", key: str = "") -> None:
        self.cert = cert
        self.key = key

    def go_field(self, name: str) -> Any:
        if name == "Cert":
            return self.cert
        if name == "Key":
            return self.key
        raise KeyError(name)

    def go_json(self) -> Any:
        return {"Cert": self.cert, "Key": self.key}

    def go_format(self) -> str:
        return "{" + self.cert + " " + self.key + "}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Certificate) and (self.cert, self.key) == (other.cert, other.key)

    def __hash__(self) -> int:
        return hash((self.cert, self.key))


def _net_ips(ips: list[Any] | None) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    out: list[ipaddress.IPv4Address | ipaddress.IPv6Address] = []
    for ip in ips or []:
        if not isinstance(ip, str):
            raise GoFuncError(f"error parsing ip: {format_value(ip)} is not a string")
        parsed = _parse_ip(ip)
        if parsed is None:
            raise GoFuncError(f"error parsing ip: {ip}")
        out.append(parsed)
    return out


def _parse_ip(s: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """net.ParseIP (no zones); IPv4-mapped IPv6 addresses are IPv4 in certificates (To4)."""
    if "%" in s or not s.isascii():
        return None
    try:
        ip = ipaddress.ip_address(s)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def _dns_names(names: list[Any] | None) -> list[str]:
    out = []
    for name in names or []:
        if not isinstance(name, str):
            raise GoFuncError(f"error processing alternate dns name: {format_value(name)} is not a string")
        out.append(name)
    return out


def _public_key(key: PrivateKey) -> Any:
    return key.public_key()


def _same_public_key(a: Any, b: Any) -> bool:
    fmt = serialization.PublicFormat.SubjectPublicKeyInfo
    try:
        return bool(
            a.public_bytes(serialization.Encoding.DER, fmt) == b.public_bytes(serialization.Encoding.DER, fmt)
        )
    except (ValueError, TypeError):
        return False


def _create_certificate(
    cn: str,
    ips: list[Any] | None,
    dns: list[Any] | None,
    days_valid: int,
    signee: PrivateKey,
    parent: x509.Certificate | None,
    signer: PrivateKey,
    is_ca: bool = False,
) -> Certificate:
    """getBaseCertTemplate + getCertAndKey + x509.CreateCertificate. `parent` None: self-signed."""
    ip_list = _net_ips(ips)
    dns_list = _dns_names(dns)
    if isinstance(signer, dsa.DSAPrivateKey):
        raise GoFuncError(
            "error creating certificate: x509: certificate private key does not implement crypto.Signer"
        )
    if parent is not None and not _same_public_key(parent.public_key(), signer.public_key()):
        raise GoFuncError(
            "error creating certificate: x509: provided PrivateKey doesn't match parent's PublicKey"
        )
    public = _public_key(signee)
    if isinstance(public, dsa.DSAPublicKey):
        raise GoFuncError("error creating certificate: x509: unsupported public key type: *dsa.PublicKey")

    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    subject = x509.Name([_common_name(cn)]) if cn else x509.Name([])
    issuer = parent.subject if parent is not None else subject
    key_usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=True,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=is_ca,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    # Extensions in Go's buildCertExtensions order.
    extensions = [
        x509.Extension(key_usage.oid, True, key_usage),
        _ext(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]), False
        ),
        _ext(x509.BasicConstraints(ca=is_ca, path_length=None), True),
    ]
    if is_ca:  # Go derives a SubjectKeyId for CA templates that lack one
        extensions.append(_ext(x509.SubjectKeyIdentifier.from_public_key(public), False))
    if parent is not None and parent.subject != subject:
        try:
            skid = parent.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
            extensions.append(_ext(x509.AuthorityKeyIdentifier(skid.digest, None, None), False))
        except x509.ExtensionNotFound:
            pass
    if ip_list or dns_list:
        general: list[x509.GeneralName] = [x509.DNSName(d) for d in dns_list]
        general += [x509.IPAddress(ip) for ip in ip_list]
        # Go marks the SAN extension critical when the subject is empty (RFC 5280 4.2.1.6).
        extensions.append(_ext(x509.SubjectAlternativeName(general), not cn))
    # The constructor (not the fluent setters) so that a negative daysValid, which Go accepts,
    # yields a certificate that expires before it starts instead of a ValueError.
    builder = x509.CertificateBuilder(
        issuer_name=issuer,
        subject_name=subject,
        public_key=public,
        serial_number=secrets.randbelow(1 << 128) or 1,
        not_valid_before=now,
        not_valid_after=now + datetime.timedelta(days=days_valid),
        extensions=extensions,
    )
    algorithm = None if isinstance(signer, ed25519.Ed25519PrivateKey) else _hash_for(signer)
    try:
        cert = builder.sign(signer, algorithm)  # type: ignore[arg-type]
    except (ValueError, TypeError, OverflowError) as e:
        raise GoFuncError(f"error creating certificate: {e}") from None
    pem = cert.public_bytes(serialization.Encoding.PEM).decode("ascii")
    return Certificate(pem, pem_for_key(signee))


def _ext(value: x509.ExtensionType, critical: bool) -> x509.Extension[x509.ExtensionType]:
    return x509.Extension(value.oid, critical, value)


def _hash_for(key: PrivateKey) -> hashes.HashAlgorithm:
    # Go's signingParamsForKey: SHA-256 for RSA, by curve size for ECDSA.
    if isinstance(key, ec.EllipticCurvePrivateKey):
        size = key.curve.key_size
        if size > 384:
            return hashes.SHA512()
        if size > 256:
            return hashes.SHA384()
    return hashes.SHA256()


def _rsa2048() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _parse_with_prefix(pem: str) -> PrivateKey:
    try:
        return parse_private_key_pem(pem)
    except GoFuncError as e:
        raise GoFuncError(f"parsing private key: {e}") from None


def _signer(ca: Certificate) -> tuple[x509.Certificate, PrivateKey]:
    block = _pem_decode(go_bytes(ca.cert))
    if block is None:
        raise GoFuncError("unable to decode certificate")
    try:
        parent = x509.load_der_x509_certificate(block[1])
    except ValueError as e:
        raise GoFuncError(f"error parsing certificate: decodedSignerCert.Bytes: {e}") from None
    try:
        key = parse_private_key_pem(ca.key)
    except GoFuncError as e:
        raise GoFuncError(f"error parsing private key: {e}") from None
    return parent, key


@gofunc(STRING, STRING, error=True, result=CERTIFICATE)
def buildCustomCert(b64cert: str, b64key: str) -> Certificate:
    try:
        cert = b64decode_go(go_bytes(b64cert))
    except CorruptInputError:
        raise GoFuncError("unable to decode base64 certificate") from None
    try:
        key = b64decode_go(go_bytes(b64key))
    except CorruptInputError:
        raise GoFuncError("unable to decode base64 private key") from None
    block = _pem_decode(cert)
    if block is None:
        raise GoFuncError("unable to decode certificate")
    try:
        x509.load_der_x509_certificate(block[1])
    except ValueError as e:
        raise GoFuncError(f"error parsing certificate: decodedCert.Bytes: {e}") from None
    try:
        parse_private_key_pem(go_string(key))
    except GoFuncError as e:
        raise GoFuncError(f"error parsing private key: {e}") from None
    return Certificate(go_string(cert), go_string(key))


@gofunc(STRING, INT, error=True, result=CERTIFICATE)
def genCA(cn: str, days_valid: int) -> Certificate:
    key = _rsa2048()
    return _create_certificate(cn, None, None, days_valid, key, None, key, is_ca=True)


@gofunc(STRING, INT, STRING, error=True, result=CERTIFICATE)
def genCAWithKey(cn: str, days_valid: int, priv_pem: str) -> Certificate:
    key = _parse_with_prefix(priv_pem)
    return _create_certificate(cn, None, None, days_valid, key, None, key, is_ca=True)


@gofunc(STRING, LIST, LIST, INT, error=True, result=CERTIFICATE)
def genSelfSignedCert(cn: str, ips: list[Any] | None, dns: list[Any] | None, days_valid: int) -> Certificate:
    key = _rsa2048()
    return _create_certificate(cn, ips, dns, days_valid, key, None, key)


@gofunc(STRING, LIST, LIST, INT, STRING, error=True, result=CERTIFICATE)
def genSelfSignedCertWithKey(
    cn: str, ips: list[Any] | None, dns: list[Any] | None, days_valid: int, priv_pem: str
) -> Certificate:
    key = _parse_with_prefix(priv_pem)
    return _create_certificate(cn, ips, dns, days_valid, key, None, key)


@gofunc(STRING, LIST, LIST, INT, CERTIFICATE, error=True, result=CERTIFICATE)
def genSignedCert(
    cn: str, ips: list[Any] | None, dns: list[Any] | None, days_valid: int, ca: Certificate
) -> Certificate:
    key = _rsa2048()
    parent, signer = _signer(ca)
    return _create_certificate(cn, ips, dns, days_valid, key, parent, signer)


@gofunc(STRING, LIST, LIST, INT, CERTIFICATE, STRING, error=True, result=CERTIFICATE)
def genSignedCertWithKey(
    cn: str, ips: list[Any] | None, dns: list[Any] | None, days_valid: int, ca: Certificate, priv_pem: str
) -> Certificate:
    key = _parse_with_prefix(priv_pem)
    parent, signer = _signer(ca)
    return _create_certificate(cn, ips, dns, days_valid, key, parent, signer)


# --- AES and random bytes ------------------------------------------------------------------


def _aes_key(password: str) -> bytes:
    # key := make([]byte, 32); copy(key, []byte(password))
    return go_bytes(password)[:32].ljust(32, b"\x00")


@gofunc(STRING, STRING, error=True, result=STRING)
def encryptAES(password: str, plaintext: str) -> str:
    if plaintext == "":
        return ""
    content = go_bytes(plaintext)
    pad = 16 - len(content) % 16
    content += bytes([pad]) * pad
    iv = os.urandom(16)
    encryptor = Cipher(algorithms.AES(_aes_key(password)), modes.CBC(iv)).encryptor()
    return base64.b64encode(iv + encryptor.update(content) + encryptor.finalize()).decode("ascii")


@gofunc(STRING, STRING, error=True, result=STRING)
def decryptAES(password: str, crypt64: str) -> str:
    if crypt64 == "":
        return ""
    try:
        crypt = b64decode_go(go_bytes(crypt64))
    except CorruptInputError as e:
        raise GoFuncError(str(e)) from None
    if len(crypt) < 16:
        raise GoPanic(f"runtime error: slice bounds out of range [:16] with capacity {len(crypt)}")
    iv, body = crypt[:16], crypt[16:]
    if len(body) % 16:
        raise GoPanic("crypto/cipher: input not full blocks")
    if not body:
        raise GoPanic("runtime error: index out of range [-1]")
    decryptor = Cipher(algorithms.AES(_aes_key(password)), modes.CBC(iv)).decryptor()
    decrypted = decryptor.update(body) + decryptor.finalize()
    end = len(decrypted) - decrypted[-1]
    if end < 0:
        raise GoPanic(f"runtime error: slice bounds out of range [:{end}]")
    return go_string(decrypted[:end])


@gofunc(INT, error=True, result=STRING)
def randBytes(count: int) -> str:
    if count < 0:
        raise GoPanic("runtime error: makeslice: len out of range")
    return base64.b64encode(os.urandom(count)).decode("ascii")


FUNCS: dict[str, Callable[..., Any]] = {
    "sha1sum": sha1sum,
    "sha256sum": sha256sum,
    "sha512sum": sha512sum,
    "adler32sum": adler32sum,
    "bcrypt": bcrypt,
    "htpasswd": htpasswd,
    "derivePassword": derivePassword,
    "genPrivateKey": genPrivateKey,
    "buildCustomCert": buildCustomCert,
    "genCA": genCA,
    "genCAWithKey": genCAWithKey,
    "genSelfSignedCert": genSelfSignedCert,
    "genSelfSignedCertWithKey": genSelfSignedCertWithKey,
    "genSignedCert": genSignedCert,
    "genSignedCertWithKey": genSignedCertWithKey,
    "encryptAES": encryptAES,
    "decryptAES": decryptAES,
    "randBytes": randBytes,
}
