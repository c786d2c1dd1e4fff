"""Coaching review: the open questions a draft raises, from the rules in handouts/review_rules.toml."""

import csv
import io
import math
import re
import tempfile
import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from okrcoach import backup, csv_export, drafts
from okrcoach.drafts import KR_TYPES, KeyResultFields, ObjectiveFields
from okrcoach.engagements import DeploymentParameters
from okrcoach.errors import InputError
from okrcoach.store import Store
from okrcoach.teams import TEAM_KINDS
from okrcoach.text import clean

RULES_FILE = Path(__file__).resolve().parent.parent / "handouts" / "review_rules.toml"
LOOKS_AT = ("objective", "why_now", "key_result", "team", "alignment")
DEPENDENCY_STATUSES = ("requested", "accepted", "declined")
CSV_COLUMNS = ("team", "objective", "why_now", "key_result", "kr_type", "baseline", "target", "unit", "due",
               "champion", "contributes_to", "depends_on")
UNKNOWN_TEAM = "The team you asked"


# --- records --------------------------------------------------------------------------------------

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


@dataclass(frozen=True)
class DraftReview:
    """Open questions keyed by ("team", id), ("objective", id) or ("key_result", id), and how many."""

    questions: dict[tuple[str, int], tuple[Question, ...]]
    count: int

    def about(self, kind: str, item_id: int) -> tuple[Question, ...]:
        """The questions about one team, objective or key result (none if it raises none)."""
        return self.questions.get((kind, item_id), ())


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


# --- reading what people write --------------------------------------------------------------------

