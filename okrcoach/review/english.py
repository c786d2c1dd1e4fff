"""Reading what people write, in English: numbers as words, percentages, money, dates, deadlines, sentences."""

import re
from dataclasses import dataclass
from functools import lru_cache

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
# A participle after these words is not a report of work done ("staff who completed the course").
_NOT_PASSIVE_AFTER = {"who", "that", "which", "have", "has", "had", "we", "they", "you"}
# British and American spellings are one word to the rules: "organise" is "organize".
_SPELLINGS = ((re.compile(r"(?<=\w\w)is(e|es|ed|ing|ation|ations|er|ers)$"), r"iz\1"),
              (re.compile(r"(?<=\w)ys(e|es|ed|ing)$"), r"yz\1"),
              (re.compile(r"(?<=\w\w)our(s|ed|ing)?$"), r"or\1"),
              (re.compile(r"^programme(s|d)?$"), r"program\1"),
              (re.compile(r"^(cent|met|lit|theat|fib)re(s|d)?$"), r"\1er\2"),
              (re.compile(r"(?<=\w)ell(ed|ing|er|ers)$"), r"el\1"),
              (re.compile(r"(?<=\w\w)ogue(s)?$"), r"og\1"))
# Words a determiner, possessive or number follows when they lead as a verb: "Digitalise the ...".
_OBJECT_STARTS = {"the", "a", "an", "our", "all", "every", "each", "their", "its", "this", "these", "those",
                  "my", "your", "his", "her", "some", "more", "new", "out", "up", "off", "down", "over"}
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
    r"greater than)\s*(?:(?:the|our|a|an)\s+)?[$€£¥₹]?\d|\b(?:steady|stable|flat|constant|unchanged|the same)\b"
    r"|\bwithin\s+(?:the\s+|our\s+)?(?:\w+\s+){0,2}(?:budget|limit|sla|range|threshold|tolerance|target)s?\b"
    r"|\d%?\s+or\s+(?:better|above|below|higher|lower|more|less)\b")
# A whole number right after a name and before a colon, "of" or the end names a thing ("objective 1:",
# "segment 0"); after these words it is a measure ("reach 40", "NPS of 40").
_LABEL = re.compile(r"\b([a-z]+)\s+\d+\b(?![.,]\d)(?=\s*(?::|\)|$|of\b|[-,;.]\s))")
_NOT_LABELS = {
    "by", "to", "from", "of", "at", "than", "over", "under", "above", "below", "reach", "reaches", "reached",
    "hit", "hits", "achieve", "achieves", "is", "are", "be", "was", "were", "about", "around", "least", "most",
    "only", "just", "and", "or", "with", "per", "in", "on", "for", "into", "within", "score", "rating", "top",
    "nps", "csat", "enps", "x", "sign", "win", "hire", "hold", "cut", "raise", "increase", "reduce", "grow",
    "lift", "lower", "drop", "double", "get", "make", "add", "open", "serve", "train", "recruit", "welcome",
    "approximately", "roughly", "nearly", "almost", "exactly", "up", "down", "now", "today", "currently", "all",
    "the", "our", "its", "their", "total", "new", "another", "further", "extra", "additional", "vs",
    "usd", "eur", "gbp", "chf", "aud", "cad", "inr", "jpy",
}
_RANK = re.compile(r"(?:\bnumber|\bno\.?|#)\s?1\b|\btop\s\d{1,2}\b(?!\s*%)")
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+(?:\.\d+)?%?")
_ABBREVIATIONS = re.compile(r"\b(e\.g|i\.e|etc|vs|approx|incl|no|mr|mrs|ms|dr|st|cf|inc|ltd)\.", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:kr\s?\d*\s*[:.)-]|\d+[.)]|[-•*])\s*", re.IGNORECASE)


@lru_cache(maxsize=65536)
def american(word: str) -> str:
    """One spelling for British and American forms: 'organising' → 'organizing', 'programme' → 'program'."""
    for pattern, replacement in _SPELLINGS:
        word = pattern.sub(replacement, word)
    return word


@lru_cache(maxsize=1)
def _lemmatizer():
    # lemminflect loads its word tables on first use (about half a second): once, and only when reading text
    import lemminflect
    return lemminflect


