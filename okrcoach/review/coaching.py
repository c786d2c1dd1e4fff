"""Each team's coaching questions, reviewed again only when that team's page changes."""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from okrcoach.content.rules import Question
from okrcoach.drafting import dependencies, discussions, drafts
from okrcoach.review import checks as review
from okrcoach.review.checks import DraftReview
from okrcoach.storage.store import Store
from okrcoach.workshop.engagements import DeploymentParameters


@dataclass(frozen=True)
class TeamQuestions:
    """A team's questions, which of them were discussed, and how many are still open."""

    review: DraftReview
    discussed: frozenset[tuple[str, int, str]]

    def about(self, kind: str, item_id: int) -> list[tuple[Question, bool]]:
        """The questions on one item, each with whether the team marked it discussed."""
        return [(q, (kind, item_id, q.rule) in self.discussed) for q in self.review.about(kind, item_id)]

    def outside(self, items: set[tuple[str, int]]) -> tuple:
        """The questions on every item but these, and which were discussed: to tell whether they changed."""
        return ({k: v for k, v in self.review.questions.items() if k not in items},
                {d for d in self.discussed if d[:2] not in items})

    @property
    def open(self) -> int:
        """Questions not yet marked discussed."""
        return sum((kind, item_id, q.rule) not in self.discussed
                   for (kind, item_id), found in self.review.questions.items() for q in found)


def for_team(store: Store, team_id: int, engagement_id: int, params: DeploymentParameters) -> TeamQuestions:
    """The team's questions now (cached until the team's page changes)."""
    with store.read() as db:
        stamp = db.execute("SELECT stamp FROM teams WHERE id = ?", [team_id]).fetchone()[0]
        cycle = _cycle(db, engagement_id)
    return _reviewed(store, team_id, engagement_id, stamp, params, cycle)


def open_counts(store: Store, engagement_id: int, params: DeploymentParameters) -> dict[int, int]:
    """Team id → open questions, for the progress board."""
    with store.read() as db:
        stamps = list(db.execute("SELECT id, stamp FROM teams WHERE engagement_id = ? AND removed_at IS NULL",
                                 [engagement_id]))
        cycle = _cycle(db, engagement_id)
    return {team_id: _reviewed(store, team_id, engagement_id, stamp, params, cycle).open
            for team_id, stamp in stamps}


def _cycle(db, engagement_id: int) -> tuple[date, date] | None:
    """The engagement's first and last day: a due date outside them is questioned."""
    row = db.execute("SELECT cycle_start, cycle_end FROM engagements WHERE id = ?", [engagement_id]).fetchone()
    return (date.fromisoformat(row[0]), date.fromisoformat(row[1])) if row else None


@lru_cache(maxsize=1024)
def _reviewed(store: Store, team_id: int, engagement_id: int, stamp: int,
              params: DeploymentParameters, cycle: tuple[date, date] | None) -> TeamQuestions:
    # Everything a review reads touches the team's stamp: its drafts, answers to its requests, discussed
    # marks; the cycle's dates are part of the key.
    statuses: dict[int, list] = {}
    for request in dependencies.asked_by(store, team_id):
        statuses.setdefault(request.key_result_id, []).append((request.to_team, request.status))
    marked = frozenset(d for d in discussions.discussed(store, engagement_id))
    return TeamQuestions(review.for_draft(drafts.load(store, team_id), params, statuses, cycle=cycle), marked)
