"""The method's fixed words: key result types, team kinds, agenda kinds and views; used by content files and the domain."""

KR_TYPES = ("metric", "baseline", "milestone")
TEAM_KINDS = ("top", "team")
ITEM_KINDS = ("talk", "exercise", "breakout", "share-out", "vote", "review", "break")
# What an agenda item may name as its view: a kind's own view, or one of these (handouts/screens.toml [views]).
NAMED_VIEWS = ("candidates", "leadership-drafting")
ITEM_VIEWS = ITEM_KINDS + NAMED_VIEWS
AGENDA_KINDS = ("fundamentals", "team-drafting", "executive-drafting", "coach-training")
