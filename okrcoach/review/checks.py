"""Coaching review: the open questions a draft raises, each rule's test run on the draft."""

from dataclasses import dataclass
from datetime import date

from okrcoach.content.rules import (
    Question,
    Rule,
    RuleBook,
    Vocabulary,
    asked,
    default_rules,
)
from okrcoach.drafting import drafts
from okrcoach.drafting.drafts import KeyResultFields, ObjectiveFields
from okrcoach.review import english
from okrcoach.review.english import TextFacts
from okrcoach.workshop.engagements import DeploymentParameters

UNKNOWN_TEAM = "The team you asked"


@dataclass(frozen=True)
class DraftReview:
    """Open questions keyed by ("team", id), ("objective", id) or ("key_result", id), and how many."""

    questions: dict[tuple[str, int], tuple[Question, ...]]
    count: int

    def about(self, kind: str, item_id: int) -> tuple[Question, ...]:
        """The questions about one team, objective or key result (none if it raises none)."""
        return self.questions.get((kind, item_id), ())


# --- the tests behind the rules -------------------------------------------------------------------

@dataclass(frozen=True)
class _KeyResultItem:
    fields: KeyResultFields
    facts: TextFacts
    siblings: tuple[KeyResultFields, ...]
    kind: str  # the type given, or read from the wording when none is given
    cycle: tuple[date, date] | None


@dataclass(frozen=True)
class _ObjectiveItem:
    fields: ObjectiveFields
    facts: TextFacts
    key_results: tuple[KeyResultFields, ...]
    team_kind: str


def _kind_of(kr: KeyResultFields, facts: TextFacts, book: RuleBook) -> str:
    """The type given, or for a metric without typed numbers the type its wording reads as (baseline, milestone)."""
    # A CSV row, an import or typed text often leaves the type at its default, metric.
    if kr.kr_type in ("baseline", "milestone"):
        return kr.kr_type
    if kr.baseline is not None or kr.target is not None:
        return "metric"
    words = book.vocabulary
    if english.reads_like_baseline(facts, words.baseline_words, words.baseline_verbs) \
            and not english.states_from_to(facts):
        return "baseline"
    if english.has_deadline(kr.text) and english.lead_verb(facts) is None and not english.has_number(kr.text) \
            and not facts.has_any(words.change_words) and not facts.has_any(words.relative_words):
        return "milestone"
    return "metric"


def _has_measure(item: _KeyResultItem, vocabulary: Vocabulary) -> bool:
    kr = item.fields
    return (kr.target is not None or kr.baseline is not None or english.has_number(kr.text)
            or english.has_multiplier(kr.text) or item.facts.has_any(vocabulary.relative_words) is not None)


_NOT_TASKS: dict[int, tuple[RuleBook, tuple[str, ...]]] = {}


def _not_tasks(book: RuleBook) -> tuple[str, ...]:
    """Leading verbs that are not work to do: changes, results, baselines, vague words, levels."""
    known = _NOT_TASKS.get(id(book))
    if known and known[0] is book:
        return known[1]
    words = book.vocabulary
    rules = {rule.id: rule.params for rule in book.rules}
    found = (*words.change_words, *words.result_verbs, *words.baseline_verbs,
             *rules.get("vague_kr", {}).get("words", ()), *rules.get("health_kr", {}).get("verbs", ()),
             *rules.get("health_kr", {}).get("lead_verbs", ()))
    _NOT_TASKS.clear()  # the rules file was reloaded: one book at a time
    _NOT_TASKS[id(book)] = (book, found)
    return found


def _task_like(rule: Rule, item: _KeyResultItem, book: RuleBook, params: DeploymentParameters):
    if item.kind in rule.params["skip_types"]:
        return None
    facts, verbs = item.facts, rule.params["verbs"]
    level_verbs = next((r.params["verbs"] for r in book.rules if r.id == "health_kr"), ())
    counted = english.counted_activity(facts, book.vocabulary, verbs, level_verbs)
    if counted:
        return {"task": english.quote(item.fields.text, skip=1, until_number=True)}
    lead = english.task_verb(facts, verbs, rule.params["nouns"], _not_tasks(book))
    reported = english.reports_done(facts, verbs) or english.states_done(facts, rule.params["done_states"])
    if lead is None and not reported:
        return None
    if english.names_an_outcome(facts, item.fields.text, book.vocabulary, of_a_task=lead is not None):
        return None
    return {"task": english.quote(item.fields.text)}


