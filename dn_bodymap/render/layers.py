"""Names of the drawable layers of a view and how a user's list of them is read."""

from __future__ import annotations

LAYER_NAMES: tuple[str, ...] = (
    "silhouette",
    "details",
    "regions",
    "superficial",
    "intermediate",
    "deep",
    "hazards",
    "labels",
    "landmarks",
    "sides",
)
ALIASES: dict[str, tuple[str, ...]] = {
    "muscles": ("superficial", "intermediate", "deep"),
    "all": LAYER_NAMES,
    "default": ("silhouette", "details", "superficial", "sides"),
}


def parse_layers(text: str | None) -> frozenset[str]:
    """'muscles,labels' → the layer set; unknown names raise ValueError naming the valid ones."""
    if not text:
        return frozenset(ALIASES["default"])
    chosen: set[str] = {"silhouette"}
    for raw in text.split(","):
        name = raw.strip().lower()
        if not name:
            continue
        if name in ALIASES:
            chosen.update(ALIASES[name])
        elif name in LAYER_NAMES:
            chosen.add(name)
        else:
            valid = ", ".join([*LAYER_NAMES, *ALIASES])
            raise ValueError(f"unknown layer {name!r}; choose from {valid}")
    return frozenset(chosen)
