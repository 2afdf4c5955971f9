"""SqliteRepository implements every operation of the charting Repository protocol."""

from __future__ import annotations

import inspect

from dn_bodymap.charting.repository import Repository
from dn_bodymap.store.repository import SqliteRepository


def protocol_methods() -> list[str]:
    return [name for name, value in vars(Repository).items() if callable(value) and not name.startswith("_")]


def test_every_protocol_method_is_implemented_with_the_same_parameters() -> None:
    names = protocol_methods()
    assert len(names) > 30
    for name in names:
        expected = inspect.signature(getattr(Repository, name))
        actual = inspect.signature(getattr(SqliteRepository, name))
        assert list(actual.parameters) == list(expected.parameters), name
        for pname, param in expected.parameters.items():
            assert actual.parameters[pname].kind == param.kind, (name, pname)
            assert actual.parameters[pname].default == param.default, (name, pname)
