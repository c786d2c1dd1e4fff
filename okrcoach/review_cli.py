"""`python -m okrcoach review PATH`: the coaching review on a CSV export or a JSON backup."""

import argparse
import json

from okrcoach import review
from okrcoach.engagements import DeploymentParameters


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register the review subcommand on the main parser's subparsers."""
    command = subparsers.add_parser(
        "review", help="print the coaching questions a CSV export or JSON backup raises",
        description="Run the coaching review on a CSV export (columns: "
                    f"{','.join(review.CSV_COLUMNS)}; lists joined with '; ') or an okrcoach JSON backup.")
    command.add_argument("path", metavar="PATH", help="the CSV export or JSON backup to review")
    command.add_argument("--format", choices=("text", "json"), default="text",
                         help="text for people (default), json for tools")
    command.set_defaults(run=run)
    return command


def as_text(items: list[dict]) -> str:
    """The review grouped per team, objective and key result, questions indented beneath each."""
    lines, count, teams = [], 0, 0
    for item in items:
        questions = item["questions"]
        count += len(questions)
        if item["objective"] is None:
            lines += [""] if lines else []
            lines.append(item["team"])
            teams, indent = teams + 1, "  "
        elif item["key_result"] is None:
            lines.append(f"  Objective: {item['objective']}")
            indent = "    "
        elif questions:
            lines.append(f"    Key result: {item['key_result']}")
            indent = "      "
        lines += [f"{indent}? {q['question']}  [{q['rule']}]" for q in questions]
    if not count:
        summary = "No open questions."
    else:
        summary = (f"{count} open question{'s' if count != 1 else ''} across {teams} "
                   f"team{'s' if teams != 1 else ''}.")
    return "\n".join([*lines, "", summary])


def run(args: argparse.Namespace) -> int:
    """Read the export, review it with its own deployment parameters or the defaults, and print."""
    rows, params = review.read_export_with_params(args.path)
    items = review.review_rows(rows, params or DeploymentParameters())
    if args.format == "json":
        print(json.dumps({"items": items}, ensure_ascii=False, indent=2))
    else:
        print(as_text(items))
    return 0
