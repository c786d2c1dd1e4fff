"""The server process's set-up: start-up objects frozen out of collections, full collections made rare,
the theme settings read once."""

import gc

from streamlit import config

from okrcoach.ui import process


def test_set_up_freezes_what_start_up_loaded_and_makes_full_collections_rare(monkeypatch):
    monkeypatch.setattr(config, "get_options_for_section", config.get_options_for_section)  # set back after
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


def test_theme_sections_are_read_once_until_the_config_file_is_parsed_again(monkeypatch):
    reads: list[str] = []

    def read(section: str) -> dict:
        reads.append(section)
        return {"primaryColor": "#123456"} if section.startswith("theme") else {"port": 8501}

    monkeypatch.setattr(config, "get_options_for_section", read)
    process._read_theme_sections_once()
    first = config.get_options_for_section("theme")
    first["primaryColor"] = "changed by a caller"
    assert config.get_options_for_section("theme") == {"primaryColor": "#123456"}
    config.get_options_for_section("theme.sidebar")
    config.get_options_for_section("server")
    config.get_options_for_section("server")
    assert reads == ["theme", "theme.sidebar", "server", "server"]  # other sections are read every time
    config._on_config_parsed.send()  # the config file was parsed again
    config.get_options_for_section("theme")
    assert reads[-1] == "theme" and len(reads) == 5