_UNITS = {word: value for value, word in enumerate([
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"])}
_TENS = {word: 10 * value for value, word in enumerate(
    ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"], start=2)}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_NUMBER_WORDS = {**_UNITS, **_TENS, **_SCALES}
_SUFFIX_SCALES = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000, "b": 1_000_000_000,
                  "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_IRREGULAR = {
    "held": "hold", "built": "build", "wrote": "write", "written": "write", "ran": "run", "began": "begin",
    "begun": "begin", "made": "make", "did": "do", "done": "do", "sent": "send", "taught": "teach",
    "led": "lead", "kept": "keep", "drove": "drive", "driven": "drive", "grew": "grow", "grown": "grow",
    "rose": "rise", "risen": "rise", "brought": "bring", "got": "get", "went": "go", "gone": "go",
    "shrank": "shrink", "shrunk": "shrink", "better": "better",
}
# Past participles that report work as done ("portal built", "playbook written"); ambiguous
# forms such as "run" and "set" are left out because they are also nouns and base forms.
_PARTICIPLES = {"built", "written", "held", "done", "sent", "taught", "begun"}
_NOT_PASSIVE_AFTER = {"who", "that", "which", "have", "has", "had", "we", "they", "you"}
_FILLER = {"we", "will", "we'll", "i", "to", "also", "then", "successfully", "fully", "finally", "first",
           "and", "shall", "must", "should", "let's", "lets", "us", "please"}
_CHARS = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2013": "-", "\u2014": "-",
                        "\u2212": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                        "\u00d7": "x"})

_MONTH = (r"(?:january|february|march|april|may|june|july|august|september|october|november|december|"
          r"jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)")
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"
_MONTH_DAY = (rf"(?:{_MONTH}\.?\s+{_DAY}\b(?:,?\s+{_YEAR}\b)?"
              rf"|{_DAY}\s+(?:of\s+)?{_MONTH}\b\.?(?:,?\s+{_YEAR}\b)?)")
_PERIOD = (r"(?:quarter|cycle|year|month|half[- ]year|half|sprint|season|semester|term|fiscal year|"
           r"financial year|period|week)")
_POINT = (rf"(?:{_MONTH_DAY}|{_MONTH}\b(?:\s+{_YEAR}\b)?|q[1-4]\b(?:\s+{_YEAR}\b)?|h[12]\b(?:\s+{_YEAR}\b)?"
          rf"|fy\s?\d{{2,4}}\b|(?:week|wk|month|day|sprint)\s?\d+\b|\d{{4}}-\d{{2}}-\d{{2}}\b"
          rf"|\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?\b|{_YEAR}\b(?!\s*(?:%|[a-z]{{2,}})))")
_EDGE = r"(?:(?:the\s+)?(?:end|close|middle|start|beginning)\s+of\s+(?:the\s+)?|mid[- ]?|early\s+|late\s+|the\s+)"
_DEADLINE = re.compile(
    rf"\b(?:by|before|until|till|no later than|in|during|within|on|at|for)\s+{_EDGE}?(?:{_POINT}|{_PERIOD}\b)"
    rf"|\b(?:end|close)\s+of\s+(?:the\s+)?(?:{_POINT}|{_PERIOD}\b)"
    rf"|\b(?:this|next)\s+{_PERIOD}\b"
    rf"|\b(?:year|quarter|cycle|month)[- ]end\b"
    rf"|\bq[1-4]\b")
# Time words that are not deadlines but whose numbers are not measures either ("4 last quarter").
_OTHER_DATES = re.compile(
    rf"\b(?:last|previous|past|same)\s+{_PERIOD}\b|\b{_MONTH_DAY}|\b(?:h[12])\b(?:\s+{_YEAR})?|\bfy\s?\d{{2,4}}\b"
    rf"|\b(?:week|wk|month|sprint|day)\s?\d+\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b"
    rf"|\b(?:in|since|during|as of)\s+(?:{_MONTH}\s+)?{_YEAR}\b")
_NAMES = re.compile(r"\b(?!FY|USD|EUR|GBP|CHF|AUD|CAD)[A-Z]{2,}[- ]?\d+(?:[.:]\d+)*\b(?!\s?(?:%|percent|per cent))")
_NUMBER = re.compile(r"(?<![\w.])[-+]?\d+(?:\.\d+)?")
_CURRENCY = re.compile(r"[$€£¥₹]\s?\d|\d\s?(?:dollars?|euros?|pounds?|usd|eur|gbp|chf|yen|rupees?)\b"
                       r"|\b(?:usd|eur|gbp|chf|aud|cad)\s?\d")
_MULTIPLIER = re.compile(r"(?<![\w.])x\s?\d+(?:\.\d+)?\b|(?<![\w.])\d+(?:\.\d+)?\s?x\b")
_COMPARISON = re.compile(
    r"\b(?:at least|at most|more than|less than|fewer than|over|under|below|above|up to|no more than|"
    r"no less than|within)\s*[$€£¥₹]?\d|(?<![\w.])\d+(?:\.\d+)?%?\s+or\s+(?:more|fewer|less|better|higher|"
    r"lower|above|below)\b")
_FROM_TO = re.compile(
    r"\bfrom\s+(?:\S+\s+){0,3}?[-+~]?[$€£¥₹]?\d[^;]{0,60}?\b(?:to|into)\s+(?:\S+\s+){0,3}?[-+~]?[$€£¥₹]?\d"
    r"|\d%?\s*(?:->|=>|→)\s*[$€£¥₹]?\d")
_STARTING_POINT = re.compile(
    r"\b(?:currently|today|as of|baseline|up from|down from|compared (?:to|with)|vs\.?|versus)\b[^;]{0,40}?\d"
    r"|\bfrom\s+[-+~]?[$€£¥₹]?\d"
    r"|\d\S*\s+(?:today|now|currently|at present|last (?:quarter|year|cycle|month|week))\b"
    # a change against a named earlier period has a known starting point ("12% below last year")
    r"|\b(?:versus|vs\.?|compared (?:to|with)|than|over|against|on)\s+(?:the\s+)?(?:last|previous|prior|same)\s+"
    r"(?:quarter|year|cycle|month|week|period|season)\b")
_HOLD_LIMIT = re.compile(
    r"\b(?:at|above|below|under|over|within|at least|at most|no more than|no less than|less than|more than|"
    r"greater than)\s*[$€£¥₹]?\d|\b(?:steady|stable|flat|constant|unchanged|the same)\b"
    r"|\bwithin\s+(?:the\s+|our\s+)?(?:\w+\s+){0,2}(?:budget|limit|sla|range|threshold|tolerance|target)s?\b"
    r"|\d%?\s+or\s+(?:better|above|below|higher|lower|more|less)\b")
_RANK = re.compile(r"(?:\bnumber|\bno\.?|#)\s?1\b")
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+(?:\.\d+)?%?")
_ABBREVIATIONS = re.compile(r"\b(e\.g|i\.e|etc|vs|approx|incl|no|mr|mrs|ms|dr|st|cf|inc|ltd)\.", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:kr\s?\d*\s*[:.)-]|\d+[.)]|[-•*])\s*", re.IGNORECASE)


