"""The phone's UUID and recording time are validated before anything is stored."""
import pytest

from server.sync.forms import ClientEntryForm


@pytest.mark.parametrize("recorded_at", ["0001-01-01T00:00+14:00", "1999-12-31T23:59:00+00:00",
                                         "9999-12-31T23:59:59-14:00", "not a time", "2026-13-01T00:00"])
def test_odd_recording_times_are_field_errors_not_crashes(app, recorded_at):
    with app.test_request_context(method="POST", data={"recorded_at": recorded_at}):
        form = ClientEntryForm(meta={"csrf": False})
        assert not form.validate()
        assert "recorded_at" in form.errors


def test_a_missing_uuid_and_time_are_filled_in_by_the_server(app):
    with app.test_request_context(method="POST", data={}):
        form = ClientEntryForm(meta={"csrf": False})
        assert form.validate()
        assert form.client_uuid and form.recorded_time.tzinfo is not None
