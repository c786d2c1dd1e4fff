"""The server process's one-time set-up: the garbage collector tuned for many sessions, theme settings read once."""

import gc
import importlib
import pkgutil

from streamlit import config

import okrcoach

# A full collection walks every object Python tracks while it holds the GIL, so every session waits for it.
# At 120 sessions one took 200-290 ms every 4-5 s: short-lived script state passing into the oldest generation
# triggers one after every 10 middle-generation collections. Waiting for 100 makes them rare.
FULL_COLLECTION_EVERY = 100
_done = False


def set_up() -> None:
    """Once per server process: load every okrcoach module, set it aside, make full collections rare, keep the theme.

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
    _read_theme_sections_once()


def _read_theme_sections_once() -> None:
    """Keep the theme sections of Streamlit's settings until its config file is parsed again.

    Every run, a clock's tick too, tells the browser the theme: six sections, each found by walking all of
    Streamlit's ~200 settings under a lock (8 % of the server's time at 120 sessions, py-spy). Only a parse of
    the config file changes them (streamlit is pinned in requirements); other sections are read as before.
    """
    read, kept = config.get_options_for_section, {}

    def theme_section(section: str) -> dict:
        if not section.startswith("theme"):
            return read(section)
        if section not in kept:
            kept[section] = read(section)
        return dict(kept[section])

    config.get_options_for_section = theme_section
    config.on_config_parsed(kept.clear, force_connect=True)