def word_forms(word: str) -> set[str]:
    """The plain forms a word may come from: 'launching' → launch, 'stays' → stay, 'held' → hold."""
    word = word.lower()
    forms = {word}
    if word in _IRREGULAR:
        forms.add(_IRREGULAR[word])
    if word.endswith("ies") and len(word) > 4:
        forms.add(word[:-3] + "y")
    if word.endswith("es") and len(word) > 3:
        forms.add(word[:-2])
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        forms.add(word[:-1])
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[:-len(suffix)]
            forms |= {stem, stem + "e"}
            if stem[-1] == stem[-2]:
                forms.add(stem[:-1])
            if suffix == "ed" and stem.endswith("i"):
                forms.add(stem[:-1] + "y")
    return forms


def _format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _words_to_digits(text: str) -> str:
    tokens = list(re.finditer(r"[a-z]+", text))
    pieces, last, i = [], 0, 0
    while i < len(tokens):
        j, words = i, []
        while j < len(tokens):
            word = tokens[j].group()
            if j > i and not re.fullmatch(r"\s+|\s*-\s*", text[tokens[j - 1].end():tokens[j].start()]):
                break
            if word in _NUMBER_WORDS:
                words.append(word)
            elif word == "a" and j == i and j + 1 < len(tokens) and tokens[j + 1].group() in _SCALES:
                words.append("one")  # "a hundred", "a million"
            elif not (word == "and" and words and words[-1] in _SCALES and j + 1 < len(tokens)
                      and tokens[j + 1].group() in _UNITS.keys() | _TENS.keys()):
                break
            j += 1
        if not any(word in _NUMBER_WORDS for word in words[1:] + ([] if tokens[i].group() == "a" else words[:1])):
            i += 1
            continue
        total, current = 0, 0
        for word in words:
            if word == "hundred":
                current = (current or 1) * 100
            elif word in _SCALES:
                total, current = total + (current or 1) * _SCALES[word], 0
            else:
                current += _NUMBER_WORDS[word]
        pieces += [text[last:tokens[i].start()], str(total + current)]
        last, i = tokens[j - 1].end(), j
    return "".join(pieces) + text[last:]


def _scale(match: re.Match) -> str:
    return _format_number(float(match.group(1)) * _SUFFIX_SCALES[match.group(2)])


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """Lower-case text with numbers as digits: 'twenty per cent' → '20%', '$24 million' → '$24000000'."""
    text = _NAMES.sub(" ", text or "")  # "ISO 27001", "SOC 2", "COVID-19" name things; they measure nothing
    text = text.lower().translate(_CHARS)
    text = re.sub(r"\bno[- ]one\b", "nobody", text)
    text = re.sub(r"\b24/7\b", "always", text)
    text = re.sub(r"(\d),(?=\d{3}(?!\d))", r"\1", text)
    text = re.sub(r"(\d+(?:\.\d+)?)\s*(thousand|million|billion)\b", _scale, text)
    text = _words_to_digits(text)
    text = re.sub(r"(\d+(?:\.\d+)?)(k|m|mn|bn|b)\b", _scale, text)
    text = re.sub(r"(\d)\s*(?:%|percent\b|per\s+cent\b|pct\b|percentage\s+points?\b|pp\b)", r"\1%", text)
    return re.sub(r"\s+", " ", text).strip()


def _without_dates(text: str) -> str:
    for pattern in (_DEADLINE, _OTHER_DATES):
        text = pattern.sub(" ", text)
    return text


@dataclass(frozen=True)
class _Facts:
    norm: str          # normalised
    plain: str         # normalised, dates taken out
    tokens: tuple[str, ...]
    forms: tuple[frozenset, ...]

    def find(self, phrase: str) -> list[int]:
        """Where a listed word or phrase starts, in any of its forms."""
        words = phrase.lower().replace("-", " ").split()
        return [i for i in range(len(self.tokens) - len(words) + 1)
                if all(w in self.forms[i + k] for k, w in enumerate(words))]

    def has_any(self, phrases) -> str | None:
        """The first listed word or phrase the text contains, or None."""
        return next((p for p in phrases if self.find(p)), None)

    def lead(self) -> int:
        """Index of the first word that carries meaning (after 'We will', 'To', bullets)."""
        i = 0
        while i < len(self.tokens) and self.tokens[i] in _FILLER:
            i += 1
        return i

    def starts_with(self, phrases) -> str | None:
        """The listed word or phrase the text leads with, or None."""
        lead = self.lead()
        return next((p for p in phrases if lead in self.find(p)), None)

    def number_after(self, index: int) -> bool:
        """A measure (a number that is not a date) follows the word at index."""
        return any(t[0].isdigit() for t in self.tokens[index + 1:])


