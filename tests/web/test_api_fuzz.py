"""schemathesis against the published OpenAPI schema, in process (ASGI, no network).

Every operation of /api/schema/openapi.json gets valid and invalid generated input (query
values, path segments, JSON bodies), deterministically so CI is stable. Checks: no server error,
every response's status code, content type and body as the schema documents them. The last
test checks that every operation got generated requests, at least 1,000 in all.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from litestar import Litestar
from litestar.testing import TestClient
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance
from sqlalchemy import Engine, text

from portal.directory.filters import DEFAULT_RADIUS
from portal.directory.geo import SORT_RADIUS_MAX
from portal.directory.search import problem as search_problem
from portal.opendata.store import store_for
from portal.settings import Settings
from tests.web.security_support import app_with

pytestmark = pytest.mark.slow  # subprocesses, servers or fuzzing: `make test`, not `make test-fast`

EXAMPLES_PER_OPERATION = 250
MINIMUM_REQUESTS = 1000
SENT: Counter[str] = Counter()


@pytest.fixture(scope="module")
def fuzz_app(settings: Settings, engine: Engine) -> Litestar:
    # The access log off (thousands of lines), and no rate limit: the fuzzer is one client.
    app = app_with(settings, engine, log_requests=False, rate_limit_posts_per_minute=0)
    # The downloads built first: before that they are a documented 503, a server error to
    # the fuzzer (tests/web/test_opendata_store.py tests it).
    with TestClient(app) as client:
        client.get("/api/export/hsds.zip")
        store_for(engine).wait()
    return app


@pytest.fixture(scope="module")
def known_zip(engine: Engine) -> str:
    with engine.connect() as conn:
        return str(conn.execute(text("SELECT min(zip) FROM listing")).scalar_one())


@pytest.fixture(scope="module")
def api_schema(fuzz_app: Litestar):
    loaded = schemathesis.openapi.from_asgi("/api/schema/openapi.json", fuzz_app)
    loaded.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        deterministic=True,
        max_examples=EXAMPLES_PER_OPERATION,
    )
    return loaded


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request: pytest.FixtureRequest) -> None:
    """schemathesis 4's lazy loader reads ``node._nodeid``, which pytest 9 no longer has."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_matches_its_schema(case, known_zip: str) -> None:  # type: ignore[no-untyped-def]
    SENT[case.operation.label] += 1
    excluded = []
    if case.meta and case.meta.generation.mode == GenerationMode.POSITIVE:
        query = case.query or {}
        if case.operation.label == "GET /api/counselors" and (
            query.get("zip") or query.get("sort") == "distance"
        ):
            # Rules no schema can state, documented in words: a ZIP code must be one the
            # directory knows, and sorting by distance needs one.
            query["zip"] = known_zip
        if case.operation.label == "GET /api/counselors" and query.get("zip2"):
            # A second home needs a first one.
            query["zip"] = query["zip2"] = known_zip
        if case.operation.label == "GET /api/counselors" and (
            search_problem(str(query.get("q") or "")) is not None
            or (
                query.get("sort") == "distance"
                and int(query.get("radius") or DEFAULT_RADIUS) > SORT_RADIUS_MAX
            )
        ):
            # Bounds on a read's cost, documented in words: search words of 3 letters or
            # more, at most 6 of them, and sorting by distance within 100 miles.
            excluded.append(positive_data_acceptance)
        if case.operation.label == "POST /api/readiness/assess":
            # Which answers are required depends on the other answers (show-if conditions):
            # a set the schema allows can still be incomplete, a documented 422.
            excluded.append(positive_data_acceptance)
    # Every check schemathesis has, including that schema-valid input is accepted and
    # schema-invalid input refused.
    case.call_and_validate(excluded_checks=excluded)


def test_the_schema_documents_every_api_route(api_schema, fuzz_app: Litestar) -> None:
    documented = {result.ok().path for result in api_schema.get_all_operations()}
    api_routes = {
        re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)
        for route in fuzz_app.routes
        if route.path.startswith("/api/") and not route.path.startswith("/api/schema")
    }
    assert api_routes <= documented


def test_every_operation_is_fuzzed_and_1000_requests_or_more_are_sent(api_schema) -> None:  # type: ignore[no-untyped-def]
    if not SENT:
        pytest.skip("the generated tests were not selected in this run")
    print(f"schemathesis: {sum(SENT.values())} generated requests: {dict(SENT)}")
    operations = {result.ok().label for result in api_schema.get_all_operations()}
    assert set(SENT) == operations, SENT
    assert sum(SENT.values()) >= MINIMUM_REQUESTS, SENT
