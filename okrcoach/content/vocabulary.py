"""The method's fixed words: key result types, team kinds, agenda kinds; used by content files and the domain."""

KR_TYPES = ("metric", "baseline", "milestone")
TEAM_KINDS = ("top", "team")
ITEM_KINDS = ("talk", "exercise", "breakout", "share-out", "vote", "review", "break")
AGENDA_KINDS = ("fundamentals", "team-drafting", "executive-drafting", "coach-training")