def _vague_kr(rule: Rule, item: _KeyResultItem, book: RuleBook, params: DeploymentParameters):
    if item.kind in rule.params["skip_types"]:
        return None
    word = item.facts.has_any(rule.params["words"])
    if not word or _has_measure(item, book.vocabulary):
        return None
    return {"word": word, "phrase": english.quote(item.fields.text)}


def _health_kr(rule: Rule, item: _KeyResultItem, book: RuleBook, params: DeploymentParameters):
    return {"level": english.quote(item.fields.text)} if _keeps_a_level(rule, item, book) else None


def _keeps_a_level(rule: Rule, item: _KeyResultItem, book: RuleBook) -> bool:
    kr, facts = item.fields, item.facts
    if kr.kr_type == "metric" and kr.baseline is not None and kr.baseline == kr.target:
        return True
    if english.states_from_to(facts):
        return False
    if facts.starts_with(rule.params["lead_verbs"]):
        return True
    if english.holds_a_level(facts, rule.params["verbs"], book.vocabulary.measure_words):
        return True
    return bool(facts.has_any(rule.params["limit_phrases"]) and not facts.has_any(book.vocabulary.change_words))


def _metric_no_number(rule: Rule, item: _KeyResultItem, book: RuleBook, params: DeploymentParameters):
    if item.kind != "metric" or _has_measure(item, book.vocabulary):
        return None
    return {"phrase": english.quote(item.fields.text)}


def _metric_no_baseline(rule: Rule, item: _KeyResultItem, book: RuleBook, params: DeploymentParameters):
    kr = item.fields
    if item.kind != "metric" or kr.baseline is not None or english.has_starting_point(kr.text):
        return None
    relative = english.has_percentage(kr.text) or english.has_multiplier(kr.text) \
        or item.facts.has_any(book.vocabulary.relative_words)
    if (item.facts.has_any(rule.params["implied_zero_words"]) or english.counts_moves(item.facts)) and not relative:
        return None
    if not _has_measure(item, book.vocabulary):
        return None
    lead = english.lead_verb(item.facts)
    measure = english.quote(kr.text, skip=1 if lead and not lead.noun_form else 0, until_number=True)
    return {"measure": measure or "this measure"}


def _kr_no_date(rule: Rule, item: _KeyResultItem, book: RuleBook, params: DeploymentParameters):
    kr = item.fields
    if item.kind not in rule.params["types"] or kr.due is not None or english.has_deadline(kr.text):
        return None
    return {"key_result": english.quote(kr.text)}


def _kr_date_outside_cycle(rule: Rule, item: _KeyResultItem, book: RuleBook, params: DeploymentParameters):
    due, cycle = item.fields.due, item.cycle
    if due is None or cycle is None or cycle[0] <= due <= cycle[1]:
        return None
    return {"due": _day(due), "cycle_start": _day(cycle[0]), "cycle_end": _day(cycle[1])}


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _baseline_no_measure(rule: Rule, item: _KeyResultItem, book: RuleBook, params: DeploymentParameters):
    kr = item.fields
    if item.kind != "baseline" or kr.unit.strip() or english.has_percentage(kr.text):
        return None
    return None if item.facts.has_any(book.vocabulary.measure_words) else {"key_result": english.quote(kr.text)}


def _milestone_not_allowed(rule: Rule, item: _KeyResultItem, book: RuleBook, params: DeploymentParameters):
    return {} if item.fields.kr_type == "milestone" and not params.milestones_allowed else None


def _milestones_majority(rule: Rule, item: _KeyResultItem, book: RuleBook, params: DeploymentParameters):
    if item.fields.kr_type != "milestone" or len(item.siblings) < rule.params["min_siblings"]:
        return None
    milestones = sum(kr.kr_type == "milestone" for kr in item.siblings)
    return {} if milestones * 2 > len(item.siblings) else None


def _kr_no_champion(rule: Rule, item: _KeyResultItem, book: RuleBook, params: DeploymentParameters):
    return {} if not item.fields.champion.strip() else None


def _objective_has_metric(rule: Rule, item: _ObjectiveItem, book: RuleBook, params: DeploymentParameters):
    if english.states_a_figure(item.facts):
        return {}
    return {} if item.facts.has_any(book.vocabulary.relative_words) else None


def _objective_routine(rule: Rule, item: _ObjectiveItem, book: RuleBook, params: DeploymentParameters):
    facts = item.facts
    if facts.starts_with(rule.params["verbs"]) or facts.has_any(rule.params["phrases"]):
        return {}
    health = next((r for r in book.rules if r.id == "health_kr"), None)
    level_verbs = health.params["verbs"] if health else ("keep", "maintain", "stay", "remain")
    return {} if english.holds_a_level(facts, level_verbs) else None


