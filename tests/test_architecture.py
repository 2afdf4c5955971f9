"""The layer rules of DESIGN.md hold: import-linter contracts, and a Qt-free clinical core."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_linter_contracts_hold():
    from importlinter.cli import lint_imports

    assert lint_imports(config_filename=str(ROOT / "pyproject.toml")) == 0


def test_clinical_core_never_loads_qt():
    code = (
        "import sys\n"
        "import dn_bodymap.atlas.loader, dn_bodymap.atlas.locate, dn_bodymap.atlas.validate\n"
        "import dn_bodymap.atlas.trigger_points, dn_bodymap.charting.referral\n"
        "import pkgutil, importlib, dn_bodymap.safety, dn_bodymap.charting, dn_bodymap.store\n"
        "for pkg in (dn_bodymap.safety, dn_bodymap.charting, dn_bodymap.store):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(m.name)\n"
        "from dn_bodymap.atlas.loader import default_atlas\n"
        "default_atlas()\n"
        "bad = sorted(m for m in sys.modules if m.startswith('PySide6'))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_only_gui_uses_widgets():
    """import-linter cannot forbid a sub-module of an external package, so read the imports."""
    import ast

    offenders = []
    for path in (ROOT / "dn_bodymap").rglob("*.py"):
        rel = path.relative_to(ROOT / "dn_bodymap").parts
        if rel[0] in ("gui", "cli"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n.startswith("PySide6.QtWidgets") for n in names):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