@lru_cache(maxsize=65536)
def lemmas(word: str) -> dict[str, tuple[str, ...]]:
    """The plain forms a word may come from, per part of speech: 'held' → {'VERB': ('hold',)}."""
    library = _lemmatizer()
    found = dict(library.getAllLemmas(word))
    if not found and word.isalpha():  # a word the dictionary lacks ("digitalised") is read by its ending
        found = {pos: library.getAllLemmasOOV(word, pos)[pos] for pos in ("VERB", "NOUN")}
        found["UNKNOWN"] = (word,)
    return found


@lru_cache(maxsize=65536)
def word_forms(word: str) -> frozenset[str]:
    """The plain forms a word may come from: 'launching' → launch, 'stays' → stay, 'held' → hold."""
    word = word.lower()
    forms = {word, *(lemma for found in lemmas(word).values() for lemma in found)}
    return frozenset(forms | {american(form) for form in forms})


_MADE_VERBS = ("ise", "ize", "ify", "ised", "ized", "ified", "ising", "izing", "ifying")


def can_be_verb(word: str) -> bool:
    """The word may be a verb; a word the dictionary lacks only when formed as one ('digitalise')."""
    found = lemmas(word.lower())
    return "VERB" in found and ("UNKNOWN" not in found or word.lower().endswith(_MADE_VERBS))


@lru_cache(maxsize=65536)
def verb_lemma(word: str) -> str:
    """The verb a word is a form of, in American spelling ('organising' → 'organize'), or the word."""
    found = lemmas(word.lower()).get("VERB")
    return american(found[0] if found else word.lower())


_ANY_NUMBER_WORD = re.compile(rf"\b(?:{'|'.join(_NUMBER_WORDS)})\b")


def _words_to_digits(text: str) -> str:
    if not _ANY_NUMBER_WORD.search(text):
        return text
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


_FRACTION_WORDS = {"half": 50, "third": 33, "thirds": 67, "quarter": 25, "quarters": 75, "fifth": 20,
                   "fifths": 40, "tenth": 10}
_FRACTIONS = (
    (re.compile(r"\b(from|to)\s+(?:a|one)\s+(half|third|quarter|fifth|tenth)\b(?!\s+of)"),
     lambda m: f"{m.group(1)} {_FRACTION_WORDS[m.group(2)]}%"),
    # "by half", "a third of", "two-thirds of", "three quarters of": a share, read as a percentage
    (re.compile(r"\b(?:by|in)\s+(?:a\s+|one\s+)?(half|third|quarter|fifth|tenth)\b"),
     lambda m: f"by {_FRACTION_WORDS[m.group(1)]}%"),
    (re.compile(r"\b(?:(?:a|one)[\s-]+)?(half|third|quarter|fifth|tenth)\s+of\b"),
     lambda m: f"{_FRACTION_WORDS[m.group(1)]}% of"),
    (re.compile(r"\b(?:two|three|four)[\s-]+(thirds|quarters|fifths)(?:\s+of)?\b"),
     lambda m: f"{_FRACTION_WORDS[m.group(1)]}% of"),
    (re.compile(r"\bhalf\s+(?=the|our|all|its|their|of)(?:of\s+)?"), "50% of "),
)
# "one in five", "1 out of 8": a share
_ONE_IN = re.compile(r"(?<![\w.])(\d+)\s+(?:in|out\s+of)\s+(\d+)\b(?![.%])(?!\s*(?:stores|sites|regions))")
_COMPOUND = re.compile(r"(?<![\w.])\d+(?:\.\d+)?-(?!(?:star|point|fold|percent)\b)([a-z])")


def _one_in(match: re.Match) -> str:
    part, whole = int(match.group(1)), int(match.group(2))
    return f"{round(100 * part / whole, 1):g}%" if 0 < part < whole else match.group(0)


