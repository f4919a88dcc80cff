"""Owns the software WebAuthn authenticator that tests use in place of a browser plus passkey.

`SoftAuthenticator` plays both halves of the client side of a ceremony: the browser
(it builds clientDataJSON and the JSON the page would POST) and a platform authenticator
(ES256 / P-256 keys, "none" attestation, user verification). Its output is exactly the
RegistrationResponseJSON / AuthenticationResponseJSON shape that py_webauthn parses, so tests
can feed it through Flask's test client without a real browser.

Keyword overrides on `create()` / `get()` produce deliberately broken responses (wrong origin,
wrong RP ID hash, UV bit cleared, bad signature, replayed challenge) for negative tests.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
from dataclasses import dataclass, field

import cbor2
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

__all__ = ["SoftAuthenticator", "SoftCredential", "NoMatchingCredentialError", "CredentialExcludedError"]

# authenticatorData flag bits (WebAuthn L2 section 6.1).
FLAG_UP = 0x01
FLAG_UV = 0x04
FLAG_AT = 0x40

# COSE identifiers for an EC2 P-256 key used with ES256 (RFC 9053).
COSE_ALG_ES256 = -7
_COSE_KTY_EC2 = 2
_COSE_CRV_P256 = 1

# Browsers report "none" attestation with an all-zero AAGUID, so the server must cope with it.
AAGUID = bytes(16)


def b64url_encode(data: bytes) -> str:
    """Base64url without padding, the encoding WebAuthn JSON uses for every binary field."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(value: str) -> bytes:
    # Python's decoder insists on padding; excess "=" is ignored, so a constant suffix is safe.
    return base64.urlsafe_b64decode(value + "===")


class NoMatchingCredentialError(LookupError):
    """No stored credential fits the request; a browser would reject with NotAllowedError."""


class CredentialExcludedError(Exception):
    """A stored credential is in excludeCredentials; a browser would reject with InvalidStateError."""


@dataclass
class SoftCredential:
    """One discoverable credential held by the authenticator."""

    credential_id: bytes
    user_handle: bytes
    private_key: ec.EllipticCurvePrivateKey
    rp_id: str
    user_name: str = ""
    sign_count: int = 0
    transports: list[str] = field(default_factory=lambda: ["internal", "hybrid"])

    @property
    def public_key_cose(self) -> bytes:
        """COSE_Key bytes, identical to what the RP stores as credential_public_key."""
        return _cose_public_key(self.private_key.public_key())


def _cose_public_key(public_key: ec.EllipticCurvePublicKey) -> bytes:
    numbers = public_key.public_numbers()
    return cbor2.dumps(
        {
            1: _COSE_KTY_EC2,
            3: COSE_ALG_ES256,
            -1: _COSE_CRV_P256,
            -2: numbers.x.to_bytes(32, "big"),
            -3: numbers.y.to_bytes(32, "big"),
        },
        # Canonical form keeps the encoding stable; py_webauthn re-encodes the key to measure it.
        canonical=True,
    )


def _load_options(options: dict | str) -> dict:
    if isinstance(options, (str, bytes)):
        options = json.loads(options)
    if not isinstance(options, dict):
        raise TypeError("options must be a JSON object or its string form")
    # Accept the navigator.credentials wrapper too, since some front ends send it that way.
    if "publicKey" in options and isinstance(options["publicKey"], dict):
        options = options["publicKey"]
    return options


