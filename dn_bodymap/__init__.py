"""dn-bodymap: trigger-point charting and teaching for dry-needling clinicians."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("dn-bodymap")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