@lru_cache(maxsize=4096)
def _facts(text: str) -> _Facts:
    norm = normalise(_BULLET.sub("", text or ""))
    plain = _without_dates(norm)
    tokens = tuple(_TOKEN.findall(plain.replace("-", " ")))
    return _Facts(norm, plain, tokens, tuple(frozenset(word_forms(t)) for t in tokens))


def numbers(text: str) -> list[float]:
    """The numbers in text that are not dates, words included: 'three hundred' → 300."""
    return [float(n) for n in _NUMBER.findall(_facts(text).plain)]


def has_number(text: str) -> bool:
    """True if text states a number other than a date."""
    return bool(numbers(text))


def has_percentage(text: str) -> bool:
    """True for '60 %', '60%', '60 percent', 'sixty per cent'."""
    return bool(re.search(r"\d%", _facts(text).plain))


def has_currency(text: str) -> bool:
    """True for '$24 million', '€3k', '£4,800', '500 dollars', 'USD 20'."""
    return bool(_CURRENCY.search(_facts(text).plain))


def has_multiplier(text: str) -> bool:
    """True for 'x2', '2x', '3×'."""
    return bool(_MULTIPLIER.search(_facts(text).plain))


def has_deadline(text: str) -> bool:
    """True for 'by end of Q2', 'by August 30', 'by week 6', 'by the end of the quarter', 'this cycle'."""
    return bool(_DEADLINE.search(_facts(text).norm))


def has_starting_point(text: str) -> bool:
    """True if text says where the measure starts: 'from 22% to 30%', 'currently 4', '12 today'."""
    facts = _facts(text)
    return bool(_FROM_TO.search(facts.plain) or _STARTING_POINT.search(facts.norm))


def sentences(text: str, min_words: int = 3) -> list[str]:
    """The sentences in text (lines count as sentences), ignoring fragments under min_words words."""
    text = _ABBREVIATIONS.sub(lambda m: m.group(1), (text or "").strip())
    parts = re.split(r"(?<=[.!?])\s+|\n+", text)
    return [p.strip() for p in parts if len(re.findall(r"[^\W_]+", p)) >= min_words]


# --- the tests behind the rules -------------------------------------------------------------------

@dataclass(frozen=True)
class _KeyResultItem:
    fields: KeyResultFields
    facts: _Facts
    siblings: tuple[KeyResultFields, ...]


@dataclass(frozen=True)
class _ObjectiveItem:
    fields: ObjectiveFields
    facts: _Facts
    key_results: tuple[KeyResultFields, ...]
    team_kind: str


def _has_measure(item: _KeyResultItem, vocabulary: dict) -> bool:
    kr = item.fields
    return (kr.target is not None or kr.baseline is not None or has_number(kr.text) or has_multiplier(kr.text)
            or item.facts.has_any(vocabulary["relative_words"]) is not None)


def _has_outcome(facts: _Facts, text: str, vocabulary: dict) -> bool:
    """A measured result is named: a percentage, money, a multiple, a from-to, a limit, or a change to a number."""
    if has_percentage(text) or has_currency(text) or has_multiplier(text) or has_starting_point(text):
        return True
    if facts.has_any(vocabulary["relative_words"]) or _COMPARISON.search(facts.plain):
        return True
    return any(facts.number_after(i) for phrase in (*vocabulary["change_words"], *vocabulary["outcome_markers"])
               for i in facts.find(phrase))


def _reads_like_task(facts: _Facts, verbs, nouns) -> bool:
    if facts.starts_with(verbs) or facts.starts_with(nouns):
        return True
    lead = facts.lead()
    for verb in verbs:
        for i in facts.find(verb):
            token = facts.tokens[i]
            passive = token.endswith("ed") or token in _PARTICIPLES
            if i != lead and passive and (i == 0 or facts.tokens[i - 1] not in _NOT_PASSIVE_AFTER):
                return True
    return False


