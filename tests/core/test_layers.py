"""The apps are layered; an import may only point down (or sideways within a layer).

core < facilities, eldercare, volunteers < compliance, exchange, reporting, opendata < portal, bench

The test reads every Python file of every app with ``ast`` (imports inside functions count too) and
names each import that points up, so a new one fails with the file and line to fix. docs/ARCHITECTURE.md
says how to turn such an import around (an ``AppConfig`` method or a registry filled in ``ready``).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYERS = [
    ("core",),
    ("facilities", "eldercare", "volunteers"),
    ("compliance", "exchange", "reporting", "opendata"),
    ("portal", "bench"),
]
LAYER_OF = {app: level for level, apps in enumerate(LAYERS) for app in apps}


def imported_modules(source):
    """``[(line, "package.module"), …]`` of every absolute import in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.extend((node.lineno, f"{node.module}.{alias.name}") for alias in node.names)
    return found


def upward_imports(app, files):
    """``["path:line imports module (layer n > m)", …]`` for ``app``'s files."""
    own = LAYER_OF[app]
    problems = []
    for path in files:
        for line, module in imported_modules(path.read_text(encoding="utf-8")):
            target = module.split(".")[0]
            if target != app and LAYER_OF.get(target, -1) > own:
                relative = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
                problems.append(f"{relative}:{line} imports {module} (layer {LAYER_OF[target]} > {own})")
    return problems


@pytest.mark.parametrize("app", list(LAYER_OF))
def test_app_imports_nothing_from_a_higher_layer(app):
    files = sorted((ROOT / app).rglob("*.py"))
    assert files, f"{app}/ has no Python files: is the layer list out of date?"
    assert upward_imports(app, files) == []


def test_every_app_in_installed_apps_has_a_layer():
    from django.conf import settings

    ours = {name.split(".")[0] for name in settings.INSTALLED_APPS if (ROOT / name.split(".")[0]).is_dir()}
    assert ours - set(LAYER_OF) == set()


def test_the_walk_finds_an_upward_import_inside_a_function(tmp_path):
    bad = tmp_path / "admin.py"
    bad.write_text("from core import scoping\n\ndef panel():\n    from compliance.standing import centre_standing\n")
    assert upward_imports("facilities", [bad]) == [
        f"{bad}:4 imports compliance.standing.centre_standing (layer 2 > 1)"
    ]
    sideways = tmp_path / "services.py"
    sideways.write_text("import compliance.indicators\nfrom eldercare.models import Facility\n")
    assert upward_imports("reporting", [sideways]) == []
    assert upward_imports("core", [sideways]) == [
        f"{sideways}:1 imports compliance.indicators (layer 2 > 0)",
        f"{sideways}:2 imports eldercare.models.Facility (layer 1 > 0)",
    ]


MAX_MODULE_LINES = 500  # issue #13: a module a newcomer can read; migrations are generated, not read


def long_modules(files, limit=MAX_MODULE_LINES, root=ROOT):
    """``["path: n lines", …]`` for the files over ``limit`` lines."""
    found = []
    for path in files:
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > limit:
            found.append(f"{path.relative_to(root)}: {lines} lines")
    return found


def test_no_application_module_is_over_500_lines():
    files = [
        path for app in LAYER_OF for path in (ROOT / app).rglob("*.py") if "migrations" not in path.parts
    ] + list((ROOT / "config").rglob("*.py"))
    assert files, "no application files found"
    assert long_modules(files) == []


def test_long_modules_names_the_file(tmp_path):
    big = tmp_path / "big.py"
    big.write_text("x = 1\n" * 501)
    small = tmp_path / "small.py"
    small.write_text("x = 1\n" * 500)
    assert long_modules([big, small], root=tmp_path) == ["big.py: 501 lines"]
