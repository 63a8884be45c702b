"""The open-data tests: the HSDS 3.0 schemas of ../shared/hsds-3.0 and a demo city built once per module."""

import json
from functools import cache
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.demo_city import seed as seed_demo_city
from tests.security.world import World

HSDS = Path(__file__).resolve().parents[2].parent / "shared" / "hsds-3.0"
if not HSDS.is_dir():  # a worktree beside the main checkout
    HSDS = Path("/work/shared/hsds-3.0")


@cache
def schema(name):
    return json.loads((HSDS / name).read_text(encoding="utf-8"))


@cache
def _registry():
    resources = []
    for path in [*HSDS.glob("*.json"), *HSDS.glob("compiled/*.json")]:
        relative = path.relative_to(HSDS).as_posix()
        resources.append((relative, Resource(contents=schema(relative), specification=DRAFT202012)))
        if "/" not in relative:
            resources.append((f"compiled/{relative}", Resource(contents=schema(relative), specification=DRAFT202012)))
    return Registry().with_resources(resources)


def validator(name):
    """A draft 2020-12 validator for one schema file, formats (uuid, date-time, uri, email) checked."""
    return Draft202012Validator({"$ref": name}, registry=_registry(), format_checker=FormatChecker())


def errors_of(name, instance):
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator(name).iter_errors(instance)]


def page_schema_errors(item_schema, body):
    """A list response: the Page fields of openapi.json, then each item against its compiled schema."""
    page = schema("openapi.json")["components"]["schemas"]["Page"]
    problems = [f"page: {e.message}" for e in Draft202012Validator(page).iter_errors(body)]
    for index, item in enumerate(body.get("contents", [])):
        problems += [f"contents/{index}/{problem}" for problem in errors_of(item_schema, item)]
    return problems


def _seed_demo():
    seed_demo_city()
    return {}


def _import_sample():
    from exchange.importer import import_workbook
    from tests.exchange.helpers import sample_bytes

    result = import_workbook(sample_bytes(), file_name="sample-workbook.xlsx", user=None)
    assert result.ok, result.errors
    return {}


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker):
    with World(django_db_blocker, build=_seed_demo) as built:
        yield built


@pytest.fixture(scope="module", params=["demo city", "sample workbook"])
def public_data(request, django_db_setup, django_db_blocker):
    """The seeded demo city, then the shared sample workbook imported into an empty city."""
    with World(django_db_blocker, build=_seed_demo if request.param == "demo city" else _import_sample) as built:
        yield built