def _task_like(rule: Rule, item: _KeyResultItem, book: RuleBook, params: DeploymentParameters):
    if item.fields.kr_type in rule.params["skip_types"]:
        return None
    if not _reads_like_task(item.facts, rule.params["verbs"], rule.params["nouns"]):
        return None
    return None if _has_outcome(item.facts, item.fields.text, book.vocabulary) else {}


def _vague_kr(rule: Rule, item: _KeyResultItem, book: RuleBook, params: DeploymentParameters):
    if item.fields.kr_type in rule.params["skip_types"]:
        return None
    word = item.facts.has_any(rule.params["words"])
    return {"word": word} if word and not _has_measure(item, book.vocabulary) else None


def _holds_a_level(facts: _Facts, verbs) -> bool:
    for verb in verbs:
        for i in facts.find(verb):
            after = facts.tokens[i + 1:i + 12]
            # "hold 6 clinics" counts things done; a level is held when a measure follows the verb
            if after and after[0][0].isdigit():
                continue
            if _HOLD_LIMIT.search(" ".join(after)):
                return True
    return False


def _health_kr(rule: Rule, item: _KeyResultItem, book: RuleBook, params: DeploymentParameters):
    kr = item.fields
    if kr.kr_type == "metric" and kr.baseline is not None and kr.baseline == kr.target:
        return {}
    if _FROM_TO.search(item.facts.plain):
        return None
    if _holds_a_level(item.facts, rule.params["verbs"]):
        return {}
    promises_change = item.facts.has_any(book.vocabulary["change_words"])
    return {} if item.facts.has_any(rule.params["limit_phrases"]) and not promises_change else None


def _metric_no_number(rule: Rule, item: _KeyResultItem, book: RuleBook, params: DeploymentParameters):
    return {} if item.fields.kr_type == "metric" and not _has_measure(item, book.vocabulary) else None


def _metric_no_baseline(rule: Rule, item: _KeyResultItem, book: RuleBook, params: DeploymentParameters):
    kr = item.fields
    if kr.kr_type != "metric" or kr.baseline is not None or has_starting_point(kr.text):
        return None
    if item.facts.has_any(rule.params["implied_zero_words"]):
        return None
    return {} if _has_measure(item, book.vocabulary) else None


def _kr_no_date(rule: Rule, item: _KeyResultItem, book: RuleBook, params: DeploymentParameters):
    kr = item.fields
    return {} if kr.kr_type in rule.params["types"] and kr.due is None and not has_deadline(kr.text) else None


def _baseline_no_measure(rule: Rule, item: _KeyResultItem, book: RuleBook, params: DeploymentParameters):
    kr = item.fields
    if kr.kr_type != "baseline" or kr.unit.strip() or has_percentage(kr.text):
        return None
    return None if item.facts.has_any(book.vocabulary["measure_words"]) else {}


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
    plain = _RANK.sub(" ", item.facts.plain)  # "be the number one choice" is an aspiration, not a target
    if _NUMBER.search(plain) or _MULTIPLIER.search(plain) or _CURRENCY.search(plain):
        return {}
    return {} if item.facts.has_any(book.vocabulary["relative_words"]) else None


def _objective_routine(rule: Rule, item: _ObjectiveItem, book: RuleBook, params: DeploymentParameters):
    facts = item.facts
    if facts.starts_with(rule.params["verbs"]) or facts.has_any(rule.params["phrases"]):
        return {}
    health = next((r for r in book.rules if r.id == "health_kr"), None)
    level_verbs = health.params["verbs"] if health else ("keep", "maintain", "stay", "remain")
    return {} if _holds_a_level(facts, level_verbs) else None


def _objective_is_task(rule: Rule, item: _ObjectiveItem, book: RuleBook, params: DeploymentParameters):
    return {} if item.facts.starts_with(rule.params["verbs"]) else None


def _why_now_missing(rule: Rule, item: _ObjectiveItem, book: RuleBook, params: DeploymentParameters):
    return {} if not item.fields.why_now.strip() else None


