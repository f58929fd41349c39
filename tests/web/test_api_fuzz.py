"""schemathesis against the published OpenAPI schema, in process (ASGI, no network).

Every operation of /api/schema/openapi.json gets valid and invalid generated input (query
values, path segments, JSON bodies), deterministically so CI is stable. Checks: no server error,
every response's status code, content type and body as the schema documents them. At least
1,000 generated requests in all; the last test counts them.
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
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import Engine

from portal.opendata.store import store_for
from portal.settings import Settings
from tests.web.security_support import app_with

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
def test_the_api_matches_its_schema(case) -> None:  # type: ignore[no-untyped-def]
    SENT[case.operation.label] += 1
    case.call_and_validate(
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ]
    )


def test_the_schema_documents_every_api_route(api_schema, fuzz_app: Litestar) -> None:
    documented = {result.ok().path for result in api_schema.get_all_operations()}
    api_routes = {
        re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)
        for route in fuzz_app.routes
        if route.path.startswith("/api/") and not route.path.startswith("/api/schema")
    }
    assert api_routes <= documented


def test_at_least_1000_generated_requests() -> None:
    if not SENT:
        pytest.skip("the generated tests were not selected in this run")
    assert len(SENT) >= 4, SENT
    print(f"schemathesis: {sum(SENT.values())} generated requests: {dict(SENT)}")
    assert sum(SENT.values()) >= MINIMUM_REQUESTS, SENT
