"""The server process's one-time set-up: the garbage collector tuned for many sessions in one process."""

import gc
import importlib
import pkgutil

import okrcoach

# A full collection walks every object Python tracks while it holds the GIL, so every session waits for it.
# At 120 sessions one took 200-290 ms every 4-5 s: short-lived script state passing into the oldest generation
# triggers one after every 10 middle-generation collections. Waiting for 100 makes them rare.
FULL_COLLECTION_EVERY = 100
_done = False


def set_up() -> None:
    """Once per server process: load every okrcoach module, set what is loaded aside, make full collections rare.

    What start-up loads (Streamlit, pandas, plotly, python-docx: modules, classes, functions) lives as long as
    the process; gc.freeze() takes it out of every later collection's walk. Objects the sessions make are
    collected as before.
    """
    global _done
    if _done:
        return
    _done = True
    for module in pkgutil.walk_packages(okrcoach.__path__, "okrcoach."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    gc.collect()
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTION_EVERY)
