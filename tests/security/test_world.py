"""The seeded world covers every route: each URL converter maps to a real object."""
import pytest

from tests.security.world import build_world, unmapped_converters


@pytest.fixture
def world(make):
    return build_world()


def test_every_url_converter_of_every_route_is_mapped_to_a_seeded_object(app, world):
    unmapped = unmapped_converters(app, world)
    print(f"world: {len(world.users)} users, 2 full cases; unmapped converters: {sorted(unmapped)}")
    assert unmapped == set()
