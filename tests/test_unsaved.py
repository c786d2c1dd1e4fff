"""Unsaved typing is kept per laptop until saved or discarded; a laptop's name is kept too."""

from okrcoach.drafting import unsaved
from okrcoach.workshop import laptops


def test_typing_is_kept_per_laptop_and_replaced_then_dropped(store):
    unsaved.keep(store, "lap-a", "objective-3", 2, {"text": "Half a thought", "contributes_to": [4]})
    unsaved.keep(store, "lap-b", "objective-3", 2, {"text": "Another laptop"})
    unsaved.keep(store, "lap-a", "objective-3", 2, {"text": "A whole thought", "contributes_to": [4]})
    kept = unsaved.kept(store, "lap-a")
    assert list(kept) == ["objective-3"]
    assert (kept["objective-3"].base_version, kept["objective-3"].fields) == (
        2, {"text": "A whole thought", "contributes_to": [4]})
    unsaved.drop(store, "lap-a", "objective-3")
    assert unsaved.kept(store, "lap-a") == {}
    assert unsaved.kept(store, "lap-b")["objective-3"].fields == {"text": "Another laptop"}


def test_a_laptops_name_is_kept_cleaned(store):
    assert laptops.name(store, "lap-a") == ""
    assert laptops.set_name(store, "lap-a", "  Nadia\n(Controller) ") == "Nadia (Controller)"
    laptops.set_name(store, "lap-b", "Omar")
    assert (laptops.name(store, "lap-a"), laptops.name(store, "lap-b")) == ("Nadia (Controller)", "Omar")
