"""Every clinical statement's source key resolves to one citation shown in the app."""

from dn_bodymap.atlas.sources import default_sources, read_sources


def test_registries_agree_and_every_entry_has_a_citation():
    sources = read_sources()  # raises if two files give one key different citations
    assert sources
    assert all(s.citation.strip() for s in sources.values())


def test_trigger_point_keys_resolve():
    from dn_bodymap.atlas.trigger_points import default_library

    keys = {k for tp in default_library().instances.values() for k in tp.sources}
    assert keys and keys <= set(default_sources())


def test_hazard_keys_resolve():
    from dn_bodymap.safety.hazards import default_hazards

    hazards = default_hazards()
    keys = set()
    for zone in hazards.zones.values():
        keys |= set(getattr(zone, "sources", ()) or ())
    assert keys and keys <= set(default_sources())
