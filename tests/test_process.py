"""The server process's set-up: start-up objects frozen out of collections, full collections made rare."""

import gc

from okrcoach.ui import process


def test_set_up_freezes_what_start_up_loaded_and_makes_full_collections_rare(monkeypatch):
    before = gc.get_threshold()
    monkeypatch.setattr(process, "_done", False)
    try:
        process.set_up()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (before[0], before[1], process.FULL_COLLECTION_EVERY)
        gc.set_threshold(*before)
        process.set_up()  # once per process: a second call changes nothing
        assert gc.get_threshold() == before
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