def _why_now_short(rule: Rule, item: _ObjectiveItem, book: RuleBook, params: DeploymentParameters):
    why_now = item.fields.why_now.strip()
    if not why_now:
        return None
    return {} if len(sentences(why_now, rule.params["min_words"])) < rule.params["min_sentences"] else None


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
    "kr_no_date": _kr_no_date, "baseline_no_measure": _baseline_no_measure,
    "milestone_not_allowed": _milestone_not_allowed, "milestones_majority": _milestones_majority,
    "kr_no_champion": _kr_no_champion,
}
_OBJECTIVE_TESTS = {
    "objective_has_metric": _objective_has_metric, "objective_routine": _objective_routine,
    "objective_is_task": _objective_is_task, "why_now_missing": _why_now_missing,
    "why_now_short": _why_now_short, "too_few_key_results": _too_few_key_results,
    "too_many_key_results": _too_many_key_results, "contributes_to_nothing": _contributes_to_nothing,
}
_TEAM_TESTS = {"too_many_objectives": _too_many_objectives}
_TOP_TESTS = {"top_objective_unsupported": _top_objective_unsupported}
_DEPENDENCY_TESTS = {"dependency_unanswered": _dependency("requested"),
                     "dependency_declined": _dependency("declined")}


def _ask(book: RuleBook, tests: dict, item, params: DeploymentParameters) -> list[Question]:
    """Run the rules that have a test here, drop those another firing rule already covers, in file order."""
    values = {"max_objectives": params.max_objectives, "min_key_results": params.min_key_results,
              "max_key_results": params.max_key_results}
    raised = []
    for rule in book.rules:
        if rule.id not in tests:
            continue
        found = tests[rule.id](rule, item, book, params)
        if found is None or found == []:
            continue
        raised.append((rule, found if isinstance(found, list) else [found]))
    fired = {rule.id for rule, _ in raised}
    questions = []
    for rule, found in raised:
        if fired & set(rule.unless):
            continue
        for extra in found:
            filled = {**values, **rule.params, **extra}
            questions.append(Question(rule.id, rule.question.format(**filled), rule.looks_at,
                                      rule.reason.format(**filled)))
    return questions


# --- the review -----------------------------------------------------------------------------------

def for_key_result(kr: KeyResultFields, siblings: list[KeyResultFields], params: DeploymentParameters,
                   *, rules: RuleBook | None = None) -> list[Question]:
    """Questions one key result raises; siblings are all key results of its objective, itself included."""
    item = _KeyResultItem(kr, _facts(kr.text), tuple(siblings))
    return _ask(rules or default_rules(), _KEY_RESULT_TESTS, item, params)


def for_objective(objective: ObjectiveFields, key_results: list[KeyResultFields], params: DeploymentParameters,
                  team_kind: str, *, rules: RuleBook | None = None) -> list[Question]:
    """Questions an objective raises: its wording, Why now?, how many key results, what it contributes to."""
    item = _ObjectiveItem(objective, _facts(objective.text), tuple(key_results), team_kind)
    return _ask(rules or default_rules(), _OBJECTIVE_TESTS, item, params)


def for_team(objective_count: int, params: DeploymentParameters, *, rules: RuleBook | None = None) -> list[Question]:
    """Questions about a team's draft as a whole (how many objectives)."""
    return _ask(rules or default_rules(), _TEAM_TESTS, objective_count, params)


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
              rules: RuleBook | None = None) -> DraftReview:
    """Every open question on one team's draft; dependency_statuses maps key result id → statuses."""
    book = rules or default_rules()
    questions: dict[tuple[str, int], tuple[Question, ...]] = {}
    _collect(questions, ("team", draft.team.id), for_team(len(draft.objectives), params, rules=book))
    for objective in draft.objectives:
        siblings = [kr.fields for kr in objective.key_results]
        _collect(questions, ("objective", objective.id),
                 for_objective(objective.fields, siblings, params, draft.team.kind, rules=book))
        for kr in objective.key_results:
            found = for_key_result(kr.fields, siblings, params, rules=book)
            if dependency_statuses:
                found += for_dependencies(dependency_statuses.get(kr.id, []), params, rules=book)
            _collect(questions, ("key_result", kr.id), found)
    return DraftReview(questions, sum(len(q) for q in questions.values()))


def for_engagement(all_drafts: list[drafts.Draft], params: DeploymentParameters,
                   dependency_statuses: dict[int, list] | None = None, *,
                   rules: RuleBook | None = None) -> DraftReview:
    """Every team's questions, plus top-level objectives no team objective contributes to."""
    book = rules or default_rules()
    questions: dict[tuple[str, int], tuple[Question, ...]] = {}
    for draft in all_drafts:
        questions.update(for_draft(draft, params, dependency_statuses, rules=book).questions)
    team_objectives = [o for d in all_drafts if d.team.kind != "top" for o in d.objectives]
    if team_objectives:
        for draft in (d for d in all_drafts if d.team.kind == "top"):
            for objective in draft.objectives:
                supporters = sum(objective.id in o.fields.contributes_to for o in team_objectives)
                _collect(questions, ("objective", objective.id), for_top_objective(supporters, params, rules=book))
    return DraftReview(questions, sum(len(q) for q in questions.values()))