def _objective_is_task(rule: Rule, item: _ObjectiveItem, book: RuleBook, params: DeploymentParameters):
    return {} if item.facts.starts_with(rule.params["verbs"]) else None


def _why_now_missing(rule: Rule, item: _ObjectiveItem, book: RuleBook, params: DeploymentParameters):
    return {} if not item.fields.why_now.strip() else None


def _why_now_short(rule: Rule, item: _ObjectiveItem, book: RuleBook, params: DeploymentParameters):
    why_now = item.fields.why_now.strip()
    if not why_now:
        return None
    return {} if len(english.sentences(why_now, rule.params["min_words"])) < rule.params["min_sentences"] else None


def _too_few_key_results(rule: Rule, item: _ObjectiveItem, book: RuleBook, params: DeploymentParameters):
    return {} if len(item.key_results) < params.min_key_results else None


def _too_many_key_results(rule: Rule, item: _ObjectiveItem, book: RuleBook, params: DeploymentParameters):
    return {} if len(item.key_results) > params.max_key_results else None


def _contributes_to_nothing(rule: Rule, item: _ObjectiveItem, book: RuleBook, params: DeploymentParameters):
    return {} if item.team_kind in rule.params["team_kinds"] and not item.fields.contributes_to else None


def _too_many_objectives(rule: Rule, count: int, book: RuleBook, params: DeploymentParameters):
    return {} if count > params.max_objectives else None


def _top_objective_unsupported(rule: Rule, supporters: int, book: RuleBook, params: DeploymentParameters):
    return {} if supporters == 0 else None


def _dependency(status: str):
    def test(rule: Rule, answers: tuple[tuple[str, str], ...], book: RuleBook, params: DeploymentParameters):
        return [{"team": team} for team, answer in answers if answer == status]
    return test


_KEY_RESULT_TESTS = {
    "task_like": _task_like, "vague_kr": _vague_kr, "health_kr": _health_kr,
    "metric_no_number": _metric_no_number, "metric_no_baseline": _metric_no_baseline,
    "kr_no_date": _kr_no_date, "kr_date_outside_cycle": _kr_date_outside_cycle,
    "baseline_no_measure": _baseline_no_measure,
    "milestone_not_allowed": _milestone_not_allowed, "milestones_majority": _milestones_majority,
    "kr_no_champion": _kr_no_champion,
}
_OBJECTIVE_TESTS = {
    "objective_has_metric": _objective_has_metric, "objective_routine": _objective_routine,
    "objective_is_task": _objective_is_task, "why_now_missing": _why_now_missing,
    "why_now_short": _why_now_short, "too_few_key_results": _too_few_key_results,
    "too_many_key_results": _too_many_key_results, "contributes_to_nothing": _contributes_to_nothing,
}
_LIMIT_TESTS = {rule: _OBJECTIVE_TESTS[rule] for rule in ("too_few_key_results", "too_many_key_results")}
_TEAM_TESTS = {"too_many_objectives": _too_many_objectives}
_TOP_TESTS = {"top_objective_unsupported": _top_objective_unsupported}
_DEPENDENCY_TESTS = {"dependency_unanswered": _dependency("requested"),
                     "dependency_declined": _dependency("declined")}


def _ask(book: RuleBook, tests: dict, item, params: DeploymentParameters) -> list[Question]:
    """Run the rules that have a test here, drop those another firing rule already covers, in file order."""
    raised = []
    for rule in book.rules:
        if rule.id not in tests:
            continue
        found = tests[rule.id](rule, item, book, params)
        if found is None or found == []:
            continue
        raised.append((rule, found if isinstance(found, list) else [found]))
    fired = {rule.id for rule, _ in raised}
    return [asked(rule, params, **extra) for rule, found in raised if not fired & set(rule.unless) for extra in found]


# --- the review -----------------------------------------------------------------------------------

def for_key_result(kr: KeyResultFields, siblings: list[KeyResultFields], params: DeploymentParameters,
                   *, rules: RuleBook | None = None, cycle: tuple[date, date] | None = None) -> list[Question]:
    """Questions one key result raises; siblings: its objective's key results; cycle: (first day, last day)."""
    book = rules or default_rules()
    facts = english.facts_of(kr.text)
    item = _KeyResultItem(kr, facts, tuple(siblings), _kind_of(kr, facts, book), cycle)
    return _ask(book, _KEY_RESULT_TESTS, item, params)


