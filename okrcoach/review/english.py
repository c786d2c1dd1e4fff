"""Reading what people write, in English: numbers as words, percentages, money, dates, deadlines, sentences."""

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from okrcoach.content.rules import Vocabulary
from okrcoach.humanize import figure

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
    return figure(float(match.group(1)) * _SUFFIX_SCALES[match.group(2)])


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


@lru_cache(maxsize=4096)
def _phrase_words(phrase: str) -> tuple[str, ...]:
    return tuple(phrase.lower().replace("-", " ").split())


@dataclass(frozen=True)
class TextFacts:
    """A text read once: normalised, dates taken out, and its words in every form they may come from."""

    norm: str          # normalised
    plain: str         # normalised, dates taken out
    tokens: tuple[str, ...]
    forms: tuple[frozenset, ...]

    @cached_property
    def _starts(self) -> dict[str, list[int]]:
        # Word form → where it occurs: rules look up hundreds of listed phrases in the same text.
        where: dict[str, list[int]] = {}
        for i, forms in enumerate(self.forms):
            for form in forms:
                where.setdefault(form, []).append(i)
        return where

    def find(self, phrase: str) -> list[int]:
        """Where a listed word or phrase starts, in any of its forms."""
        first, *rest = _phrase_words(phrase) or ("",)
        return [i for i in self._starts.get(first, ()) if i + len(rest) < len(self.tokens)
                and all(w in self.forms[i + k] for k, w in enumerate(rest, start=1))]

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
def facts_of(text: str) -> TextFacts:
    """The text read once for every rule that looks at it."""
    norm = normalise(_BULLET.sub("", text or ""))
    plain = _without_dates(norm)
    tokens = tuple(_TOKEN.findall(plain.replace("-", " ")))
    return TextFacts(norm, plain, tokens, tuple(frozenset(word_forms(t)) for t in tokens))


def numbers(text: str) -> list[float]:
    """The numbers in text that are not dates, words included: 'three hundred' → 300."""
    return [float(n) for n in _NUMBER.findall(facts_of(text).plain)]


def has_number(text: str) -> bool:
    """True if text states a number other than a date."""
    return bool(numbers(text))


def has_percentage(text: str) -> bool:
    """True for '60 %', '60%', '60 percent', 'sixty per cent'."""
    return bool(re.search(r"\d%", facts_of(text).plain))


def has_currency(text: str) -> bool:
    """True for '$24 million', '€3k', '£4,800', '500 dollars', 'USD 20'."""
    return bool(_CURRENCY.search(facts_of(text).plain))


def has_multiplier(text: str) -> bool:
    """True for 'x2', '2x', '3×'."""
    return bool(_MULTIPLIER.search(facts_of(text).plain))


def has_deadline(text: str) -> bool:
    """True for 'by end of Q2', 'by August 30', 'by week 6', 'by the end of the quarter', 'this cycle'."""
    return bool(_DEADLINE.search(facts_of(text).norm))


def has_starting_point(text: str) -> bool:
    """True if text says where the measure starts: 'from 22% to 30%', 'currently 4', '12 today'."""
    facts = facts_of(text)
    return bool(_FROM_TO.search(facts.plain) or _STARTING_POINT.search(facts.norm))


def sentences(text: str, min_words: int = 3) -> list[str]:
    """The sentences in text (lines count as sentences), ignoring fragments under min_words words."""
    text = _ABBREVIATIONS.sub(lambda m: m.group(1), (text or "").strip())
    parts = re.split(r"(?<=[.!?])\s+|\n+", text)
    return [p.strip() for p in parts if len(re.findall(r"[^\W_]+", p)) >= min_words]


def states_from_to(facts: TextFacts) -> bool:
    """The text moves a measure from one number to another ('from 22% to 30%', '4 -> 3')."""
    return bool(_FROM_TO.search(facts.plain))


def states_a_figure(facts: TextFacts) -> bool:
    """The text states a number, a multiple or an amount of money; a rank ('number one') is not a figure."""
    plain = _RANK.sub(" ", facts.plain)  # "be the number one choice" is an aspiration, not a target
    return bool(_NUMBER.search(plain) or _MULTIPLIER.search(plain) or _CURRENCY.search(plain))


def names_an_outcome(facts: TextFacts, text: str, vocabulary: Vocabulary) -> bool:
    """A measured result is named: a percentage, money, a multiple, a from-to, a limit, or a change to a number."""
    if has_percentage(text) or has_currency(text) or has_multiplier(text) or has_starting_point(text):
        return True
    if facts.has_any(vocabulary.relative_words) or _COMPARISON.search(facts.plain):
        return True
    return any(facts.number_after(i) for phrase in (*vocabulary.change_words, *vocabulary.outcome_markers)
               for i in facts.find(phrase))


def reads_like_task(facts: TextFacts, verbs, nouns) -> bool:
    """The text leads with a task verb or noun, or reports one as done ('portal built')."""
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


def holds_a_level(facts: TextFacts, verbs) -> bool:
    """A level-keeping verb is followed by a limit ('keep uptime above 99.9%')."""
    for verb in verbs:
        for i in facts.find(verb):
            after = facts.tokens[i + 1:i + 12]
            # "hold 6 clinics" counts things done; a level is held when a measure follows the verb
            if after and after[0][0].isdigit():
                continue
            if _HOLD_LIMIT.search(" ".join(after)):
                return True
    return False