def _scale(match: re.Match) -> str:
    return figure(float(match.group(1)) * _SUFFIX_SCALES[match.group(2)])


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """Lower-case text with numbers as digits: 'twenty per cent' → '20%', '$24 million' → '$24000000'."""
    text = _NAMES.sub(" ", text or "")  # "ISO 27001", "SOC 2", "COVID-19" name things; they measure nothing
    text = text.lower().translate(_CHARS)
    text = re.sub(r"\bno[- ]one\b", "nobody", text)
    text = re.sub(r"\b24/7\b", "always", text)
    text = re.sub(r"\b(re|co|pre)-(?=[a-z])", r"\1", text)  # "re-organise" is "reorganise"
    text = re.sub(r"(\d),(?=\d{3}(?!\d))", r"\1", text)
    text = re.sub(r"(\d+(?:\.\d+)?)\s*(thousand|million|billion)\b", _scale, text)
    for pattern, share in _FRACTIONS:
        text = pattern.sub(share, text)
    text = _words_to_digits(text)
    text = re.sub(r"(\d+(?:\.\d+)?)(k|m|mn|bn|b)\b", _scale, text)
    text = re.sub(r"(\d)\s*(?:%|percent\b|per\s+cent\b|pct\b|percentage\s+points?\b|pp\b)", r"\1%", text)
    text = _ONE_IN.sub(_one_in, text)
    text = _COMPOUND.sub(r"\1", text)  # "two-factor login", "30-day trial": a kind of thing, not a count
    return re.sub(r"\s+", " ", text).strip()


def _without_dates(text: str) -> str:
    for pattern in (_DEADLINE, _OTHER_DATES):
        text = pattern.sub(" ", text)
    return text


@dataclass(frozen=True)
class TextFacts:
    """A text read once: normalised, dates taken out, and its words in every form they may come from."""

    text: str          # as typed
    norm: str          # normalised
    plain: str         # normalised, dates and labels ("objective 1") taken out
    tokens: tuple[str, ...]
    forms: tuple[frozenset, ...]
    places: dict  # each form → where it stands, for find

    def find(self, phrase: str) -> list[int]:
        """Where a listed word or phrase starts, in any of its forms and either spelling."""
        words = _phrase(phrase)
        found = self.places.get(words[0], ()) if words else ()
        if len(words) == 1:
            return list(found)
        return [i for i in found if i + len(words) <= len(self.tokens)
                and all(w in self.forms[i + k] for k, w in enumerate(words[1:], start=1))]

    def has_any(self, phrases) -> str | None:
        """The first listed word or phrase the text contains, or None."""
        index = _by_first_word(tuple(phrases))
        hits = [(order, phrase) for form in self.places for order, phrase in index.get(form, ())
                if self.find(phrase)]
        return min(hits)[1] if hits else None

    def listed_at(self, index: int, phrases) -> list[str]:
        """The listed words or phrases that start at a word, in list order."""
        found = _by_first_word(tuple(phrases))
        hits = {(order, phrase) for form in self.forms[index] for order, phrase in found.get(form, ())
                if index in self.find(phrase)}
        return [phrase for _, phrase in sorted(hits)]

    def lead(self) -> int:
        """Index of the first word that carries meaning (after 'We will', 'To', bullets)."""
        i, tokens = 0, self.tokens
        # "We will", "To", and "be" before a verb's -ing form ("We will be organising ...")
        while i < len(tokens) and (tokens[i] in _FILLER or (
                tokens[i] in ("be", "being") and i + 1 < len(tokens) and tokens[i + 1].endswith("ing"))):
            i += 1
        return i

    def starts_with(self, phrases) -> str | None:
        """The listed word or phrase the text leads with, or None."""
        lead = self.lead()
        return next(iter(self.listed_at(lead, phrases)), None) if lead < len(self.tokens) else None

    def number_after(self, index: int) -> bool:
        """A measure (a number that is not a date) follows the word at index."""
        return any(t[0].isdigit() for t in self.tokens[index + 1:])


@lru_cache(maxsize=256)
def _by_first_word(phrases: tuple[str, ...]) -> dict[str, tuple[tuple[int, str], ...]]:
    index: dict[str, list[tuple[int, str]]] = {}
    for order, phrase in enumerate(phrases):
        words = _phrase(phrase)
        if words:
            index.setdefault(words[0], []).append((order, phrase))
    return {word: tuple(found) for word, found in index.items()}


