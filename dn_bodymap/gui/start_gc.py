"""Python's cycle collector waits for the first paint (issue #14).

Start-up allocates hundreds of thousands of long-lived objects (modules, classes, Qt enum classes,
the atlas and the records shown), and the collector kept scanning them while they were made: ~135
collections, ~45 ms before the session screen's first paint (13 ms before the patient list's). They
are nearly all kept, so those scans found next to nothing. The collector is paused when the window
starts to be built and resumes in the first turn of the event loop after the first paint (or when
the app ends without one); its first collection then runs after the paint instead of before it.
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    """Pause the collector, unless something else already turned it off (then it stays off)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Resume the collector paused by ``pause``; anything else is left as it is. Safe to repeat."""
    global _paused
    if _paused:
        _paused = False
        gc.enable()


def paused() -> bool:
    return _paused
