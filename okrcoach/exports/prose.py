"""The fixed prose of the pack and the handout (handouts/pack.toml), filled in for one engagement."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from pydantic import BeforeValidator

from okrcoach.content import loader as content
from okrcoach.drafting.drafts import KeyResult
from okrcoach.errors import InputError
from okrcoach.exports import formats, word
from okrcoach.exports.formats import Formats
from okrcoach.workshop.engagements import Engagement

PACK_FILE = content.HANDOUTS_DIR / "pack.toml"
ENGAGEMENT_PLACEHOLDERS = ("client", "engagement", "facilitator", "cycle", "cycle_start", "cycle_end",
                           "max_objectives", "min_key_results", "max_key_results")
LOCAL_PLACEHOLDERS = ("team", "number", "date", "count", "teams", "total", "ready", "drafting", "top", "zone",
                      "accepted", "pending", "declined")
CYCLE_NAMES = {"quarter": "Quarterly cycle", "4-month": "Four-month cycle", "custom": "Custom cycle"}


class _Keep(dict):
    """Format values that leave placeholders meant for a later step as they are."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass(frozen=True)
class Prose:
    """The fixed text of the pack and the handout (handouts/pack.toml), filled in for one engagement."""

    raw: dict
    values: dict
    path: Path = PACK_FILE
    formats: Formats = field(default_factory=Formats)

    def _lookup(self, key: str):
        node = self.raw
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                raise InputError(f'{self.path.name}: missing field "{key}"')
            node = node[part]
        return node

    def _fill(self, template: str, key: str, extra: dict) -> str:
        if not isinstance(template, str):
            raise InputError(f"{self.path.name}: {key} must be a text, got {content.shown(template)}")
        # Counts are written the language's way: 1,200 in en_GB, 1.200 in de_DE.
        counts = {name: self.formats.number(value) for name, value in extra.items()
                  if isinstance(value, int) and not isinstance(value, bool)}
        return template.format_map(_Keep({**self.values, **extra, **counts}))

    def __call__(self, key: str, **extra) -> str:
        """One text, placeholders filled."""
        return self._fill(self._lookup(key), key, extra)

    def counted(self, key: str, count: int, **extra) -> str:
        """A text that changes with a count: a table of 'one' and 'other', or one text for both."""
        node = self._lookup(key)
        if isinstance(node, dict):
            if set(node) != {"one", "other"}:
                raise InputError(f'{self.path.name}: {key} must be a text, or a table of "one" and "other"')
            node = node["one" if count == 1 else "other"]
        return self._fill(node, key, {**extra, "count": count})

    def many(self, key: str, **extra) -> list[str]:
        """A list of texts, placeholders filled."""
        items = self._lookup(key)
        if not isinstance(items, list):
            raise InputError(f"{self.path.name}: {key} must be a list of texts, got {content.shown(items)}")
        return [self._fill(item, key, extra) for item in items]

    def keys(self, key: str) -> list[str]:
        """The names in a table of tables, in the order written (e.g. the worked example's key results)."""
        table = self._lookup(key)
        if not isinstance(table, dict):
            raise InputError(f"{self.path.name}: {key} must be a table, got {content.shown(table)}")
        return list(table)

    def names(self, key: str) -> dict[str, str]:
        """A small table of names (e.g. statuses), placeholders filled."""
        table = self._lookup(key)
        if not isinstance(table, dict):
            raise InputError(f"{self.path.name}: {key} must be a table of names, got {content.shown(table)}")
        return {name: self._fill(text, f"{key}.{name}", {}) for name, text in table.items()}


def _checked_prose(node, where: str = ""):
    """The prose tree as written: texts, lists of texts and tables, with known placeholders only."""
    if isinstance(node, dict):
        for key, value in node.items():
            _checked_prose(value, f"{where}.{key}" if where else key)
    elif isinstance(node, list) and where:
        for value in node:
            if not isinstance(value, str):
                raise ValueError(f"{where} must be a list of texts, got {content.shown(value)}")
            _checked_prose(value, where)
    elif isinstance(node, str) and where:
        unknown = sorted(content.placeholders(node) - set(ENGAGEMENT_PLACEHOLDERS) - set(LOCAL_PLACEHOLDERS))
        if unknown:
            raise ValueError(f"{where} has an unknown placeholder {{{unknown[0]}}}")
    else:
        raise ValueError(f"{where or 'the file'} must be a text, a list of texts or a table, got {content.shown(node)}")
    return node


ProseFile = Annotated[dict, BeforeValidator(_checked_prose)]


def load_prose(engagement: Engagement, path: Path = PACK_FILE) -> Prose:
    """The pack's and handout's fixed text for this engagement; InputError names a broken field."""
    raw = content.load(path, ProseFile)
    written = formats.for_engagement(engagement)
    values = {
        "client": word.short(engagement.client or engagement.name, 200),
        "engagement": word.short(engagement.name, 200),
        "facilitator": word.short(engagement.facilitator, 200),
        "cycle": CYCLE_NAMES.get(engagement.cycle_kind, engagement.cycle_kind),
        "cycle_start": written.long_date(engagement.cycle_start),
        "cycle_end": written.long_date(engagement.cycle_end),
        "max_objectives": engagement.params.max_objectives,
        "min_key_results": engagement.params.min_key_results,
        "max_key_results": engagement.params.max_key_results,
    }
    return Prose(raw, values, path, written)


def from_to(kr: KeyResult, prose: Prose) -> str:
    """'22% → 30%', '$86 → $95', 'to be measured', or 'done / not done', by key result type."""
    fields = kr.fields
    unit = word.safe(fields.unit).strip()
    if fields.kr_type == "baseline":
        measured = prose("pack.objective.to_be_measured")
        return f"{measured} ({unit})" if unit else measured
    if fields.kr_type == "milestone":
        return prose("pack.objective.milestone_value")
    unknown = prose("pack.objective.unknown")
    written = prose.formats
    return f"{written.amount(fields.baseline, unit, unknown)} → {written.amount(fields.target, unit, unknown)}"