@lru_cache(maxsize=4096)
def _phrase(phrase: str) -> tuple[str, ...]:
    return tuple(american(w) for w in phrase.lower().replace("-", " ").split())


def _label(match: re.Match) -> str:
    return match.group(0) if match.group(1) in _NOT_LABELS else f"{match.group(1)} #"


@lru_cache(maxsize=8192)
def facts_of(text: str) -> TextFacts:
    """The text read once for every rule that looks at it."""
    norm = normalise(_BULLET.sub("", text or ""))
    plain = _LABEL.sub(_label, _without_dates(norm))
    tokens = tuple(_TOKEN.findall(plain.replace("-", " ")))
    forms = tuple(word_forms(t) for t in tokens)
    places: dict[str, list[int]] = {}
    for i, found in enumerate(forms):
        for form in found:
            places.setdefault(form, []).append(i)
    return TextFacts(text or "", norm, plain, tokens, forms, places)


def forget_texts() -> None:
    """Empty the caches of texts read (the word tables stay): a benchmark reads every text afresh."""
    for cached in (facts_of, normalise, _lead, _numbers, quote):
        cached.cache_clear()


@lru_cache(maxsize=8192)
def _numbers(text: str) -> tuple[float, ...]:
    return tuple(float(n) for n in _NUMBER.findall(facts_of(text).plain))


def numbers(text: str) -> list[float]:
    """The numbers in text that are not dates, words included: 'three hundred' → 300."""
    return list(_numbers(text))


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


_DERIVED = (("isation", "ise"), ("ization", "ize"), ("ation", "ate"), ("ation", "e"), ("ation", ""),
            ("ition", "ite"), ("tion", "te"), ("tion", "e"), ("ion", "e"), ("ion", ""), ("ment", ""),
            ("al", "e"), ("al", ""), ("ery", "er"), ("ure", "e"), ("ysis", "yse"), ("ing", ""))
_PARTICLES = {"out", "up", "off", "over", "in", "down", "back", "on"}


def _verb_of_noun(noun: str) -> str | None:
    """The verb a noun of work comes from: 'implementation' → implement, 'digitalisation' → digitalise."""
    for ending, verb_ending in _DERIVED:
        if noun.endswith(ending) and len(noun) > len(ending) + 2:
            verb = noun[:-len(ending)] + verb_ending
            found = lemmas(verb)
            if "VERB" in found and ("UNKNOWN" not in found or verb.endswith(("ise", "ize"))):
                return verb_lemma(verb)
    return None


@dataclass(frozen=True)
class Lead:
    """The verb a text leads with as an instruction, where it starts, and the word after it."""

    index: int
    verb: str
    after: int  # index of the first word after the verb (and its particle)
    noun_form: bool  # "Implementation of ...", "Roll-out of ..."


@lru_cache(maxsize=8192)
def _lead(text: str) -> Lead | None:
    facts = facts_of(text)
    tokens, i = facts.tokens, facts.lead()
    if i >= len(tokens) or not tokens[i][0].isalpha():
        return None
    token = tokens[i]
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    particle = nxt if nxt in _PARTICLES else ""
    after = i + 1 + bool(particle)
    if after < len(tokens) and tokens[after] == "of":  # a noun of work: "Migration of ...", "Roll-out of ..."
        verb = _verb_of_noun(token) or (verb_lemma(token) if can_be_verb(token) else None)
        if verb:
            return Lead(i, f"{verb} {particle}".strip(), after + 1, True)
    if not can_be_verb(token):
        return None
    # "Board approves ...", "Customers love ...": a subject, not an instruction
    if nxt and not particle and nxt not in _OBJECT_STARTS and can_be_verb(nxt) and nxt.endswith("s") \
            and "NOUN" not in lemmas(nxt):
        return None
    return Lead(i, f"{verb_lemma(token)} {particle}".strip(), after, False)


def lead_verb(facts: TextFacts) -> Lead | None:
    """The verb the text leads with as an instruction or a noun of work ('Roll-out of'), or None."""
    return _lead(facts.text)


