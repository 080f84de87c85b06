"""The core (pos/) stays free of Qt (enforced by ruff, checked at import time), and the layers
hold: an import graph built from the source (:func:`import_graph`) forbids imports against the
layer order and import cycles."""

from __future__ import annotations

import ast
import pkgutil
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pos

ROOT = Path(__file__).resolve().parents[1]


def _ruff() -> str:
    exe = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert exe, "ruff is a test dependency"
    return exe


def test_lint_rule_rejects_qt_imports_in_pos() -> None:
    for line in ("from PySide6.QtCore import QObject", "import qasync", "from ui import app"):
        proc = subprocess.run(
            [_ruff(), "check", "--no-cache", "--stdin-filename", "pos/probe.py", "-"],
            input=line + "\n",
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        )
        assert proc.returncode == 1, f"ruff accepted {line!r} in pos/"
        assert "TID251" in proc.stdout


def test_lint_rule_allows_qt_in_ui() -> None:
    proc = subprocess.run(
        [_ruff(), "check", "--no-cache", "--stdin-filename", "ui/probe.py", "-"],
        input="from PySide6.QtCore import QObject\n\nprint(QObject)\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout


def test_importing_every_pos_module_loads_no_qt() -> None:
    names = [m.name for m in pkgutil.walk_packages(pos.__path__, "pos.")]
    code = (
        "import importlib, sys\n"
        f"for n in {names!r}:\n"
        "    importlib.import_module(n)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'qasync', 'ui'))\n"
        "print(bad)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "[]"


# --- the import graph ----------------------------------------------------------------------
#
# Built from the source with ``ast``, without importing anything. Every ``import`` and
# ``from … import`` of our own packages counts, at module level and inside functions (a lazy
# import is still a dependency); relative imports are resolved. ``from package import name``
# points at ``package.name`` when that is a module, else at ``package`` (its ``__init__``).
# Imports under ``if TYPE_CHECKING:`` are kept with ``typing_only=True``: they count for the
# layer rules (an annotation that names another layer is a dependency on it) but not for
# cycles (they never run). A package ``__init__``'s lazy exports (``pos.sandbox``'s PEP 562
# ``__getattr__``, ``importlib`` by name) are no ``import`` statement, so no edge: only what an
# ``__init__`` imports at module level counts. Importing ``a.b.c`` also runs ``a`` and ``a.b``;
# those implicit parent edges are left out (Python initialises a parent before its children,
# so they cannot form a cycle that fails).

OUR_PACKAGES = ("pos", "ui")


class Import(NamedTuple):
    source: str  # the importing module
    target: str  # the imported module (ours)
    line: int
    typing_only: bool  # under ``if TYPE_CHECKING:``
    in_function: bool


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


class _ImportFinder(ast.NodeVisitor):
    """Collects one module's imports of :data:`OUR_PACKAGES`."""

    def __init__(self, module: str, is_package: bool, resolve: Callable[[str], str | None]):
        self.module = module
        # what a relative import is relative to: the package itself, or the module's package
        self.package = module if is_package else module.rpartition(".")[0]
        self.resolve = resolve
        self.typing_only = False
        self.in_function = False
        self.found: list[Import] = []

    def _add(self, names: list[str], line: int) -> None:
        for name in names:
            target = self.resolve(name)
            if target is not None and target != self.module:
                self.found.append(
                    Import(self.module, target, line, self.typing_only, self.in_function)
                )

    def visit_Import(self, node: ast.Import) -> None:
        self._add([alias.name for alias in node.names], node.lineno)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            base = self.package.split(".")
            base = base[: len(base) - (node.level - 1)]
            prefix = ".".join([*base, node.module] if node.module else base)
        else:
            prefix = node.module or ""
        self._add([f"{prefix}.{alias.name}" for alias in node.names], node.lineno)

    def visit_If(self, node: ast.If) -> None:
        if not _is_type_checking(node.test):
            self.generic_visit(node)
            return
        self.visit(node.test)
        outer, self.typing_only = self.typing_only, True
        for child in node.body:
            self.visit(child)
        self.typing_only = outer
        for child in node.orelse:
            self.visit(child)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        outer, self.in_function = self.in_function, True
        self.generic_visit(node)
        self.in_function = outer

    visit_FunctionDef = _function
    visit_AsyncFunctionDef = _function


def import_graph(package: str, root: Path = ROOT) -> tuple[set[str], list[Import]]:
    """``(modules, imports)`` of ``package`` (a top-level folder under ``root``): every module,
    and every import of one of :data:`OUR_PACKAGES` made by one of them (see above)."""
    files = {_module_name(p, root): p for p in sorted((root / package).rglob("*.py"))}
    known = set(files)
    for other in OUR_PACKAGES:
        if other != package:
            known |= {_module_name(p, root) for p in (root / other).rglob("*.py")}

    def resolve(name: str) -> str | None:
        """The module ``name`` or its nearest enclosing module of ours (``pkg.Name`` ->
        ``pkg``), or None for a module not of ours."""
        if name.split(".")[0] not in OUR_PACKAGES:
            return None
        while name and name not in known:
            name = name.rpartition(".")[0]
        return name or None

    imports: list[Import] = []
    for module, path in files.items():
        finder = _ImportFinder(module, path.name == "__init__.py", resolve)
        finder.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        imports += finder.found
    return set(files), imports


def import_cycles(modules: set[str], imports: list[Import]) -> list[list[str]]:
    """The import cycles among ``modules`` (strongly connected components of more than one
    module, or a module importing itself), ``TYPE_CHECKING`` imports left out."""
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for imp in imports:
        if not imp.typing_only and imp.target in modules:
            graph[imp.source].add(imp.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def strongconnect(v: str) -> None:  # Tarjan
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                strongconnect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in graph[v]:
                cycles.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for v in sorted(graph):
        if v not in index:
            strongconnect(v)
    return sorted(cycles)


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _violations(imports: list[Import], source: str, forbidden: Callable[[str], bool]) -> list[str]:
    return [
        f"{imp.source}:{imp.line} imports {imp.target}"
        for imp in imports
        if _within(imp.source, source) and forbidden(imp.target)
    ]


def test_domain_imports_nothing_of_ours_outside_domain() -> None:
    _, imports = import_graph("pos")
    assert _violations(imports, "pos.domain", lambda t: not _within(t, "pos.domain")) == []


def test_api_and_storage_do_not_import_services() -> None:
    _, imports = import_graph("pos")
    for layer in ("pos.api", "pos.storage"):
        assert _violations(imports, layer, lambda t: _within(t, "pos.services")) == []


def test_pos_never_imports_ui() -> None:
    _, imports = import_graph("pos")
    assert _violations(imports, "pos", lambda t: _within(t, "ui")) == []


def test_no_import_cycles_in_pos() -> None:
    modules, imports = import_graph("pos")
    assert import_cycles(modules, imports) == []


def test_the_graph_sees_every_kind_of_import() -> None:
    """The builder's own check: relative, function-level and TYPE_CHECKING imports are found."""
    _, imports = import_graph("pos")
    to_lookup = [i for i in imports if i.source == "pos.services.checkout"]
    assert any(
        i.target == "pos.services.order_lookup" and not (i.typing_only or i.in_function)
        for i in to_lookup
    )  # ``from .order_lookup import …``
    to_models = [i for i in to_lookup if i.target == "pos.api.models"]
    assert any(i.in_function and not i.typing_only for i in to_models)  # _stored_result
    assert any(i.typing_only and not i.in_function for i in to_models)  # annotations
    to_client = [i for i in imports if i.target == "pos.api.client"]
    assert any(i.source == "pos.services.ports" and i.typing_only for i in to_client)


# --- ui: the composition root wires the core; every other ui module goes through services ----

#: the entry points and the modules (packages) that build the running till
#: (docs/ARCHITECTURE.md)
COMPOSITION_ROOT = (
    "ui.app",
    "ui.cli",
    "ui.__main__",
    "ui.startup",
    "ui.session",
    "ui.netclient",
    "ui.selftest",
)
# What a view or controller may name of the lower layers directly: the data it renders and the
# errors it tells apart, and the demo key the embedded sandbox accepts (settings' "Test
# connection" in demo mode). Everything else (the client, the journal, the caches, the sandbox
# server) is built by the composition root and reached through pos.services.
UI_MAY_NAME = (
    "pos.api",
    "pos.api.models",
    "pos.api.errors",
    "pos.storage.errors",
    "pos.sandbox.keys",
)


def test_ui_reaches_api_and_storage_only_through_the_composition_root() -> None:
    _, imports = import_graph("ui")
    lower = ("pos.api", "pos.storage", "pos.sandbox")
    bad = [
        f"{imp.source}:{imp.line} imports {imp.target}"
        for imp in imports
        if not any(_within(imp.source, root) for root in COMPOSITION_ROOT)
        and any(_within(imp.target, layer) for layer in lower)
        and imp.target not in UI_MAY_NAME
    ]
    assert bad == []


def test_no_import_cycles_in_ui_or_across_ui_and_pos() -> None:
    ui_modules, ui_imports = import_graph("ui")
    pos_modules, pos_imports = import_graph("pos")
    assert import_cycles(ui_modules, ui_imports) == []
    assert import_cycles(ui_modules | pos_modules, ui_imports + pos_imports) == []