# --- exports: CSV and JSON backup -----------------------------------------------------------------

_STATUS_SUFFIX = re.compile(r"^(.*?)\s*\((requested|accepted|declined)\)\s*$", re.IGNORECASE)


def _number(value, where: str) -> float | None:
    if value is None or isinstance(value, (int, float)) and not isinstance(value, bool):
        return None if value is None else float(value)
    written = _text(value, where)
    if not written:
        return None
    digits = written.replace(",", "") if re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?", written) else written
    try:
        number = float(digits)
    except ValueError:
        raise InputError(f"{where}: '{written}' is not a number (write e.g. 22 or 1.8, no units).") from None
    if math.isnan(number) or abs(number) > 1e15:
        raise InputError(f"{where}: '{written}' is not an ordinary number.")
    return number


def _due(value, where: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    text = _text(value, where)
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{where}: '{text}' is not a date; write it as YYYY-MM-DD.") from None


def _text(value, where: str) -> str:
    """The value as the app would store it: control characters out, within the app's length limit."""
    if value is None:
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise InputError(f"{where}: expected text.")
    return clean(str(value), f"{where}:")


def _list(value, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split(";")
    if isinstance(value, (list, tuple)):
        return [part for part in (_text(v, where) for v in value) if part]
    raise InputError(f"{where}: expected a list joined with '; '.")


def _row(raw: dict, where) -> dict:
    """One row in the export format with typed values; where(field) names the place for messages."""
    row = {name: _text(raw.get(name), where(name)) for name in
           ("team", "team_kind", "objective", "why_now", "key_result", "unit", "champion")}
    for name in ("team", "objective"):
        if not row[name]:
            raise InputError(f"{where(name)}: is empty.")
    if row["team_kind"] and row["team_kind"] not in TEAM_KINDS:
        raise InputError(f"{where('team_kind')}: '{row['team_kind']}' is not one of {', '.join(TEAM_KINDS)}.")
    written = _text(raw.get("kr_type"), where("kr_type"))
    kr_type = written.lower() or "metric"
    if kr_type not in KR_TYPES:
        raise InputError(f"{where('kr_type')}: '{written}' is not one of {', '.join(KR_TYPES)}.")
    row["kr_type"] = kr_type
    row["baseline"] = _number(raw.get("baseline"), where("baseline"))
    row["target"] = _number(raw.get("target"), where("target"))
    row["due"] = _due(raw.get("due"), where("due"))
    row["contributes_to"] = _list(raw.get("contributes_to"), where("contributes_to"))
    row["depends_on"] = _list(raw.get("depends_on"), where("depends_on"))
    return row


def _read_csv(path: Path, content: str) -> list[dict]:
    # newline="" as the csv module asks: only \r and \n end a record, so a value holding U+2028, a form
    # feed or a quoted line break stays one value (str.splitlines would cut the row there).
    reader = csv.reader(io.StringIO(content, newline=""))
    header = [name.strip() for name in next((values for values in reader if values), [])]
    if not header:
        raise InputError(f"{path.name}: the file is empty; the first line must name the columns "
                         f"({','.join(CSV_COLUMNS)}).")
    missing = [name for name in CSV_COLUMNS if name not in header]
    if missing:
        raise InputError(f"{path.name}, line {reader.line_num}: missing column(s) {', '.join(missing)}; "
                         f"the header must name {','.join(CSV_COLUMNS)}.")
    rows, start = [], reader.line_num + 1
    for values in reader:
        # reader.line_num is the line a record ends on; a quoted value with line breaks spans several.
        line, start = start, reader.line_num + 1
        if len(values) > len(header):
            raise InputError(f"{path.name}, line {line}: more values than columns; quote values that "
                             f"contain commas.")
        if not any(value.strip() for value in values):
            continue
        rows.append(_row(dict(zip(header, values)),
                         lambda name, line=line: f"{path.name}, line {line}, field '{name}'"))
    return rows


def _read_backup(path: Path, content: str) -> tuple[list[dict], DeploymentParameters]:
    """Restore the backup into a scratch store and read it as the CSV export would, answers included."""
    checked = backup.read_backup(content.encode("utf-8"), path.name)
    with tempfile.TemporaryDirectory(prefix="okrcoach-review-") as folder:
        scratch = Store(Path(folder) / "review.db")
        engagement = backup.restore(scratch, checked, path.name)
        rows = csv_export.rows(scratch, engagement, with_answers=True)
    where = lambda n: lambda name: f"{path.name}, row {n}, field '{name}'"  # noqa: E731
    return [_row(row, where(n)) for n, row in enumerate(rows, start=1)], engagement.params


def read_export_with_params(path) -> tuple[list[dict], DeploymentParameters | None]:
    """Rows from a CSV export or a JSON backup, and the deployment parameters if the backup carries them."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as file:  # line ends as written, for the csv module
            content = file.read()
    except UnicodeDecodeError:
        raise InputError(f"{path.name}: not UTF-8 text; save it as CSV UTF-8 and try again.") from None
    except OSError as error:
        raise InputError(f"{path.name}: cannot be read ({error.strerror or error}).") from None
    if path.suffix.lower() == ".json" or content.lstrip().startswith("{"):
        return _read_backup(path, content)
    return _read_csv(path, content), None


def read_export(path) -> list[dict]:
    """Rows (one per key result, or per objective without key results) from a CSV export or JSON backup."""
    return read_export_with_params(path)[0]


def _dependency_answer(entry: str) -> tuple[str, str]:
    match = _STATUS_SUFFIX.match(entry)
    # An export that does not say how the other team answered is treated as not answered yet.
    return (match.group(1).strip(), match.group(2).lower()) if match else (entry, "requested")


def review_rows(rows: list[dict], params: DeploymentParameters, *, rules: RuleBook | None = None) -> list[dict]:
    """Review export rows: one item per team, per objective and per key result row, with its questions."""
    book = rules or default_rules()
    rows = [_row(raw, lambda name, n=n: f"row {n}, field '{name}'") for n, raw in enumerate(rows, start=1)]
    teams: dict[str, dict] = {}
    for row in rows:
        team = teams.setdefault(row["team"], {"kind": "", "objectives": {}})
        team["kind"] = team["kind"] or row["team_kind"]
        objective = team["objectives"].setdefault(
            row["objective"], {"why_now": "", "contributes_to": [], "key_results": []})
        objective["why_now"] = objective["why_now"] or row["why_now"]
        objective["contributes_to"] += [c for c in row["contributes_to"] if c not in objective["contributes_to"]]
        if row["key_result"]:
            objective["key_results"].append(row)
    # A CSV has no team kind: a team whose objectives others contribute to is a top-level team.
    supported = {text for team in teams.values() for o in team["objectives"].values() for text in o["contributes_to"]}
    for team in teams.values():
        if not team["kind"]:
            team["kind"] = "top" if supported & set(team["objectives"]) else "team"
    has_team_objectives = any(t["kind"] != "top" and t["objectives"] for t in teams.values())
    items = []

    def item(team: str, objective: str | None, key_result: str | None, questions: list[Question]) -> None:
        items.append({"team": team, "objective": objective, "key_result": key_result,
                      "questions": [{"rule": q.rule, "question": q.question} for q in questions]})

    for team_name, team in teams.items():
        item(team_name, None, None, for_team(len(team["objectives"]), params, rules=book))
        for text, objective in team["objectives"].items():
            krs = [KeyResultFields(text=r["key_result"], kr_type=r["kr_type"], baseline=r["baseline"],
                                   target=r["target"], unit=r["unit"], due=r["due"], champion=r["champion"])
                   for r in objective["key_results"]]
            fields = ObjectiveFields(text=text, why_now=objective["why_now"],
                                     contributes_to=tuple(range(1, len(objective["contributes_to"]) + 1)))
            found = for_objective(fields, krs, params, team["kind"], rules=book)
            if team["kind"] == "top" and has_team_objectives:
                found += for_top_objective(int(text in supported), params, rules=book)
            item(team_name, text, None, found)
            for row, kr in zip(objective["key_results"], krs, strict=True):
                answers = [_dependency_answer(entry) for entry in row["depends_on"]]
                item(team_name, text, row["key_result"],
                     for_key_result(kr, krs, params, rules=book) + for_dependencies(answers, params, rules=book))
    return items
