"""The coaching rules file (handouts/review_rules.toml): its format, and each rule's question in its one wording."""

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, TypeAdapter, ValidationError, model_validator

from okrcoach.content import loader as content
from okrcoach.content.loader import Count, Known, NonEmptyText, Words, expect, one_of, shown
from okrcoach.content.vocabulary import KR_TYPES, TEAM_KINDS
from okrcoach.errors import InputError

RULES_FILE = content.HANDOUTS_DIR / "review_rules.toml"
LOOKS_AT = ("objective", "why_now", "key_result", "team", "alignment")
# Each rule id runs one test in this module; the file says what it asks and with which words.
RULE_SPECS: dict[str, tuple[str, dict[str, str]]] = {
    "task_like": ("key_result", {"verbs": "words", "nouns": "words", "done_states": "words",
                                 "skip_types": "kr_types"}),
    "vague_kr": ("key_result", {"words": "words", "skip_types": "kr_types"}),
    "health_kr": ("key_result", {"verbs": "words", "lead_verbs": "words", "limit_phrases": "words"}),
    "metric_no_number": ("key_result", {}),
    "metric_no_baseline": ("key_result", {"implied_zero_words": "words"}),
    "kr_no_date": ("key_result", {"types": "kr_types"}),
    "kr_date_outside_cycle": ("key_result", {}),
    "baseline_no_measure": ("key_result", {}),
    "milestone_not_allowed": ("key_result", {}),
    "milestones_majority": ("key_result", {"min_siblings": "count"}),
    "kr_no_champion": ("key_result", {}),
    "objective_has_metric": ("objective", {}),
    "objective_routine": ("objective", {"verbs": "words", "phrases": "words"}),
    "objective_is_task": ("objective", {"verbs": "words"}),
    "why_now_missing": ("why_now", {}),
    "why_now_short": ("why_now", {"min_sentences": "count", "min_words": "count"}),
    "too_few_key_results": ("objective", {}),
    "too_many_key_results": ("objective", {}),
    "too_many_objectives": ("team", {}),
    "contributes_to_nothing": ("alignment", {"team_kinds": "team_kinds"}),
    "top_objective_unsupported": ("alignment", {}),
    "dependency_unanswered": ("alignment", {}),
    "dependency_declined": ("alignment", {}),
}
_RULE_FIELDS = ("id", "looks_at", "question", "reason", "unless", "asks")
# What each question asks a team for; the labelled set says which a weak key result needs.
ASKS = ("outcome", "measure", "starting point", "level to keep", "date", "other")
# What a question may quote: the team's own words, shortened (filled in by the rule's test).
_SAMPLE_VALUES = {"max_objectives": 3, "min_key_results": 2, "max_key_results": 4, "word": "improve",
                  "team": "Stores team", "task": "Redesign the returns form", "phrase": "Improve onboarding",
                  "level": "Keep uptime at 99.9%", "measure": "monthly active users",
                  "key_result": "Board approves the charter", "due": "30 September 2026",
                  "cycle_start": "5 January 2026", "cycle_end": "5 April 2026"}
_PARAMETERS = {
    "words": TypeAdapter(Words),
    "count": TypeAdapter(Count),
    "kr_types": TypeAdapter(tuple[Annotated[str, one_of(KR_TYPES)], ...]),
    "team_kinds": TypeAdapter(tuple[Annotated[str, one_of(TEAM_KINDS)], ...]),
}
_EXPECTED = {"words": "a list of words", "count": "a whole number, 0 or more",
             "kr_types": f"a list of {', '.join(KR_TYPES)}", "team_kinds": f"a list of {', '.join(TEAM_KINDS)}"}
RuleId = Annotated[str, one_of(RULE_SPECS)]
Wording = Annotated[NonEmptyText, AfterValidator(str.strip)]



@dataclass(frozen=True)
class Question:
    """One coaching question about one part of a draft."""

    rule: str
    question: str
    looks_at: str
    reason: str


@dataclass(frozen=True)
class Vocabulary(Known):
    """Words several rules share."""

    change_words: Words
    measure_words: Words
    relative_words: Words
    outcome_markers: Words
    result_verbs: Words
    activity_nouns: Words
    ratio_words: Words
    baseline_words: Words
    baseline_verbs: Words


