"""The progress board counts each team's draft."""

from okrcoach.drafting import demo, drafts
from okrcoach.drafting.drafts import KeyResultFields, ObjectiveFields
from okrcoach.storage.store import Store
from okrcoach.workshop import laptops, progress, teams
from okrcoach.workshop.engagements import DeploymentParameters


def test_board_counts_objectives_key_results_why_now_and_ready(tmp_path):
    store = Store(tmp_path / "okrcoach.db")
    engagement = demo.load_demo(store)
    team = teams.add(store, engagement.id, "Finance")
    before = progress.stamp(store, engagement.id)
    objective = drafts.add_objective(store, team, ObjectiveFields("Close faster", "Because.", "ready"),
                                     DeploymentParameters(), "t")
    drafts.add_objective(store, team, ObjectiveFields("Second"), DeploymentParameters(), "t")
    drafts.add_key_result(store, team, objective.id, KeyResultFields("Cut close from 12 to 5 days"),
                          DeploymentParameters(), engagement.cycle_end, "t")
    row = next(r for r in progress.board(store, engagement.id) if r.slug == team.slug)
    assert (row.objectives, row.key_results, row.why_now_written, row.ready) == (2, 1, 1, 1)
    assert row.last_edit is not None
    assert progress.stamp(store, engagement.id) > before


def test_board_lists_a_team_with_nothing_drafted(tmp_path):
    store = Store(tmp_path / "okrcoach.db")
    engagement = demo.load_demo(store)
    teams.add(store, engagement.id, "Legal")
    row = next(r for r in progress.board(store, engagement.id) if r.slug == "legal")
    assert (row.objectives, row.key_results, row.last_edit) == (0, 0, None)


def test_board_counts_the_laptops_of_each_team_connected_now(tmp_path):
    store = Store(tmp_path / "okrcoach.db")
    engagement = demo.load_demo(store)
    legal = teams.add(store, engagement.id, "Legal")
    before = progress.stamp(store, engagement.id)
    laptops.seen(store, "laptop-a", legal.id, engagement.id, now=1000)
    laptops.seen(store, "laptop-b", legal.id, engagement.id, now=1000)
    laptops.seen(store, "laptop-c", legal.id, engagement.id, now=900)  # closed a while ago
    assert progress.stamp(store, engagement.id) > before  # the console's board redraws when a laptop joins
    row = next(r for r in progress.board(store, engagement.id, now=1010) if r.slug == "legal")
    assert row.laptops == 2
    stamp = progress.stamp(store, engagement.id)
    laptops.seen(store, "laptop-a", legal.id, engagement.id, now=1010)  # a heartbeat changes nothing else
    assert progress.stamp(store, engagement.id) == stamp
    assert next(r for r in progress.board(store, engagement.id, now=1100) if r.slug == "legal").laptops == 0


def test_a_heartbeat_writes_only_when_the_board_would_otherwise_lose_the_laptop(tmp_path):
    store = Store(tmp_path / "okrcoach.db")
    engagement = demo.load_demo(store)
    legal = teams.add(store, engagement.id, "Legal")

    def stored_seen() -> float:
        with store.read() as db:
            return db.execute("SELECT seen_at FROM laptops WHERE id = 'laptop-a'").fetchone()[0]

    laptops.seen(store, "laptop-a", legal.id, engagement.id, now=1000)
    laptops.seen(store, "laptop-a", legal.id, engagement.id, now=1010)  # fresh: read, nothing written
    assert stored_seen() == 1000
    laptops.seen(store, "laptop-a", legal.id, engagement.id, now=1020)  # half-way to stale: written
    assert stored_seen() == 1020
    for now in range(1030, 1200, laptops.HEARTBEAT_SECONDS):  # every heartbeat, the board keeps counting it
        laptops.seen(store, "laptop-a", legal.id, engagement.id, now=now)
        assert next(r for r in progress.board(store, engagement.id, now=now) if r.slug == "legal").laptops == 1
