"""The DCAT-AP catalogue as a validator reads it: RDF parsed from the JSON-LD we
serve, checked with pyshacl against DCAT-AP 3.0's mandatory and range shapes
(a hand-written subset, `dcat_ap_3.shacl.ttl`; the official file cannot be
downloaded at test time)."""

from pathlib import Path

import pytest
from django.test import override_settings

from tests.opendata.test_api import comment

pyshacl = pytest.importorskip("pyshacl")
rdflib = pytest.importorskip("rdflib")

SHAPES = Path(__file__).with_name("dcat_ap_3.shacl.ttl")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
FOAF = rdflib.Namespace("http://xmlns.com/foaf/0.1/")


def catalogue(client) -> "rdflib.Graph":
    response = client.get("/api/v1/catalog.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    return rdflib.Graph().parse(
        data=response.content, format="json-ld", publicID="http://testserver/"
    )


def validate(graph) -> tuple[bool, str]:
    shapes = rdflib.Graph().parse(SHAPES, format="turtle")
    conforms, _, report = pyshacl.validate(graph, shacl_graph=shapes)
    return conforms, report


@override_settings(SITE_URL="https://palvelupaja.example.fi")
def test_catalogue_conforms_to_dcat_ap_3(client, setup):
    service, discussion, user, _ = setup
    comment(discussion, user)
    graph = catalogue(client)
    conforms, report = validate(graph)
    assert conforms, report
    # What a harvester shows: formats from the EU vocabulary, typed times, and
    # the publisher's homepage on the host that served the catalogue.
    formats = set(graph.objects(None, DCT["format"]))
    assert (
        rdflib.URIRef("http://publications.europa.eu/resource/authority/file-type/CSV")
        in formats
    )
    assert all(isinstance(value, rdflib.URIRef) for value in formats)
    modified = list(graph.objects(None, DCT.modified))
    assert modified and {value.datatype for value in modified} == {rdflib.XSD.dateTime}
    homepages = set(graph.objects(None, FOAF.homepage))
    assert homepages == {rdflib.URIRef("http://testserver/")}
    licences = set(graph.objects(None, DCT.license))
    assert licences == {rdflib.URIRef("https://creativecommons.org/licenses/by/4.0/")}
    assert (next(iter(licences)), rdflib.RDF.type, DCT.LicenseDocument) in graph


def test_the_shapes_catch_what_validators_found(client, setup):
    """The shapes are not vacuous: the catalogue's old defects fail them."""
    graph = catalogue(client)
    distribution = next(graph.subjects(rdflib.RDF.type, DCAT.Distribution))
    graph.remove((distribution, DCT["format"], None))
    graph.add((distribution, DCT["format"], rdflib.Literal("text/csv")))
    assert not validate(graph)[0]

    graph = catalogue(client)
    dataset = next(graph.subjects(rdflib.RDF.type, DCAT.Dataset))
    graph.set((dataset, DCT.modified, rdflib.Literal("2026-01-01T00:00:00Z")))
    assert not validate(graph)[0]

    graph = catalogue(client)
    graph.remove((None, rdflib.RDF.type, FOAF.Agent))
    assert not validate(graph)[0]


def test_each_dataset_offers_the_excel_csv_as_a_distribution(client, setup):
    service, discussion, user, _ = setup
    comment(discussion, user)
    graph = catalogue(client)
    assert validate(graph)[0]
    datasets = set(graph.subjects(rdflib.RDF.type, DCAT.Dataset))
    assert datasets
    for dataset in datasets:
        name = str(graph.value(dataset, DCT.identifier))
        url = rdflib.URIRef(f"http://testserver/api/v1/exports/{name}.excel.csv")
        (excel,) = (
            d
            for d in graph.objects(dataset, DCAT.distribution)
            if graph.value(d, DCAT.downloadURL) == url
        )
        assert graph.value(excel, DCT["format"]) == rdflib.URIRef(
            "http://publications.europa.eu/resource/authority/file-type/CSV"
        )
        assert graph.value(excel, DCAT.mediaType) == rdflib.URIRef(
            "https://www.iana.org/assignments/media-types/text/csv"
        )
        # Said in each of the site's languages, so a harvester can show it.
        descriptions = {
            d.language: str(d) for d in graph.objects(excel, DCT.description)
        }
        assert set(descriptions) == {"fi", "sv", "en"}
        assert "Excel" in descriptions["fi"] and "CRLF" in descriptions["en"]
        titles = {t.language for t in graph.objects(excel, DCT.title)}
        assert titles == {"fi", "sv", "en"}
    # The address the catalogue names is the download itself.
    response = client.get(f"/api/v1/exports/{name}.excel.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
