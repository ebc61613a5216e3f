"""No module of Luoshi imports, at load time, a module that imports it back (directly or round a loop).

Cycles make the load order matter, push imports into functions and hide layering mistakes. The graph
is read from the source (module-level imports only; `if TYPE_CHECKING:` blocks are for the type checker
and do not count). A cycle that is known and still to be removed is listed below; a new one fails, and
so does a listed one that is gone, so that the list only shrinks."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "luoshi"

#: Cycles still to break, each as the sorted modules of one strongly connected component.
KNOWN: list[list[str]] = []  # the API's router cycle went when the shared types moved to core/api_types.py


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def load_time_imports(tree: ast.Module) -> list[ast.stmt]:
    """The import statements run when the module loads: at top level and in top-level if/try blocks."""
    statements, pending = [], list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            continue
        if isinstance(node, (ast.If, ast.Try)):
            pending.extend(
                [
                    *node.body,
                    *getattr(node, "orelse", []),
                    *[s for h in getattr(node, "handlers", []) for s in h.body],
                ]
            )
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            statements.append(node)
    return statements


def import_graph() -> dict[str, set[str]]:
    known = modules()

    def owner(name: str) -> str | None:
        while name and name not in known:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {name: set() for name in known}
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in load_time_imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # from .proposal import … : relative to the module's own package
                    above = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                    base = f"{above}.{base}" if base else above
                if not base.startswith("luoshi"):
                    continue
                targets = [owner(f"{base}.{alias.name}") for alias in node.names]
            else:
                targets = [owner(alias.name) for alias in node.names if alias.name.startswith("luoshi")]
            graph[name].update(t for t in targets if t and t != name)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return sorted(found)


def test_the_cycle_finder_finds_a_loop_and_nothing_else():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [["a", "b", "c"]]


def test_no_module_imports_one_that_imports_it_back():
    graph = import_graph()
    assert "luoshi.plans.models" in graph and "luoshi.core.access" in graph["luoshi.plans.actions"]
    assert (
        "luoshi.documents.extract.proposal" in graph["luoshi.documents.extract.outline"]
    )  # relative imports too
    assert cycles(graph) == sorted(KNOWN)