def for_objective(objective: ObjectiveFields, key_results: list[KeyResultFields], params: DeploymentParameters,
                  team_kind: str, *, rules: RuleBook | None = None) -> list[Question]:
    """Questions an objective raises: its wording, Why now?, how many key results, what it contributes to."""
    item = _ObjectiveItem(objective, english.facts_of(objective.text), tuple(key_results), team_kind)
    return _ask(rules or default_rules(), _OBJECTIVE_TESTS, item, params)


def for_team(objective_count: int, params: DeploymentParameters, *, rules: RuleBook | None = None) -> list[Question]:
    """Questions about a team's draft as a whole (how many objectives)."""
    return _ask(rules or default_rules(), _TEAM_TESTS, objective_count, params)


def outside_limits(draft: drafts.Draft, params: DeploymentParameters, *,
                   rules: RuleBook | None = None) -> list[tuple[drafts.Objective | None, str]]:
    """The limit rules a draft breaks, by rule id: (None, id) for the team's count, (objective, id) for one objective."""
    book = rules or default_rules()
    found: list[tuple[drafts.Objective | None, str]] = [
        (None, q.rule) for q in _ask(book, _TEAM_TESTS, len(draft.objectives), params)]
    for objective in draft.objectives:
        item = _ObjectiveItem(objective.fields, None, tuple(kr.fields for kr in objective.key_results),
                              draft.team.kind)
        found += [(objective, q.rule) for q in _ask(book, _LIMIT_TESTS, item, params)]
    return found


def for_dependencies(statuses: list, params: DeploymentParameters | None = None, *,
                     rules: RuleBook | None = None) -> list[Question]:
    """Questions about a key result's requests for help: each a status or a (team name, status) pair."""
    answers = tuple((UNKNOWN_TEAM, s) if isinstance(s, str) else (str(s[0]) or UNKNOWN_TEAM, s[1])
                    for s in statuses)
    return _ask(rules or default_rules(), _DEPENDENCY_TESTS, tuple(dict.fromkeys(answers)),
                params or DeploymentParameters())


def for_top_objective(supporters: int, params: DeploymentParameters, *,
                      rules: RuleBook | None = None) -> list[Question]:
    """Questions about a top-level objective, given how many team objectives contribute to it."""
    return _ask(rules or default_rules(), _TOP_TESTS, supporters, params)


def _collect(questions: dict, key: tuple[str, int], found: list[Question]) -> None:
    if found:
        questions[key] = (*questions.get(key, ()), *found)


def for_draft(draft: drafts.Draft, params: DeploymentParameters,
              dependency_statuses: dict[int, list] | None = None, *,
              rules: RuleBook | None = None, cycle: tuple[date, date] | None = None) -> DraftReview:
    """Every open question on one team's draft; dependency_statuses maps key result id → statuses."""
    book = rules or default_rules()
    questions: dict[tuple[str, int], tuple[Question, ...]] = {}
    _collect(questions, ("team", draft.team.id), for_team(len(draft.objectives), params, rules=book))
    for objective in draft.objectives:
        siblings = [kr.fields for kr in objective.key_results]
        _collect(questions, ("objective", objective.id),
                 for_objective(objective.fields, siblings, params, draft.team.kind, rules=book))
        for kr in objective.key_results:
            found = for_key_result(kr.fields, siblings, params, rules=book, cycle=cycle)
            if dependency_statuses:
                found += for_dependencies(dependency_statuses.get(kr.id, []), params, rules=book)
            _collect(questions, ("key_result", kr.id), found)
    return DraftReview(questions, sum(len(q) for q in questions.values()))


def for_engagement(all_drafts: list[drafts.Draft], params: DeploymentParameters,
                   dependency_statuses: dict[int, list] | None = None, *,
                   rules: RuleBook | None = None, cycle: tuple[date, date] | None = None) -> DraftReview:
    """Every team's questions, plus top-level objectives no team objective contributes to."""
    book = rules or default_rules()
    questions: dict[tuple[str, int], tuple[Question, ...]] = {}
    for draft in all_drafts:
        questions.update(for_draft(draft, params, dependency_statuses, rules=book, cycle=cycle).questions)
    team_objectives = [o for d in all_drafts if d.team.kind != "top" for o in d.objectives]
    if team_objectives:
        for draft in (d for d in all_drafts if d.team.kind == "top"):
            for objective in draft.objectives:
                supporters = sum(objective.id in o.fields.contributes_to for o in team_objectives)
                _collect(questions, ("objective", objective.id), for_top_objective(supporters, params, rules=book))
    return DraftReview(questions, sum(len(q) for q in questions.values()))
