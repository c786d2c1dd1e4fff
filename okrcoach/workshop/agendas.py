"""Workshop agendas: the TOML templates in agendas/, read by the content loader and checked."""

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import BeforeValidator, model_validator

from okrcoach.content import loader as content
from okrcoach.content.loader import Known, Minutes, NonEmptyText, Text, Texts, one_of
from okrcoach.content.vocabulary import AGENDA_KINDS, ITEM_KINDS, ITEM_VIEWS
from okrcoach.errors import InputError

AGENDAS_DIR = content.AGENDAS_DIR


def _items(value):
    if not isinstance(value, list):
        raise ValueError("must be [[items]] tables")
    if not value:
        raise ValueError("must not be empty: add at least one [[items]] table")
    return value


@dataclass(frozen=True)
class AgendaItem(Known):
    """One block of a workshop: what the room does, for how long, and what is asked."""

    title: NonEmptyText
    minutes: Minutes
    kind: Annotated[str, one_of(ITEM_KINDS)]
    prompts: Texts
    notes: Text
    instructions: Text = ""
    view: Annotated[str, one_of(ITEM_VIEWS)] = ""  # what the screens show; absent: the kind's view

    @property
    def shows(self) -> str:
        """The view this item puts on the screens: the one it names, else its kind's."""
        return self.view or self.kind


@dataclass(frozen=True)
class Agenda(Known):
    """A workshop template from one file in agendas/, items in running order."""

    NOT_IN_FILE = ("slug", "path")

    slug: str
    title: NonEmptyText
    kind: Annotated[str, one_of(AGENDA_KINDS)]
    audience: Text
    minutes: Minutes
    description: Text
    items: Annotated[tuple[AgendaItem, ...], BeforeValidator(_items)]
    path: Path

    @model_validator(mode="after")
    def _minutes_add_up(self):
        planned = sum(item.minutes for item in self.items)
        if self.minutes != planned:
            raise ValueError(f"minutes says {self.minutes} but the items add up to {planned}; make them equal")
        return self


def load_agenda(path: Path | str) -> Agenda:
    """Read one agenda file; a problem raises InputError naming the file, item and field."""
    path = Path(path)
    return content.load(path, Agenda, {"slug": path.stem, "path": path})


def load_agendas(folder: Path | str = AGENDAS_DIR) -> tuple[list[Agenda], list[str]]:
    """Every agenda in a folder by file name, plus one error message per file that failed."""
    folder = Path(folder)
    if not folder.is_dir():
        return [], [f"{folder}: agenda folder not found"]
    agendas, errors = [], []
    for path in sorted(folder.glob("*.toml")):
        try:
            agendas.append(load_agenda(path))
        except InputError as error:
            errors.append(str(error))
    return agendas, errors