def _is_listed(lead: Lead, facts: TextFacts, phrases) -> str | None:
    verb = american(lead.verb)
    first = verb.split()[0] if verb else ""
    for _, phrase in _by_first_word(tuple(phrases)).get(first, ()):
        words = _phrase(phrase)
        if len(words) == 1 or verb == " ".join(words):
            return phrase
    found = facts.listed_at(lead.index, phrases) if lead.index < len(facts.tokens) else []
    return found[0] if found else None


def task_verb(facts: TextFacts, verbs, nouns, not_tasks) -> Lead | None:
    """The lead verb when it names work: listed, or any verb but a change, result or level one taking an object."""
    lead = lead_verb(facts)
    if lead is None:
        return Lead(facts.lead(), "", facts.lead() + 1, True) if facts.starts_with(nouns) else None
    if _is_listed(lead, facts, verbs) or facts.starts_with(nouns):
        return lead
    if _is_listed(lead, facts, not_tasks):
        return None
    if lead.noun_form:
        return lead
    tokens = facts.tokens
    nxt = tokens[lead.after] if lead.after < len(tokens) else ""
    if nxt == "and" and lead.after + 1 < len(tokens) and can_be_verb(tokens[lead.after + 1]):
        second = Lead(lead.after + 1, verb_lemma(tokens[lead.after + 1]), lead.after + 2, False)
        return lead if _is_listed(second, facts, verbs) else None  # "Agree and document ..."
    return lead if nxt in _OBJECT_STARTS or nxt[:1].isdigit() else None


def reports_done(facts: TextFacts, verbs) -> bool:
    """A listed task verb reports work as done after its subject ('portal built', 'records migrated')."""
    lead = facts.lead()
    for i, token in enumerate(facts.tokens):
        if i == lead or token.endswith(("s", "ing")) or "VERB" not in lemmas(token) \
                or (i > 0 and facts.tokens[i - 1] in _NOT_PASSIVE_AFTER):
            continue
        if any(token not in _phrase(verb) for verb in facts.listed_at(i, verbs)):
            return True
    return False


_AFTER_DONE = {"by", "in", "at", "across", "for", "and", "with", "before", "from", "everywhere", "to"}


def states_done(facts: TextFacts, states) -> bool:
    """The text reports something as delivered: 'New CRM live', 'scheme in place by May' (not 'a live run')."""
    for state in states:
        size = len(_phrase(state))
        for i in facts.find(state):
            after = i + size
            if after >= len(facts.tokens) or facts.tokens[after] in _AFTER_DONE:
                return True
    return False


def names_an_outcome(facts: TextFacts, text: str, vocabulary: Vocabulary, *, of_a_task: bool = False) -> bool:
    """A measured result is named (for a task only a share, money or an outcome marker with a number counts)."""
    if has_percentage(text) or has_currency(text):
        return True
    if any(facts.number_after(i) for phrase in vocabulary.outcome_markers for i in facts.find(phrase)):
        return True
    if of_a_task:  # "Hold 4 workshops, up from 2", "Interview at least 20 applicants" still count work done
        return False
    if _COMPARISON.search(facts.plain) or has_multiplier(text) or has_starting_point(text) \
            or facts.has_any(vocabulary.relative_words):
        return True
    return any(facts.number_after(i) for phrase in vocabulary.change_words for i in facts.find(phrase))


def counted_activity(facts: TextFacts, vocabulary: Vocabulary, task_verbs, level_verbs=()) -> tuple[int, int] | None:
    """Where a changed count names the team's own activity ('demos booked'), or None for shares and outcomes."""
    lead = lead_verb(facts)
    if lead is None or not _is_listed(lead, facts, vocabulary.change_words):
        return None
    tokens, end = facts.tokens, lead.after
    while end < len(tokens) and not tokens[end][0].isdigit() and tokens[end] not in ("from", "by", "to", "in"):
        end += 1
    counted = range(lead.after, end)
    if not counted or has_percentage(facts.text) or has_currency(facts.text) \
            or any(facts.find(w) and facts.find(w)[0] in counted for w in vocabulary.ratio_words):
        return None
    nouns = any(i in counted and "NOUN" in lemmas(tokens[i]) for noun in vocabulary.activity_nouns
                for i in facts.find(noun))
    done = any(i in counted and i > lead.after and not tokens[i].endswith(("s", "ing"))
               and tokens[i] not in _phrase(verb) for verb in task_verbs if verb not in level_verbs
               for i in facts.find(verb))
    return (lead.after, end) if nouns or done else None


