"""Comments other teams leave during a share-out carry who wrote them."""

from okrcoach.drafting import comments, drafts
from okrcoach.drafting.drafts import ObjectiveFields


def test_a_comment_keeps_the_name_of_the_person_who_wrote_it(store, team, other_team, params):
    objective = drafts.add_objective(store, team, ObjectiveFields(text="Win back weekend shoppers"), params, "Ana")
    comments.add(store, other_team, objective.id, None, "We can share our footfall data", "Jon (Online team)")
    received, = comments.on_team(store, team.id)
    assert (received.author, received.from_team, received.text) == (
        "Jon (Online team)", other_team.name, "We can share our footfall data")


def test_a_comment_without_a_name_still_names_its_team(store, team, other_team, params):
    objective = drafts.add_objective(store, team, ObjectiveFields(text="Win back weekend shoppers"), params, "Ana")
    comments.add(store, other_team, objective.id, None, "Count us in")
    received, = comments.on_team(store, team.id)
    assert (received.author, received.from_team) == ("", other_team.name)
