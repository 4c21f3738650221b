"""The plugin's layout holds: every module imports, no package imports a higher one, and no modules import each
other in a circle. The layering is `newsroom.LAYERS`, the order docs/development.md draws."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import newsroom

PLUGIN = Path(newsroom.__file__).resolve().parent
ROOT = PLUGIN.parents[1]


def module_name(path: Path, plugin: Path = PLUGIN) -> str:
    parts = path.relative_to(plugin.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_imports(path: Path, plugin: Path = PLUGIN) -> dict[str, int]:
    """The project's modules this file imports (anywhere in it, local imports too), with the line of each."""
    found: dict[str, int] = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            if name.split(".")[0] == plugin.name and _is_module(name, plugin):
                found.setdefault(name, node.lineno)
    return found


def _is_module(name: str, plugin: Path) -> bool:
    relative = Path(*name.split(".")[1:])
    return (plugin / relative).with_suffix(".py").is_file() or (plugin / relative / "__init__.py").is_file()


def layer_of(module: str, layers: tuple[str, ...]) -> int | None:
    parts = module.split(".")
    return layers.index(parts[1]) if len(parts) > 1 and parts[1] in layers else None


def import_graph(plugin: Path = PLUGIN) -> dict[str, dict[str, int]]:
    return {module_name(path, plugin): project_imports(path, plugin) for path in sorted(plugin.rglob("*.py"))}


def upward_imports(graph: dict[str, dict[str, int]], layers: tuple[str, ...]) -> list[str]:
    """Every import of a higher package, as 'module:line imports target'."""
    found = []
    for module, imports in graph.items():
        mine = layer_of(module, layers)
        for target, line in imports.items():
            theirs = layer_of(target, layers)
            if mine is not None and theirs is not None and theirs > mine:
                found.append(f"{module}:{line} imports {target} ({layers[theirs]} is above {layers[mine]})")
    return found


def import_cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), ignoring a package's own __init__ re-exports
    of its children, which Python resolves without a circle."""
    edges = {
        module: [t for t in imports if t in graph and not t.startswith(module + ".") and t != module]
        for module, imports in graph.items()
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for node in edges:
        if node not in index:
            visit(node)
    return cycles


def test_every_package_is_a_declared_layer_with_a_docstring():
    packages = sorted(p.parent.name for p in PLUGIN.glob("*/__init__.py"))
    assert packages == sorted(newsroom.LAYERS)
    for name in newsroom.LAYERS:
        assert ast.get_docstring(ast.parse((PLUGIN / name / "__init__.py").read_text())), f"{name} has no docstring"
    assert not [p.name for p in PLUGIN.glob("*.py") if p.name != "__init__.py"], "modules belong in a package"


@pytest.mark.parametrize("module", sorted(import_graph()))
def test_every_module_imports(module):
    importlib.import_module(module)


def test_no_package_imports_a_higher_one():
    assert upward_imports(import_graph(), newsroom.LAYERS) == []


def test_no_modules_import_each_other_in_a_circle():
    assert import_cycles(import_graph()) == []


def test_the_project_never_guards_its_own_imports():
    """`except ImportError` around the project's own modules hides a broken layout until the day it matters."""
    guarded = []
    for path in sorted(PLUGIN.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Try) and any(
                isinstance(handler.type, ast.Name) and handler.type.id in {"ImportError", "ModuleNotFoundError"}
                for handler in node.handlers
            ):
                inner = [n for stmt in node.body for n in ast.walk(stmt) if isinstance(n, ast.ImportFrom)]
                if any((n.module or "").startswith("newsroom") for n in inner):
                    guarded.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert guarded == []


# What a build imports, in a fresh Python: the plugin, as Pelican loads it (`import newsroom`), and the build.
BUILD_IMPORTS = """
import sys
sys.path.insert(0, {plugins!r})
import newsroom.site.plugin, newsroom.site.build
print("\\n".join(sorted(sys.modules)))
"""
# Syndicating sends; a build does not. It validates every channel's settings against their types
# (syndication/channel_types.py), and the channels' code and the clients it sends with load only to syndicate.
SYNDICATING_ONLY = ("requests", "urllib3", "oauthlib", "newsroom.syndication.channels", "newsroom.syndication.http")


def test_a_build_imports_no_channel_and_no_http_client():
    script = BUILD_IMPORTS.format(plugins=str(PLUGIN.parent))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    loaded = done.stdout.split()
    assert [name for name in loaded if name.startswith(SYNDICATING_ONLY)] == []
    assert "newsroom.syndication.channel_types" in loaded  # the settings are still validated, every channel's


def test_the_development_guide_draws_the_same_layers():
    guide = (ROOT / "docs" / "development.md").read_text()
    positions = [guide.find(f"`{name}/`") for name in newsroom.LAYERS]
    assert -1 not in positions, "docs/development.md names every package as `name/`"
    assert positions == sorted(positions), "docs/development.md lists the packages in LAYERS order"


# The checker itself: each rule must catch what it exists to catch.


def _plugin(tmp_path: Path, files: dict[str, str]) -> Path:
    plugin = tmp_path / "newsroom"
    for name, text in files.items():
        path = plugin / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return plugin


def test_the_checker_finds_an_upward_import_even_inside_a_function(tmp_path):
    plugin = _plugin(
        tmp_path,
        {
            "__init__.py": "",
            "model/__init__.py": "",
            "model/facts.py": "def f():\n    from newsroom.site.glue import g\n",
            "site/__init__.py": "",
            "site/glue.py": "from newsroom.model.facts import f\n",
        },
    )
    found = upward_imports(import_graph(plugin), ("model", "site"))
    assert found == ["newsroom.model.facts:2 imports newsroom.site.glue (site is above model)"]


def test_the_checker_finds_a_circle_of_modules(tmp_path):
    plugin = _plugin(
        tmp_path,
        {
            "__init__.py": "",
            "site/__init__.py": "",
            "site/a.py": "from newsroom.site import b\n",
            "site/b.py": "from newsroom.site.c import x\n",
            "site/c.py": "import newsroom.site.a\n",
        },
    )
    assert import_cycles(import_graph(plugin)) == [["newsroom.site.a", "newsroom.site.b", "newsroom.site.c"]]
