"""The coaching rules file (handouts/review_rules.toml): its format, and each rule's question in its one wording."""

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from okrcoach.errors import InputError
from okrcoach.vocabulary import KR_TYPES, TEAM_KINDS

RULES_FILE = Path(__file__).resolve().parent.parent / "handouts" / "review_rules.toml"
LOOKS_AT = ("objective", "why_now", "key_result", "team", "alignment")


@dataclass(frozen=True)
class Question:
    """One coaching question about one part of a draft."""

    rule: str
    question: str
    looks_at: str
    reason: str


@dataclass(frozen=True)
class Rule:
    """One rule from the rules file: what it looks at, the question it raises and its parameters."""

    id: str
    looks_at: str
    question: str
    reason: str
    unless: tuple[str, ...] = ()
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class RuleBook:
    """Every rule in file order, with the shared vocabulary."""

    rules: tuple[Rule, ...]
    vocabulary: dict


def asked(rule: Rule, limits, **found) -> Question:
    """The rule's question and reason, filled in with the engagement's limits and what its test found."""
    values = {"max_objectives": limits.max_objectives, "min_key_results": limits.min_key_results,
              "max_key_results": limits.max_key_results, **rule.params, **found}
    return Question(rule.id, rule.question.format(**values), rule.looks_at, rule.reason.format(**values))


def question(rule_id: str, limits, **found) -> str:
    """The question one rule asks, in its one wording, for these limits; empty if the file switches it off."""
    rule = next((rule for rule in default_rules().rules if rule.id == rule_id), None)
    return asked(rule, limits, **found).question if rule else ""


# --- loading the rules ----------------------------------------------------------------------------

# Each rule id runs one test in this module; the file says what it asks and with which words.
_RULE_SPECS: dict[str, tuple[str, dict[str, str]]] = {
    "task_like": ("key_result", {"verbs": "words", "nouns": "words", "skip_types": "kr_types"}),
    "vague_kr": ("key_result", {"words": "words", "skip_types": "kr_types"}),
    "health_kr": ("key_result", {"verbs": "words", "limit_phrases": "words"}),
    "metric_no_number": ("key_result", {}),
    "metric_no_baseline": ("key_result", {"implied_zero_words": "words"}),
    "kr_no_date": ("key_result", {"types": "kr_types"}),
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
_VOCABULARY = ("change_words", "measure_words", "relative_words", "outcome_markers")
_RULE_FIELDS = ("id", "looks_at", "question", "reason", "unless")
_SAMPLE_VALUES = {"max_objectives": 3, "min_key_results": 2, "max_key_results": 4, "word": "improve",
                  "team": "Stores team"}


def _check_param(where: str, name: str, kind: str, value) -> object:
    if kind == "count":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InputError(f"{where}: '{name}' must be a whole number, 0 or more.")
        return value
    if not isinstance(value, list) or not value or any(not isinstance(v, str) or not v.strip() for v in value):
        raise InputError(f"{where}: '{name}' must be a list of words, e.g. {name} = [\"...\"].")
    allowed = {"kr_types": KR_TYPES, "team_kinds": TEAM_KINDS}.get(kind)
    if allowed and set(value) - set(allowed):
        raise InputError(f"{where}: '{name}' may only list {', '.join(allowed)}.")
    return tuple(v.strip().lower() for v in value)


def load_rules(path: Path = RULES_FILE) -> RuleBook:
    """The rules in path, checked; InputError names the file, the rule id and the field at fault."""
    try:
        content = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise InputError(f"{Path(path).name}: cannot be read ({error}).") from error
    name = Path(path).name
    vocabulary = content.get("vocabulary")
    if not isinstance(vocabulary, dict):
        raise InputError(f"{name}: a [vocabulary] table with {', '.join(_VOCABULARY)} is missing.")
    vocabulary = {key: _check_param(f"{name}, [vocabulary]", key, "words", vocabulary.get(key))
                  for key in _VOCABULARY}
    specs = content.get("rules")
    if not isinstance(specs, list) or not specs:
        raise InputError(f"{name}: no [[rules]] tables found.")
    rules, seen = [], set()
    for number, spec in enumerate(specs, start=1):
        rule_id = spec.get("id")
        where = f"{name}, rule '{rule_id}'" if isinstance(rule_id, str) else f"{name}, rule {number}"
        if rule_id not in _RULE_SPECS:
            raise InputError(f"{where}: 'id' must be one of {', '.join(_RULE_SPECS)}.")
        if rule_id in seen:
            raise InputError(f"{where}: this id appears twice.")
        seen.add(rule_id)
        looks_at, param_kinds = _RULE_SPECS[rule_id]
        if spec.get("looks_at") != looks_at:
            raise InputError(f"{where}: 'looks_at' must be '{looks_at}' for this rule "
                             f"(one of {', '.join(LOOKS_AT)}).")
        for key in ("question", "reason"):
            if not isinstance(spec.get(key), str) or not spec[key].strip():
                raise InputError(f"{where}: '{key}' must be a non-empty text.")
        unknown = set(spec) - set(_RULE_FIELDS) - set(param_kinds)
        if unknown:
            raise InputError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}.")
        params = {}
        for key, kind in param_kinds.items():
            if key not in spec:
                raise InputError(f"{where}: '{key}' is missing.")
            params[key] = _check_param(where, key, kind, spec[key])
        unless = spec.get("unless", [])
        if not isinstance(unless, list) or any(u not in _RULE_SPECS for u in unless):
            raise InputError(f"{where}: 'unless' must list rule ids from {', '.join(_RULE_SPECS)}.")
        for key in ("question", "reason"):
            try:
                spec[key].format(**{**_SAMPLE_VALUES, **params})
            except (KeyError, IndexError, ValueError) as error:
                raise InputError(f"{where}: '{key}' has an unknown placeholder ({error}).") from error
        rules.append(Rule(rule_id, looks_at, spec["question"].strip(), spec["reason"].strip(), tuple(unless),
                          params))
    return RuleBook(tuple(rules), vocabulary)


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
