"""A tiny synthetic atlas on disk, so engines are tested apart from the real drawing."""

from __future__ import annotations

from pathlib import Path

MINI = {
    "atlas.toml": 'version = "test-1"\n',
    "landmarks/core.toml": """
[frontal]
vertex = [0, 0]
shoulder = [60, 100]
[anterior]
navel = [0, 150]
[posterior]
spine = [0, 120]
[lateral]
ear = [0, 20]
""",
    "silhouette/frontal.toml": """
[[part]]
symmetric = true
poly = [[0, 0], [40, 0, "c"], [40, 60, "c"], [80, 90, "c"], [80, 300, "c"], [0, 300]]
""",
    "silhouette/lateral.toml": """
[[part]]
poly = [[-30, 0], [40, 0], [40, 300], [-30, 300]]
""",
    "muscles/test.toml": """
[[muscle]]
id = "big"
name = "Big muscle"
latin = "Musculus magnus"
group = "trunk_anterior"
layer = "superficial"
[[muscle]]
id = "deep_one"
name = "Deep muscle"
latin = "Musculus profundus"
group = "trunk_anterior"
layer = "deep"
""",
    "shapes/anterior/test.toml": """
[[shape]]
muscle = "big"
poly = [[2, 60], [90, 60], [90, 310], [2, 310]]
fibre_angle = 30
[[shape]]
muscle = "deep_one"
smooth = [[20, 120], [50, 120], [50, 200], [20, 200]]
""",
    "shapes/posterior/test.toml": """
[[shape]]
muscle = "big"
poly = [[2, 60], [90, 60], [90, 310], [2, 310]]
""",
    "shapes/lateral/test.toml": """
[[shape]]
muscle = "big"
poly = [[-40, 60], [50, 60], [50, 310], [-40, 310]]
""",
    "regions/anterior.toml": """
[[region]]
id = "head"
label = "head"
symmetric = true
poly = [[0, -10], [50, -10], [50, 60], [0, 60]]
[[region]]
id = "chest"
label = "chest"
poly = [[0, 60], [100, 60], [100, 200], [0, 200]]
[[region]]
id = "belly"
label = "belly"
poly = [[0, 195], [100, 195], [100, 280], [0, 280]]
""",
    "regions/posterior.toml": """
[[region]]
id = "back"
label = "back"
poly = [[0, -10], [100, -10], [100, 320], [0, 320]]
""",
    "regions/lateral.toml": """
[[region]]
id = "side"
label = "side"
poly = [[-50, -10], [60, -10], [60, 320], [-50, 320]]
""",
}


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
