"""dn-bodymap: trigger-point charting and teaching for dry-needling clinicians."""


def __getattr__(name: str) -> str:
    """``__version__``, read from the installed metadata on first use: importing
    importlib.metadata costs ~50 ms, more than a listing command's own work (issue #14)."""
    if name != "__version__":
        raise AttributeError(f"module 'dn_bodymap' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        value = version("dn-bodymap")
    except PackageNotFoundError:  # running from a source tree that was never installed
        value = "0.0.0+source"
    globals()["__version__"] = value
    return value
