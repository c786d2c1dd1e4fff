"""Drafting guidance from handouts/guidance.toml, filled in with the engagement's parameters."""

from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator

from okrcoach.content import loader as content
from okrcoach.content.loader import Known, NonEmptyText, Text
from okrcoach.workshop.engagements import Engagement

GUIDANCE_FILE = content.HANDOUTS_DIR / "guidance.toml"
_SAMPLE = {"max_objectives": 3, "min_key_results": 2, "max_key_results": 4, "cycle_end": "31 March 2026"}


def _known_placeholders(text: str) -> str:
    content.fills(text, _SAMPLE)
    return text


Guide = Annotated[NonEmptyText, AfterValidator(_known_placeholders)]


@dataclass(frozen=True)
class KrTypeGuide(Known):
    """How one key result type works, with an example."""

    label: Text
    summary: Text
    example: Text


@dataclass(frozen=True)
class KrTypeGuides(Known):
    """The guide to each key result type."""

    metric: KrTypeGuide
    baseline: KrTypeGuide
    milestone: KrTypeGuide


@dataclass(frozen=True)
class GuidanceFile(Known):
    """handouts/guidance.toml as written: texts with {placeholders} for the engagement's limits and cycle end."""

    purpose_question: Guide
    purpose_help: Guide
    objective_help: Guide
    why_now_help: Guide
    key_result_help: Guide
    champion_help: Guide
    depends_on_help: Guide
    task_to_key_result: Guide
    health_metric: Guide
    kr_types: KrTypeGuides


TEXT_KEYS = tuple(f.name for f in fields(GuidanceFile) if f.name != "kr_types")


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
    written = content.load(path, GuidanceFile)
    values = {
        "max_objectives": engagement.params.max_objectives,
        "min_key_results": engagement.params.min_key_results,
        "max_key_results": engagement.params.max_key_results,
        "cycle_end": engagement.cycle_end.strftime("%d %B %Y").lstrip("0"),
    }
    texts = {key: getattr(written, key).format(**values) for key in TEXT_KEYS}
    return Guidance(texts, {name: getattr(written.kr_types, name) for name in asdict(written.kr_types)})
