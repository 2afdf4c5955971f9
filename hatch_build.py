"""Builds the optional C speed-up of ``db check`` (dn_bodymap/store/_payloads.c) into the wheel.

The package is whole without it: where no C compiler can build it (a computer without one, an
unusual platform) the build says so in one line and the wheel is the pure-Python one, which runs
the same checks at the Python code's speed (store/audit_batch.py). setuptools compiles it, so the
platform's own compiler and flags are used (MSVC on Windows, the system compiler elsewhere).
An editable install puts the module beside its source, where the package is imported from.
"""

from __future__ import annotations

import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

MODULE = "dn_bodymap.store._payloads"
SOURCE = Path("dn_bodymap/store/_payloads.c")


def compile_module(root: Path, out_dir: Path) -> Path | None:
    """The built module's path, or None (and why, on stderr) when it cannot be built here."""
    try:
        from setuptools import Distribution, Extension
        from setuptools.command.build_ext import build_ext

        extension = Extension(MODULE, [str(root / SOURCE)], optional=False)
        command = build_ext(Distribution({"name": "dn-bodymap-payloads", "ext_modules": [extension]}))
        command.build_lib = str(out_dir)
        command.build_temp = str(out_dir / "temp")
        command.ensure_finalized()
        command.run()
        built = Path(command.get_ext_fullpath(MODULE))
    except Exception as exc:  # any failure to compile means: the pure-Python wheel
        print(f"dn-bodymap: the optional C speed-up of `db check` was not built ({exc})", file=sys.stderr)
        return None
    return built if built.is_file() else None


class CustomBuildHook(BuildHookInterface):
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        root = Path(self.root)
        name = "_payloads" + str(sysconfig.get_config_var("EXT_SUFFIX") or ".so")
        if version == "editable":  # the package is imported from the source tree: build it there
            with tempfile.TemporaryDirectory() as scratch:
                built = compile_module(root, Path(scratch))
                if built is not None:
                    target = root / SOURCE.parent / name
                    target.write_bytes(built.read_bytes())
            return
        self._scratch = tempfile.TemporaryDirectory()
        built = compile_module(root, Path(self._scratch.name))
        if built is None:
            return
        build_data["force_include"][str(built)] = f"{SOURCE.parent.as_posix()}/{name}"
        build_data["pure_python"] = False
        build_data["infer_tag"] = True

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        scratch = getattr(self, "_scratch", None)
        if scratch is not None:
            scratch.cleanup()
