"""The layers hold: the domain never imports Streamlit, lower packages never import higher ones."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "okrcoach"
# Lowest first: a package may import from its own level and those before it. okrcoach/*.py (errors,
# text, humanize) is the base under all of them; ui/ sits on top and nothing in the domain imports it.
LAYERS = ['content', 'storage', 'workshop', 'drafting', 'review', 'exports', 'cli']
BASE = {'__init__', 'errors', 'humanize', 'text'}


def _imports(path: Path) -> set[str]:
    """Every okrcoach module a file imports, as dotted names ('okrcoach.storage.store')."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def _package(dotted: str) -> str | None:
    """The layer a dotted okrcoach name belongs to ('base' for okrcoach/*.py), None outside okrcoach."""
    parts = dotted.split(".")
    if parts[0] != "okrcoach" or len(parts) == 1:
        return None
    if parts[1] in LAYERS or parts[1] == "ui":
        return parts[1]
    return "base" if parts[1] in BASE else None


def _domain_files():
    return sorted(p for p in PACKAGE.rglob("*.py") if "ui" not in p.relative_to(PACKAGE).parts)


def test_every_domain_module_is_in_a_known_layer():
    strays = [p.relative_to(ROOT).as_posix() for p in _domain_files()
              if len(p.relative_to(PACKAGE).parts) == 1 and p.stem not in BASE | {"__main__"}]
    assert not strays, f"put these in a package (or the base): {strays}"


@pytest.mark.parametrize("path", _domain_files(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_the_domain_never_imports_streamlit_or_the_ui(path):
    imported = _imports(path)
    assert not {name for name in imported if name.split(".")[0] == "streamlit"}
    assert not {name for name in imported if _package(name) == "ui"}


@pytest.mark.parametrize("path", _domain_files(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_lower_packages_never_import_higher_ones(path):
    parts = path.relative_to(PACKAGE).parts
    own = parts[0] if len(parts) > 1 else "base"
    if own == "base":
        allowed = {"base"} if path.stem != "__main__" else {"base", "cli"}
    else:
        allowed = {"base", *LAYERS[: LAYERS.index(own) + 1]}
    higher = sorted(name for name in _imports(path) if _package(name) not in (None, *allowed))
    assert not higher, f"{path.relative_to(ROOT)} imports from a higher layer: {higher}"


@pytest.mark.parametrize("page", sorted((ROOT / "pages").glob("*.py")), ids=lambda p: p.name)
def test_every_page_first_makes_sure_its_run_came_through_app_py(page):
    body = [node for node in ast.parse(page.read_text(encoding="utf-8")).body
            if not isinstance(node, (ast.Import, ast.ImportFrom))
            and not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))]  # the docstring
    assert ast.unparse(body[0]) == "pages.through_router()", f"{page.name} starts with {ast.unparse(body[0])!r}"