@dataclass(frozen=True)
class Rule:
    """One rule from the rules file: what it looks at, the question it raises and its parameters."""

    id: RuleId
    looks_at: Annotated[str, one_of(LOOKS_AT)]
    question: Wording
    reason: Wording
    unless: Annotated[tuple[RuleId, ...], expect(lambda v: isinstance(v, list), "a list of rule ids")] = ()
    asks: Annotated[str, one_of(ASKS)] = "other"
    params: dict = field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _parameters_of_its_id(cls, data):
        """Check what the rule's id asks for (what it looks at, its parameters) and gather the parameters."""
        if not isinstance(data, dict) or data.get("id") not in RULE_SPECS:
            return data  # the id field says what is wrong
        looks_at, kinds = RULE_SPECS[data["id"]]
        if data.get("looks_at", looks_at) != looks_at:
            raise ValueError(f"looks_at must be {shown(looks_at)} for this rule, got {shown(data['looks_at'])}")
        allowed = [*_RULE_FIELDS, *kinds]
        unknown = [key for key in data if key not in allowed]
        if unknown:
            plural = "s" if len(unknown) > 1 else ""
            raise ValueError(f"unknown field{plural} {', '.join(shown(key) for key in unknown)} "
                             f"(allowed: {', '.join(allowed)})")
        params = {}
        for name, kind in kinds.items():
            if name not in data:
                raise ValueError(f'missing field "{name}"')
            try:
                params[name] = _PARAMETERS[kind].validate_python(data[name])
            except ValidationError:
                raise ValueError(f"{name} must be {_EXPECTED[kind]}, got {shown(data[name])}") from None
        return {**{key: data[key] for key in _RULE_FIELDS if key in data}, "params": params}

    @model_validator(mode="after")
    def _known_placeholders(self):
        for name in ("question", "reason"):
            content.fills(getattr(self, name), {**_SAMPLE_VALUES, **self.params}, f"{name} ")
        return self


def _rules(value):
    if not isinstance(value, list) or not value:
        raise ValueError("must be one or more [[rules]] tables")
    return value


@dataclass(frozen=True)
class RuleBook(Known):
    """Every rule in file order, with the shared vocabulary."""

    vocabulary: Vocabulary
    rules: Annotated[tuple[Rule, ...], BeforeValidator(_rules)]

    @model_validator(mode="after")
    def _each_id_once(self):
        ids = [rule.id for rule in self.rules]
        twice = sorted({rule_id for rule_id in ids if ids.count(rule_id) > 1})
        if twice:
            raise ValueError(f"each rule id may appear once; {', '.join(twice)} appears twice")
        return self


def asked(rule: Rule, limits, **found) -> Question:
    """The rule's question and reason, filled in with the engagement's limits and what its test found."""
    values = {"max_objectives": limits.max_objectives, "min_key_results": limits.min_key_results,
              "max_key_results": limits.max_key_results, **rule.params, **found}
    return Question(rule.id, rule.question.format(**values), rule.looks_at, rule.reason.format(**values))


def question(rule_id: str, limits, **found) -> str:
    """The question one rule asks, in its one wording, for these limits; empty if the file switches it off."""
    rule = next((rule for rule in default_rules().rules if rule.id == rule_id), None)
    return asked(rule, limits, **found).question if rule else ""


def load_rules(path: Path = RULES_FILE) -> RuleBook:
    """The rules in path, checked; InputError names the file, the rule and the field at fault."""
    return content.load(path, RuleBook)


@lru_cache(maxsize=4)
def _cached_rules(path: Path, mtime: float) -> RuleBook:
    return load_rules(path)


def default_rules() -> RuleBook:
    """The rules in handouts/review_rules.toml, reloaded when the file changes."""
    try:
        mtime = RULES_FILE.stat().st_mtime
    except OSError as error:
        raise InputError(f"{RULES_FILE.name}: cannot be read ({error}).") from error
    return _cached_rules(RULES_FILE, mtime)
