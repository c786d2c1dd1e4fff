"""Which view the projector and team laptops show for the current agenda item (data in handouts/screens.toml)."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from pydantic import model_validator

from okrcoach.content import loader as content
from okrcoach.content.loader import Known, Text, one_of
from okrcoach.content.vocabulary import ITEM_KINDS

SCREENS_FILE = content.HANDOUTS_DIR / "screens.toml"
PROJECTOR_VIEWS = ("prompts", "exercise", "board", "presenter", "tally", "alignment", "break")
TEAM_VIEWS = ("draft", "exercise", "drafting", "presenter", "ballot", "requests", "break")
FOLLOW = ""


@dataclass(frozen=True)
class Screens(Known):
    """The views for one moment of the workshop."""

    projector: Annotated[str, one_of(PROJECTOR_VIEWS)]
    team: Annotated[str, one_of(TEAM_VIEWS)]


@dataclass(frozen=True)
class ScreenMap(Known):
    """Item kind → views, and the views the facilitator may pin the projector to."""

    kinds: dict[Annotated[str, one_of(ITEM_KINDS)], Screens] = field(default_factory=dict)
    pins: dict[Annotated[str, one_of(PROJECTOR_VIEWS)], Text] = field(default_factory=dict)

    @model_validator(mode="after")
    def _every_kind_has_views(self):
        missing = [kind for kind in ITEM_KINDS if kind not in self.kinds]
        if missing:
            raise ValueError(f"[kinds] has no entry for {', '.join(missing)}")
        return self

    def for_item(self, kind: str | None, pin: str = FOLLOW) -> Screens:
        """The views for an item kind (no run: prompts and the drafting form), with the projector pin applied."""
        screens = self.kinds.get(kind, Screens("prompts", "drafting"))
        return Screens(pin, screens.team) if pin in self.pins else screens


def load(path: Path = SCREENS_FILE) -> ScreenMap:
    """The mapping from the data file; InputError names the file and the field that is wrong."""
    return content.load(path, ScreenMap)