class SoftAuthenticator:
    """A platform authenticator plus the browser glue around it.

    rp_id and origin are defaults. For each ceremony the RP ID is taken from the explicit
    `rp_id=` override, else from the options (rp.id / rpId), else from the constructor; the
    origin is the `origin=` override or the constructor's value.
    """

    def __init__(self, rp_id: str = "localhost", origin: str = "http://localhost", user_verified: bool = True):
        self.rp_id = rp_id
        self.origin = origin
        self.user_verified = user_verified
        self.credentials: list[SoftCredential] = []

    # Registration

    def create(
        self,
        options: dict | str,
        *,
        origin: str | None = None,
        rp_id: str | None = None,
        user_verified: bool | None = None,
    ) -> dict:
        """Answer navigator.credentials.create() and return the JSON the page would POST."""
        opts = _load_options(options)
        # The real RP ID scopes the stored credential even if rpIdHash is forged below,
        # so a later get() for the genuine RP still finds it.
        scope_rp_id = (opts.get("rp") or {}).get("id") or self.rp_id
        hashed_rp_id = rp_id if rp_id is not None else scope_rp_id

        algs = [p.get("alg") for p in opts.get("pubKeyCredParams") or []]
        if algs and COSE_ALG_ES256 not in algs:
            raise ValueError(f"authenticator only supports ES256 (-7), server offered {algs}")

        excluded = {b64url_decode(c["id"]) for c in opts.get("excludeCredentials") or []}
        for cred in self.credentials:
            if cred.rp_id == scope_rp_id and cred.credential_id in excluded:
                raise CredentialExcludedError("authenticator already holds an excluded credential")

        user = opts["user"]
        credential = SoftCredential(
            credential_id=os.urandom(32),
            user_handle=b64url_decode(user["id"]),
            private_key=ec.generate_private_key(ec.SECP256R1()),
            rp_id=scope_rp_id,
            user_name=user.get("name", ""),
        )

        client_data_json = self._client_data("webauthn.create", opts["challenge"], origin)
        attested = AAGUID + struct.pack(">H", len(credential.credential_id)) + credential.credential_id
        auth_data = self._auth_data(
            hashed_rp_id,
            self._flags(user_verified) | FLAG_AT,
            credential.sign_count,
            attested + credential.public_key_cose,
        )
        attestation_object = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})

        self.credentials.append(credential)

        spki = credential.private_key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        cred_id = b64url_encode(credential.credential_id)
        return {
            "id": cred_id,
            "rawId": cred_id,
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url_encode(client_data_json),
                "attestationObject": b64url_encode(attestation_object),
                "transports": list(credential.transports),
                # Convenience members of L3 toJSON(); servers may ignore them.
                "authenticatorData": b64url_encode(auth_data),
                "publicKey": b64url_encode(spki),
                "publicKeyAlgorithm": COSE_ALG_ES256,
            },
            "clientExtensionResults": {},
            "authenticatorAttachment": "platform",
        }

    # Authentication

    def get(
        self,
        options: dict | str,
        *,
        origin: str | None = None,
        rp_id: str | None = None,
        user_verified: bool | None = None,
        credential_id: bytes | None = None,
        tamper_signature: bool = False,
        challenge_override: str | None = None,
    ) -> dict:
        """Answer navigator.credentials.get() and return the JSON the page would POST."""
        opts = _load_options(options)
        scope_rp_id = opts.get("rpId") or self.rp_id
        hashed_rp_id = rp_id if rp_id is not None else scope_rp_id
        credential = self._select(opts, scope_rp_id, credential_id)

        # Count before signing, so the first assertion reports 1 and beats the stored 0.
        credential.sign_count += 1
        challenge = challenge_override if challenge_override is not None else opts["challenge"]
        client_data_json = self._client_data("webauthn.get", challenge, origin)
        auth_data = self._auth_data(hashed_rp_id, self._flags(user_verified), credential.sign_count)

        client_data_hash = hashlib.sha256(client_data_json).digest()
        signed = auth_data + client_data_hash
        if tamper_signature:
            # Sign slightly different bytes: the signature stays well-formed DER, so the RP
            # fails on verification itself rather than on parsing.
            signed = signed[:-1] + bytes([signed[-1] ^ 0x01])
        signature = credential.private_key.sign(signed, ec.ECDSA(hashes.SHA256()))

        cred_id = b64url_encode(credential.credential_id)
        return {
            "id": cred_id,
            "rawId": cred_id,
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url_encode(client_data_json),
                "authenticatorData": b64url_encode(auth_data),
                "signature": b64url_encode(signature),
                "userHandle": b64url_encode(credential.user_handle),
            },
            "clientExtensionResults": {},
            "authenticatorAttachment": "platform",
        }

    # Internals

    def _select(self, opts: dict, scope_rp_id: str, credential_id: bytes | None) -> SoftCredential:
        if credential_id is not None:
            # An explicit pick bypasses allowCredentials so tests can present an unlisted key.
            for cred in self.credentials:
                if cred.credential_id == credential_id:
                    return cred
            raise NoMatchingCredentialError("no stored credential with that id")

        candidates = [c for c in self.credentials if c.rp_id == scope_rp_id]
        allowed = opts.get("allowCredentials") or []
        if allowed:
            allowed_ids = {b64url_decode(c["id"]) for c in allowed}
            candidates = [c for c in candidates if c.credential_id in allowed_ids]
        if not candidates:
            raise NoMatchingCredentialError(f"no stored credential for rp {scope_rp_id!r} matches the request")
        # Usernameless flow: a browser would show an account picker; the first entry stands in.
        return candidates[0]

    def _flags(self, user_verified: bool | None) -> int:
        uv = self.user_verified if user_verified is None else user_verified
        # User presence is always asserted: a platform authenticator never answers without a gesture.
        return FLAG_UP | (FLAG_UV if uv else 0)

    def _client_data(self, ceremony: str, challenge: str, origin: str | None) -> bytes:
        # Key order and compact separators mirror what Chromium emits.
        return json.dumps(
            {
                "type": ceremony,
                "challenge": challenge,
                "origin": origin if origin is not None else self.origin,
                "crossOrigin": False,
            },
            separators=(",", ":"),
        ).encode("utf-8")

    @staticmethod
    def _auth_data(rp_id: str, flags: int, sign_count: int, attested: bytes = b"") -> bytes:
        rp_id_hash = hashlib.sha256(rp_id.encode("utf-8")).digest()
        return rp_id_hash + bytes([flags]) + struct.pack(">I", sign_count) + attested
