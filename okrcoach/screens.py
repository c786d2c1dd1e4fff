"""Which view the projector and team laptops show for the current agenda item (data in handouts/screens.toml)."""

import tomllib
from dataclasses import dataclass
from pathlib import Path

from okrcoach.agendas import ITEM_KINDS
from okrcoach.errors import InputError

SCREENS_FILE = Path(__file__).resolve().parent.parent / "handouts" / "screens.toml"
PROJECTOR_VIEWS = ("prompts", "exercise", "board", "presenter", "tally", "alignment", "break")
TEAM_VIEWS = ("draft", "exercise", "drafting", "presenter", "ballot", "requests", "break")
FOLLOW = ""


@dataclass(frozen=True)
class Screens:
    """The views for one moment of the workshop."""

    projector: str
    team: str


@dataclass(frozen=True)
class ScreenMap:
    """Item kind → views, and the views the facilitator may pin the projector to."""

    kinds: dict[str, Screens]
    pins: dict[str, str]

    def for_item(self, kind: str | None, pin: str = FOLLOW) -> Screens:
        """The views for an item kind (no run: prompts and the drafting form), with the projector pin applied."""
        screens = self.kinds.get(kind, Screens("prompts", "drafting"))
        return Screens(pin, screens.team) if pin in self.pins else screens


def load(path: Path = SCREENS_FILE) -> ScreenMap:
    """The mapping from the data file; InputError names the file and the field that is wrong."""
    try:
        content = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise InputError(f"{path.name}: cannot be read ({error}).") from error
    kinds = content.get("kinds", {})
    missing = [kind for kind in ITEM_KINDS if kind not in kinds]
    if missing:
        raise InputError(f"{path.name}: [kinds] has no entry for {', '.join(missing)}.")
    mapping = {}
    for kind, views in kinds.items():
        if kind not in ITEM_KINDS:
            raise InputError(f"{path.name}: [kinds.{kind}] is not an agenda item kind.")
        for side, allowed in (("projector", PROJECTOR_VIEWS), ("team", TEAM_VIEWS)):
            if views.get(side) not in allowed:
                raise InputError(f"{path.name}: kinds.{kind}.{side} must be one of {', '.join(allowed)}; "
                                 f"got {views.get(side)!r}.")
        mapping[kind] = Screens(views["projector"], views["team"])
    pins = content.get("pins", {})
    unknown = set(pins) - set(PROJECTOR_VIEWS)
    if unknown or not all(isinstance(label, str) for label in pins.values()):
        raise InputError(f"{path.name}: [pins] names unknown views {', '.join(sorted(unknown))}.")
    return ScreenMap(mapping, pins)
