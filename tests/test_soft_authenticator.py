"""Owns the proof that tests/soft_authenticator.py satisfies py_webauthn, with no Flask involved.

If these pass, a failing passkey test elsewhere points at the app, not at the test double.
"""

import json

import pytest
from webauthn import (
    base64url_to_bytes,
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers.exceptions import InvalidAuthenticationResponse, InvalidRegistrationResponse
from webauthn.helpers.structs import (
    AttestationFormat,
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from tests.soft_authenticator import CredentialExcludedError, NoMatchingCredentialError, SoftAuthenticator

RP_ID = "localhost"
ORIGIN = "http://localhost"
USER_ID = b"user-0001"


def registration_options(exclude: list[bytes] | None = None):
    return generate_registration_options(
        rp_id=RP_ID,
        rp_name="Ledsager",
        user_id=USER_ID,
        user_name="anna@example.dk",
        user_display_name="Anna",
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=[PublicKeyCredentialDescriptor(id=i) for i in exclude or []],
    )


def authentication_options(allow: list[bytes] | None = None):
    return generate_authentication_options(
        rp_id=RP_ID,
        allow_credentials=[PublicKeyCredentialDescriptor(id=i) for i in allow] if allow else None,
        user_verification=UserVerificationRequirement.REQUIRED,
    )


def verify_registration(options, response, **kwargs):
    return verify_registration_response(
        credential=response,
        expected_challenge=options.challenge,
        expected_rp_id=RP_ID,
        expected_origin=ORIGIN,
        require_user_verification=True,
        **kwargs,
    )


def verify_authentication(options, response, stored, current_sign_count):
    return verify_authentication_response(
        credential=response,
        expected_challenge=options.challenge,
        expected_rp_id=RP_ID,
        expected_origin=ORIGIN,
        credential_public_key=stored.credential_public_key,
        credential_current_sign_count=current_sign_count,
        require_user_verification=True,
    )


@pytest.fixture
def registered():
    """An authenticator holding one credential, plus what the RP stored for it."""
    auth = SoftAuthenticator()
    options = registration_options()
    stored = verify_registration(options, auth.create(options_to_json(options)))
    return auth, stored


# Registration


def test_registration_verifies_with_user_verification_required():
    auth = SoftAuthenticator(rp_id=RP_ID, origin=ORIGIN)
    options = registration_options()

    response = auth.create(options_to_json(options))
    verified = verify_registration(options, response)

    assert verified.fmt == AttestationFormat.NONE
    assert verified.user_verified is True
    assert verified.sign_count == 0
    [cred] = auth.credentials
    assert verified.credential_id == cred.credential_id
    assert verified.credential_public_key == cred.public_key_cose
    assert cred.user_handle == USER_ID
    assert cred.sign_count == 0


def test_registration_response_has_browser_json_shape():
    auth = SoftAuthenticator()
    response = auth.create(json.loads(options_to_json(registration_options())))

    assert response["type"] == "public-key"
    assert response["id"] == response["rawId"]
    assert "=" not in response["id"]
    assert response["authenticatorAttachment"] == "platform"
    assert response["clientExtensionResults"] == {}
    assert response["response"]["transports"] == ["internal", "hybrid"]
    client_data = json.loads(base64url_to_bytes(response["response"]["clientDataJSON"]))
    assert client_data["type"] == "webauthn.create"
    assert client_data["origin"] == ORIGIN


@pytest.mark.parametrize(
    "override, message",
    [
        ({"origin": "http://evil.example"}, "origin"),
        ({"rp_id": "evil.example"}, "RP ID hash"),
        ({"user_verified": False}, "User verification is required"),
    ],
    ids=["wrong-origin", "wrong-rp-id", "uv-0"],
)
def test_registration_negative_cases_are_rejected(override, message):
    options = registration_options()
    response = SoftAuthenticator().create(options_to_json(options), **override)

    with pytest.raises(InvalidRegistrationResponse, match=message):
        verify_registration(options, response)


def test_registration_with_other_challenge_is_rejected():
    issued, other = registration_options(), registration_options()
    response = SoftAuthenticator().create(options_to_json(issued))

    with pytest.raises(InvalidRegistrationResponse, match="challenge"):
        verify_registration(other, response)


def test_uv_0_registration_is_accepted_when_uv_not_required():
    # Shows the UV=0 rejection above comes from the UV bit alone, with UP still set.
    options = registration_options()
    response = SoftAuthenticator(user_verified=False).create(options_to_json(options))

    verified = verify_registration_response(
        credential=response,
        expected_challenge=options.challenge,
        expected_rp_id=RP_ID,
        expected_origin=ORIGIN,
        require_user_verification=False,
    )
    assert verified.user_verified is False


def test_excluded_credential_refuses_second_registration(registered):
    auth, stored = registered

    with pytest.raises(CredentialExcludedError):
        auth.create(options_to_json(registration_options(exclude=[stored.credential_id])))


# Authentication


def test_authentication_verifies_and_sign_count_advances(registered):
    auth, stored = registered
    sign_count = stored.sign_count

    for expected_count in (1, 2):
        options = authentication_options(allow=[stored.credential_id])
        response = auth.get(options_to_json(options))
        verified = verify_authentication(options, response, stored, sign_count)

        assert verified.user_verified is True
        assert verified.credential_id == stored.credential_id
        assert verified.new_sign_count == expected_count
        sign_count = verified.new_sign_count
    assert auth.credentials[0].sign_count == 2


def test_usernameless_authentication_returns_user_handle(registered):
    auth, stored = registered
    options = authentication_options()

    response = auth.get(json.loads(options_to_json(options)))
    verify_authentication(options, response, stored, stored.sign_count)

    assert base64url_to_bytes(response["response"]["userHandle"]) == USER_ID
    client_data = json.loads(base64url_to_bytes(response["response"]["clientDataJSON"]))
    assert client_data["type"] == "webauthn.get"


def test_get_picks_the_credential_named_in_allow_credentials():
    auth = SoftAuthenticator()
    options_pair = [registration_options(), registration_options()]
    stored = [verify_registration(o, auth.create(options_to_json(o))) for o in options_pair]
    second = stored[1]
    options = authentication_options(allow=[second.credential_id])

    response = auth.get(options_to_json(options))

    assert base64url_to_bytes(response["rawId"]) == second.credential_id
    verify_authentication(options, response, second, 0)


def test_get_without_matching_credential_raises(registered):
    auth, _ = registered

    with pytest.raises(NoMatchingCredentialError):
        auth.get(options_to_json(authentication_options(allow=[b"not-a-stored-id"])))


@pytest.mark.parametrize(
    "override, message",
    [
        ({"origin": "http://evil.example"}, "origin"),
        ({"rp_id": "evil.example"}, "RP ID hash"),
        ({"user_verified": False}, "User verification is required"),
        ({"tamper_signature": True}, "signature"),
    ],
    ids=["wrong-origin", "wrong-rp-id", "uv-0", "bad-signature"],
)
def test_authentication_negative_cases_are_rejected(registered, override, message):
    auth, stored = registered
    options = authentication_options(allow=[stored.credential_id])
    response = auth.get(options_to_json(options), **override)

    with pytest.raises(InvalidAuthenticationResponse, match=message):
        verify_authentication(options, response, stored, stored.sign_count)


def test_reused_challenge_is_rejected(registered):
    # Replays the first ceremony's challenge into a response for a second, fresh ceremony.
    auth, stored = registered
    first = authentication_options(allow=[stored.credential_id])
    verified = verify_authentication(first, auth.get(options_to_json(first)), stored, stored.sign_count)

    second = authentication_options(allow=[stored.credential_id])
    old_challenge = json.loads(options_to_json(first))["challenge"]
    replay = auth.get(options_to_json(second), challenge_override=old_challenge)

    with pytest.raises(InvalidAuthenticationResponse, match="challenge"):
        verify_authentication(second, replay, stored, verified.new_sign_count)