_LEVEL_NUMBER = re.compile(r"^\d+(?:\.\d+)?%")


def holds_a_level(facts: TextFacts, verbs, measure_words=()) -> bool:
    """A level-keeping verb is followed by a limit ('keep uptime above 99.9%', 'maintain 99.9% uptime')."""
    for verb in verbs:
        for i in facts.find(verb):
            after = facts.tokens[i + 1:i + 12]
            if after[1:] and after[0] in ("a", "an", "the", "our") and after[1][0].isdigit():
                after = after[1:]  # "maintain a 98% on-time rate"
            if after and after[0][0].isdigit():
                # "hold 6 clinics" counts things done; "maintain 99.9% uptime" names a level
                if _LEVEL_NUMBER.match(after[0]) or any(
                        j in range(i + 2, i + 5) for w in measure_words for j in facts.find(w)):
                    return True
                continue
            if _HOLD_LIMIT.search(" ".join(after)):
                return True
    return False


# "Move 500 customers from paper bills to e-billing", "Help 250 people into jobs", "Get 3,000 households to
# switch": people or things brought from one state to another this cycle, counted from zero.
_MOVED = re.compile(r"(?<![\d.])\d+\s+(?:[a-z-]+\s+){1,3}(?:from|off|into|onto)\s+(?!\d)"
                    r"(?!the\s+(?:last|previous))[a-z]"
                    r"|\b(?:get|help|bring|persuade|encourage)\s+\d+\s+(?:[a-z-]+\s+){1,3}to\s+(?!\d)[a-z]+")


def counts_moves(facts: TextFacts) -> bool:
    """The text counts things moved from one state to another ('move 500 customers from paper to e-billing')."""
    return bool(_MOVED.search(facts.plain))


def reads_like_baseline(facts: TextFacts, words, verbs) -> bool:
    """The text sets out to measure something for the first time ('Set up a baseline for ...')."""
    return bool(facts.has_any(words) or facts.starts_with(verbs))


# --- the team's own words, shortened for a question -----------------------------------------------

_CUTS = {"by", "before", "until", "till", "so", "which", "while", "within", "during", "because", "in order"}
_EDGE_WORDS = {"of", "to", "at", "from", "for", "the", "a", "an", "and", "or", "with", "in", "on", "our",
               "by", "per"}
_NUMBERISH = re.compile(rf"^[-+~$€£¥₹(]*\d|^(?:{'|'.join([*_UNITS, *_TENS, 'hundred', 'thousand'])})$")


@lru_cache(maxsize=4096)
def quote(text: str, *, skip: int = 0, until_number: bool = False, max_words: int = 8) -> str:
    """The team's words as typed, shortened for a question: no bullet, 'We will' or date, at most max_words."""
    words = re.findall(r"\S+", _BULLET.sub("", text or "").translate(_CHARS))
    while words and words[0].lower().strip(",.:;") in _FILLER:
        words.pop(0)
    words = words[skip:]
    if until_number:
        while words and (_NUMBERISH.match(words[0].lower()) or words[0].lower() in _EDGE_WORDS):
            words.pop(0)
    kept = []
    for word in words:
        bare = word.lower().strip(",.;:()")
        if kept and (bare in _CUTS or (until_number and (_NUMBERISH.match(bare) or bare in ("from", "up")))):
            break
        kept.append(word)
        if word[-1] in ",;:(" or (word.endswith(".") and len(word) > 2):
            break
    shortened = len(kept) > max_words  # cut mid-phrase: marked with '…'; cut at a date or comma: not
    kept = kept[:max_words]
    while kept and kept[-1].lower().strip(",.;:()") in _EDGE_WORDS:
        kept.pop()
    shown = " ".join(kept).strip(",.;:( ")
    return f"{shown}…" if shortened and shown else shown
