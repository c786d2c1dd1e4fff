"""Which view the projector and team laptops show for the current agenda item (data in handouts/screens.toml)."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from pydantic import model_validator

from okrcoach.content import loader as content
from okrcoach.content.loader import Known, Text, one_of
from okrcoach.content.vocabulary import ITEM_KINDS, NAMED_VIEWS

SCREENS_FILE = content.HANDOUTS_DIR / "screens.toml"
PROJECTOR_VIEWS = ("prompts", "exercise", "board", "presenter", "tally", "alignment", "break", "candidates",
                   "leadership")
TEAM_VIEWS = ("draft", "exercise", "drafting", "presenter", "ballot", "requests", "break", "candidates")
FOLLOW = ""


@dataclass(frozen=True)
class Screens(Known):
    """The views for one moment of the workshop."""

    projector: Annotated[str, one_of(PROJECTOR_VIEWS)]
    team: Annotated[str, one_of(TEAM_VIEWS)]


@dataclass(frozen=True)
class ScreenMap(Known):
    """Item kind → views, the views an item may name instead, and the views the projector may be pinned to."""

    kinds: dict[Annotated[str, one_of(ITEM_KINDS)], Screens] = field(default_factory=dict)
    views: dict[Annotated[str, one_of(NAMED_VIEWS)], Screens] = field(default_factory=dict)
    pins: dict[Annotated[str, one_of(PROJECTOR_VIEWS)], Text] = field(default_factory=dict)

    @model_validator(mode="after")
    def _every_kind_and_view_is_there(self):
        missing = [kind for kind in ITEM_KINDS if kind not in self.kinds]
        if missing:
            raise ValueError(f"[kinds] has no entry for {', '.join(missing)}")
        missing = [view for view in NAMED_VIEWS if view not in self.views]
        if missing:
            raise ValueError(f"[views] has no entry for {', '.join(missing)}")
        return self

    def for_item(self, kind: str | None, pin: str = FOLLOW, view: str = "") -> Screens:
        """The views for an item (the view it names, else its kind's; no run: prompts and the drafting form),
        with the projector pin applied."""
        screens = self.views.get(view) or self.kinds.get(view) or self.kinds.get(kind, Screens("prompts", "drafting"))
        return Screens(pin, screens.team) if pin in self.pins else screens


def load(path: Path = SCREENS_FILE) -> ScreenMap:
    """The mapping from the data file; InputError names the file and the field that is wrong."""
    return content.load(path, ScreenMap)
