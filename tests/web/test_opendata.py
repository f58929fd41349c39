"""Open data over HTTP: the two directory downloads, their OpenAPI entries, the About page,
and "Save a copy of my answers" on the readiness result."""

from __future__ import annotations

import importlib
import io
import itertools
import json
import logging
import zipfile

import pytest
from httpx import Response
from litestar.testing import TestClient

from portal.opendata.descriptor import tables
from portal.opendata.store import store_for
from portal.readiness import load_questionnaire, visible_answers
from tests.readiness_answers import V6
from tests.web.helpers import soup
from tests.web.test_readiness_pages import walk


def _ready(client: TestClient, path: str) -> Response:
    """The download, once the background build it may start has finished."""
    response = client.get(path)
    if response.status_code == 503:
        store_for(client.app.state.engine).wait()
        response = client.get(path)
    return response


def test_hsds_zip_download(client: TestClient) -> None:
    response = _ready(client, "/api/export/hsds.zip")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    assert "attachment" in response.headers["content-disposition"]
    assert ".zip" in response.headers["content-disposition"]
    assert response.headers["cache-control"] == "public, max-age=300"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert "datapackage.json" in names
    assert {t.path for t in tables().values()} <= names
    descriptor = json.loads(archive.read("datapackage.json"))
    assert descriptor["fictional"] is True
    services = archive.read("services.csv").decode("utf-8").splitlines()
    assert services[0].startswith("id,organization_id,program_id,name")
    assert len(services) > 100


def test_hsds_zip_is_the_same_bytes_twice(client: TestClient) -> None:
    first = _ready(client, "/api/export/hsds.zip").content
    assert first == client.get("/api/export/hsds.zip").content


def test_fhir_json_download(client: TestClient) -> None:
    response = _ready(client, "/api/export/fhir.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/fhir+json")
    assert "attachment" in response.headers["content-disposition"]
    assert response.headers["cache-control"] == "public, max-age=300"
    data = response.json()
    assert data["resourceType"] == "Bundle" and data["type"] == "collection"
    assert data["entry"]


def test_the_schema_documents_the_exports(client: TestClient) -> None:
    paths = client.get("/api/schema/openapi.json").json()["paths"]
    hsds = paths["/api/export/hsds.zip"]["get"]
    fhir = paths["/api/export/fhir.json"]["get"]
    assert hsds["operationId"] == "exportHsds" and "HSDS" in hsds["description"]
    assert fhir["operationId"] == "exportFhir" and "FHIR R4" in fhir["description"]
    assert "application/zip" in hsds["responses"]["200"]["content"]
    assert "application/fhir+json" in fhir["responses"]["200"]["content"]


def test_about_page_explains_and_links_the_data(client: TestClient) -> None:
    page = soup(client.get("/about").text)
    hrefs = {a["href"] for a in page.select("main a, a")}
    for link in ("/api/export/hsds.zip", "/api/export/fhir.json", "/api/schema/openapi.json"):
        assert link in hrefs
    assert "mailto:corrections@example.org" in hrefs
    text = page.get_text(" ", strip=True)
    for needle in ("fictional", "CC0 1.0", "CC BY-SA 4.0", "Open Referral", "Last verified"):
        assert needle in text
    levels = [int(h.name[1]) for h in page.find_all(["h1", "h2", "h3", "h4"])]
    assert levels.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))
    main = page.find("main") or page
    assert not main.find_all(style=True) and not main.find_all("script")


def test_result_page_offers_the_download(client: TestClient) -> None:
    result = walk(client, V6)
    links = soup(result.text).select("a[href='/readiness/answers.json']")
    assert links and "Save a copy of my answers" in links[0].get_text()


def test_download_my_answers(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    walk(client, V6)
    with caplog.at_level(logging.DEBUG):
        response = client.get("/readiness/answers.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/fhir+json")
    assert "attachment" in response.headers["content-disposition"]
    assert response.headers["cache-control"] == "no-store"
    data = response.json()
    assert data["resourceType"] == "QuestionnaireResponse"
    assert data["status"] == "completed"
    model = importlib.import_module("fhir.resources.R4B.questionnaireresponse")
    model.QuestionnaireResponse.model_validate(data)
    link_ids = {item["linkId"] for group in data["item"] for item in group["item"]}
    answered = {k for k, v in visible_answers(V6).items() if v not in (None, "", []) and k in V6}
    items = {item.id for item in load_questionnaire().items}
    assert link_ids <= items
    assert link_ids == {k for k in answered if k in items}
    assert "60614" not in caplog.text and "i_statements" not in caplog.text


def test_download_my_answers_without_a_session_redirects(client: TestClient) -> None:
    response = client.get("/readiness/answers.json", follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"].startswith("/readiness/step/")
