"""Import graph of the first-party packages: modules and lines, edges, cycles, lazy imports.

Stdlib only; reads the sources (or a git revision's), imports nothing. Run from the
repository root: `python bench/import_graph.py [REV]` (e.g. `bb80122`; default: the tree).
"""

import ast
import collections
import itertools
import os
import subprocess
import sys

# Folder -> package name (site/ is imported as `pioneer`).
ROOTS = {
    "site": "pioneer",
    "home": "home",
    "lessons": "lessons",
    "news": "news",
    "search": "search",
}
PACKAGES = set(ROOTS.values())


def module_name(path):
    parts = path[:-3].split("/")
    parts[0] = ROOTS[parts[0]]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path, source):
    """(line, in_function, [modules]) for every import statement of one file.

    Class bodies and module-level `if` blocks count as module level; anything inside a
    function or method counts as function body.
    """
    me, out = module_name(path), []

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            fn = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                out.append((child.lineno, fn, [alias.name for alias in child.names]))
            elif isinstance(child, ast.ImportFrom):
                module = child.module or ""
                if child.level:  # relative: resolved against this module's package
                    base = me.split(".")
                    if not path.endswith("__init__.py"):
                        base = base[:-1]
                    base = base[: len(base) - (child.level - 1)]
                    module = ".".join(base + ([module] if module else []))
                out.append((child.lineno, fn, [module]))
            visit(child, fn)

    visit(ast.parse(source), False)
    return out


def files(rev=None):
    if rev:
        listing = subprocess.run(
            ["git", "ls-tree", "-r", "--name-only", rev], capture_output=True, text=True, check=True
        )
        names = listing.stdout.split()

        def read(name):
            return subprocess.run(
                ["git", "show", f"{rev}:{name}"], capture_output=True, text=True, check=True
            ).stdout
    else:
        names = [os.path.join(d, f) for r in ROOTS for d, _, fs in os.walk(r) for f in fs]

        def read(name):
            with open(name, encoding="utf-8") as handle:
                return handle.read()

    for name in sorted(names):
        if name.endswith(".py") and name.split("/")[0] in ROOTS and "/migrations/" not in name:
            yield name, read(name)


def report(rev=None):
    size, lines, edges = collections.Counter(), collections.Counter(), collections.Counter()
    body, body_any = [], 0
    for name, source in files(rev):
        package = ROOTS[name.split("/")[0]]
        size[package] += 1
        lines[package] += source.count("\n")
        for line, fn, modules in imports(name, source):
            for module in modules:
                body_any += fn
                top = module.split(".")[0]
                if top in PACKAGES:
                    edges[(package, top, fn)] += 1
                    if fn:
                        body.append((name, line, module, top != package))

    print(f"# Import graph at {rev or 'the working tree'} (migrations left out)\n")
    print("| package | modules | lines |\n| --- | ---: | ---: |")
    for package in sorted(size):
        print(f"| {package} | {size[package]} | {lines[package]:,} |")
    print(f"| total | {sum(size.values())} | {sum(lines.values()):,} |\n")

    print("| edge | module-level | function-body |\n| --- | ---: | ---: |")
    for a, b in sorted({(a, b) for a, b, _ in edges}):
        print(f"| {a} -> {b} | {edges[(a, b, False)]} | {edges[(a, b, True)]} |")
    print()

    for label, graph in (
        ("all imports", {(a, b) for a, b, _ in edges if a != b}),
        ("module-level imports only", {(a, b) for a, b, fn in edges if a != b and not fn}),
    ):
        cycles = [
            c
            for k in range(2, len(PACKAGES) + 1)
            for c in itertools.permutations(sorted(PACKAGES), k)
            if c[0] == min(c) and all((c[i], c[(i + 1) % k]) in graph for i in range(k))
        ]
        by_length = collections.Counter(len(c) for c in cycles)
        print(f"cycles between packages, {label}: {len(cycles)} {dict(sorted(by_length.items()))}")
        for c in cycles:
            print("  " + " -> ".join(c + (c[0],)))
    print()

    across = sum(1 for *_, cross in body if cross)
    print(f"function-body imports of any module: {body_any}")
    print(f"function-body first-party imports: {len(body)} ({across} across packages)")
    for name, line, module, cross in body:
        print(f"  {name}:{line} -> {module}{'  (across)' if cross else ''}")


if __name__ == "__main__":
    report(sys.argv[1] if len(sys.argv) > 1 else None)
