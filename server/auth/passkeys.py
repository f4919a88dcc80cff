"""Passkey (WebAuthn) registration and log-in, with challenges kept on the server."""
import secrets
from dataclasses import dataclass

from flask import current_app, request
from sqlalchemy import delete, select
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes
from webauthn.helpers.exceptions import InvalidAuthenticationResponse, InvalidRegistrationResponse
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from server.auth.models import Credential, User, WebAuthnChallenge
from server.db import utcnow
from server.extensions import db


class PasskeyError(Exception):
    """A passkey ceremony failed; the message is safe to show."""


def expected_origins() -> list[str]:
    configured = current_app.config["WEBAUTHN_ORIGIN"]
    origins = [o.strip() for o in configured.split(",") if o.strip()]
    if current_app.config["LEDSAGER_ENV"] != "production":
        # Development and tests run on varying ports of localhost.
        origins.append(request.host_url.rstrip("/"))
    return origins


def _store_challenge(challenge: bytes, purpose: str, user: User | None) -> str:
    db.session.execute(delete(WebAuthnChallenge).where(WebAuthnChallenge.expires_at < utcnow()))
    row = WebAuthnChallenge(
        id=secrets.token_urlsafe(32),
        challenge=challenge,
        purpose=purpose,
        user_id=user.id if user else None,
        expires_at=utcnow() + current_app.config["CHALLENGE_LIFETIME"],
    )
    db.session.add(row)
    db.session.flush()
    return row.id


@dataclass(frozen=True)
class TakenChallenge:
    challenge: bytes
    user_id: int | None


def take_challenge(challenge_id: str | None, purpose: str) -> TakenChallenge:
    """Consume a challenge: it works once, and only before it expires.

    The DELETE is the single-use guard: of two concurrent uses only one deletes the row.
    """
    if not challenge_id:
        raise PasskeyError("no challenge")
    row = db.session.get(WebAuthnChallenge, challenge_id)
    if row is None or row.purpose != purpose:
        raise PasskeyError("unknown challenge")
    taken = TakenChallenge(challenge=row.challenge, user_id=row.user_id)
    fresh = row.expires_at >= utcnow()
    deleted = db.session.execute(delete(WebAuthnChallenge).where(WebAuthnChallenge.id == challenge_id))
    # Committed at once (an exception to one-commit-per-request): a failed verification
    # rolls the request back, and the challenge must stay used all the same.
    db.session.commit()
    if deleted.rowcount != 1 or not fresh:
        raise PasskeyError("expired challenge")
    return taken


def registration_options(user: User) -> tuple[str, str]:
    options = generate_registration_options(
        rp_id=current_app.config["WEBAUTHN_RP_ID"],
        rp_name=current_app.config["WEBAUTHN_RP_NAME"],
        user_id=user.user_handle,
        user_name=user.username,
        user_display_name=user.name,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=[PublicKeyCredentialDescriptor(id=c.credential_id) for c in user.credentials],
    )
    return _store_challenge(options.challenge, "register", user), options_to_json(options)


def finish_registration(user: User, challenge_id: str | None, credential: dict, label: str | None) -> Credential:
    return finish_registration_with(take_challenge(challenge_id, "register"), user, credential, label)


def finish_registration_with(row: TakenChallenge, user: User, credential: dict, label: str | None = None) -> Credential:
    """Verify a registration against an already consumed challenge row."""
    if row.user_id != user.id:
        raise PasskeyError("challenge for another user")
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=row.challenge,
            expected_rp_id=current_app.config["WEBAUTHN_RP_ID"],
            expected_origin=expected_origins(),
            require_user_verification=True,
        )
    except (InvalidRegistrationResponse, ValueError, KeyError, TypeError) as error:
        raise PasskeyError(str(error)) from error
    transports = (credential.get("response") or {}).get("transports") or []
    stored = Credential(
        user=user,
        credential_id=verified.credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=[str(t) for t in transports][:10],
        device_type=str(verified.credential_device_type),
        backed_up=bool(verified.credential_backed_up),
        label=(label or "")[:100] or None,
    )
    db.session.add(stored)
    db.session.flush()
    return stored


def login_options() -> tuple[str, str]:
    # No allow list: usernameless log-in with a discoverable credential.
    options = generate_authentication_options(
        rp_id=current_app.config["WEBAUTHN_RP_ID"],
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    return _store_challenge(options.challenge, "login", None), options_to_json(options)


def finish_login(challenge_id: str | None, credential: dict) -> User:
    row = take_challenge(challenge_id, "login")
    try:
        raw_id = base64url_to_bytes(credential["rawId"])
    except (KeyError, TypeError, ValueError) as error:
        raise PasskeyError("malformed credential") from error
    stored = db.session.scalar(select(Credential).where(Credential.credential_id == raw_id))
    if stored is None or not stored.user.active:
        raise PasskeyError("unknown credential")
    user_handle = credential.get("response", {}).get("userHandle")
    if user_handle and base64url_to_bytes(user_handle) != stored.user.user_handle:
        raise PasskeyError("credential of another user")
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=row.challenge,
            expected_rp_id=current_app.config["WEBAUTHN_RP_ID"],
            expected_origin=expected_origins(),
            credential_public_key=stored.public_key,
            credential_current_sign_count=stored.sign_count,
            require_user_verification=True,
        )
    except (InvalidAuthenticationResponse, ValueError, KeyError, TypeError) as error:
        raise PasskeyError(str(error)) from error
    stored.sign_count = verified.new_sign_count
    stored.last_used_at = utcnow()
    return stored.user


def parse_json_body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise PasskeyError("expected a JSON object")
    return data


