"""Start-up tunes the garbage collector for a server: what exists is frozen, and the young
generation is collected less often than Python's default."""

from __future__ import annotations

import gc

from portal.__main__ import GC_YOUNG_THRESHOLD, freeze_startup_objects


def test_startup_freezes_what_exists_and_collects_young_objects_less_often() -> None:
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        freeze_startup_objects()
        assert gc.get_threshold() == (GC_YOUNG_THRESHOLD, 10, 10)
        assert gc.get_freeze_count() > 0
    finally:
        gc.set_threshold(*before)


def test_a_higher_threshold_already_set_is_kept() -> None:
    before = gc.get_threshold()
    try:
        gc.set_threshold(GC_YOUNG_THRESHOLD * 2, 10, 10)
        freeze_startup_objects()
        assert gc.get_threshold()[0] == GC_YOUNG_THRESHOLD * 2
    finally:
        gc.set_threshold(*before)
