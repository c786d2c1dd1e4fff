"""Drafting guidance from handouts/guidance.toml, filled in with the engagement's parameters."""

import tomllib
from dataclasses import dataclass
from pathlib import Path

from okrcoach.engagements import Engagement
from okrcoach.errors import InputError

GUIDANCE_FILE = Path(__file__).resolve().parent.parent / "handouts" / "guidance.toml"
TEXT_KEYS = ("purpose_question", "purpose_help", "objective_help", "why_now_help", "key_result_help",
             "champion_help", "depends_on_help", "task_to_key_result", "health_metric")
KR_TYPE_KEYS = ("label", "summary", "example")


@dataclass(frozen=True)
class KrTypeGuide:
    """How one key result type works, with an example."""

    label: str
    summary: str
    example: str


@dataclass(frozen=True)
class Guidance:
    """The drafting guidance for one engagement."""

    texts: dict[str, str]
    kr_types: dict[str, KrTypeGuide]

    def __getattr__(self, name: str) -> str:
        if name in TEXT_KEYS:
            return self.texts[name]
        raise AttributeError(name)


def load(engagement: Engagement, path: Path = GUIDANCE_FILE) -> Guidance:
    """The guidance with this engagement's limits and cycle end filled in; InputError names what is wrong."""
    try:
        content = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise InputError(f"{path.name}: cannot be read ({error}).") from error
    values = {
        "max_objectives": engagement.params.max_objectives,
        "min_key_results": engagement.params.min_key_results,
        "max_key_results": engagement.params.max_key_results,
        "cycle_end": engagement.cycle_end.strftime("%d %B %Y").lstrip("0"),
    }
    texts = {}
    for key in TEXT_KEYS:
        if not isinstance(content.get(key), str) or not content[key].strip():
            raise InputError(f"{path.name}: field '{key}' must be a non-empty text.")
        try:
            texts[key] = content[key].format(**values)
        except (KeyError, IndexError, ValueError) as error:
            raise InputError(f"{path.name}: field '{key}' has an unknown placeholder ({error}).") from error
    if not isinstance(content.get("kr_types"), dict):
        raise InputError(f"{path.name}: [kr_types] must be a table with metric, baseline and milestone.")
    kr_types = {}
    for kr_type in ("metric", "baseline", "milestone"):
        spec = content["kr_types"].get(kr_type)
        if not isinstance(spec, dict) or any(not isinstance(spec.get(k), str) for k in KR_TYPE_KEYS):
            raise InputError(f"{path.name}: [kr_types.{kr_type}] needs text fields {', '.join(KR_TYPE_KEYS)}.")
        kr_types[kr_type] = KrTypeGuide(*(spec[k] for k in KR_TYPE_KEYS))
    return Guidance(texts, kr_types)
