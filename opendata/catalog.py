"""The DCAT-AP 3.0 catalog of every dataset, in JSON-LD.

What DCAT-AP's shapes ask of the things it names: formats are IRIs of the EU
file-type vocabulary (`dct:MediaTypeOrExtent`), media types IANA IRIs
(`dct:MediaType`), times `xsd:dateTime` literals, the licence a
`dct:LicenseDocument`, the publisher a `foaf:Agent` whose homepage (a
`foaf:Document`) is the serving host's, like every other address here.
tests/opendata/dcat_ap_3.shacl.ttl checks it.
"""

import json
from datetime import UTC, datetime

from django.db.models import Max, Min
from django.utils import timezone
from rest_framework.reverse import reverse

from opendata import datasets

LICENSE_URI = "https://creativecommons.org/licenses/by/4.0/"
MEDIA_TYPES = {
    "csv": "text/csv",
    "jsonl": "application/jsonl",
    "parquet": "application/vnd.apache.parquet",
}
FILE_TYPES = "http://publications.europa.eu/resource/authority/file-type/"
# The EU file-type vocabulary has no JSON Lines entry: each line is JSON, and
# dcat:mediaType says it is JSON Lines.
FILE_TYPE = {"csv": "CSV", "jsonl": "JSON", "parquet": "PARQUET"}
IANA = "https://www.iana.org/assignments/media-types/"
LANGUAGES = ("fi", "sv", "en")


def _texts(values: dict[str, str]) -> list[dict[str, str]]:
    return [{"@language": lang, "@value": values[lang]} for lang in LANGUAGES]


def _iso(value) -> dict | None:
    """A time as an xsd:dateTime literal (None drops the property)."""
    if not value:
        return None
    return {"@value": value.isoformat().replace("+00:00", "Z"), "@type": "xsd:dateTime"}


def _span(dataset: datasets.Dataset) -> dict:
    """First and last creation and the last change of the dataset's public rows."""
    if not dataset.is_aggregate:
        return dataset.queryset().aggregate(
            first=Min("created_at"),
            last=Max("created_at"),
            modified=Max(dataset.updated_field),
        )
    # Aggregates are computed when asked: they cover their first to last month and
    # are current as of now.
    months = sorted({row["month"] for row in dataset.compute()})
    start = (
        datetime.strptime(months[0], "%Y-%m").replace(tzinfo=UTC) if months else None
    )
    end = datetime.strptime(months[-1], "%Y-%m").replace(tzinfo=UTC) if months else None
    return {"first": start, "last": end, "modified": timezone.now()}


def document(request) -> dict:
    homepage = {"@id": request.build_absolute_uri("/"), "@type": "foaf:Document"}
    publisher = {
        "@type": ["foaf:Agent", "foaf:Organization"],
        "foaf:name": "Palvelupaja",
        "foaf:homepage": homepage,
    }
    license_ = {"@id": LICENSE_URI, "@type": "dct:LicenseDocument"}
    entries = []
    for name, dataset in datasets.REGISTRY.items():
        span = _span(dataset)
        entry = {
            "@id": reverse(f"opendata:{name}", request=request),
            "@type": "dcat:Dataset",
            "dct:identifier": name,
            "dct:title": _texts(dataset.title),
            "dct:description": _texts(dataset.description),
            "dct:license": license_,
            "dct:publisher": publisher,
            "dct:modified": _iso(span["modified"]),
            "dct:temporal": {
                "@type": "dct:PeriodOfTime",
                "dcat:startDate": _iso(datasets.hour(span["first"])),
                "dcat:endDate": _iso(datasets.hour(span["last"])),
            },
            "dcat:distribution": [
                {
                    "@type": "dcat:Distribution",
                    "dct:title": f"{name}.{fmt}",
                    "dcat:accessURL": {
                        "@id": reverse(
                            "opendata:export",
                            kwargs={"dataset": name, "fmt": fmt},
                            request=request,
                        )
                    },
                    "dcat:downloadURL": {
                        "@id": reverse(
                            "opendata:export",
                            kwargs={"dataset": name, "fmt": fmt},
                            request=request,
                        )
                    },
                    "dcat:mediaType": {
                        "@id": IANA + media_type,
                        "@type": ["dct:MediaType", "dct:MediaTypeOrExtent"],
                    },
                    "dct:format": {
                        "@id": FILE_TYPES + FILE_TYPE[fmt],
                        "@type": "dct:MediaTypeOrExtent",
                    },
                    "dct:license": license_,
                }
                for fmt, media_type in MEDIA_TYPES.items()
            ],
        }
        entries.append(entry)
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": reverse("opendata:catalog", request=request),
        "@type": "dcat:Catalog",
        "dct:title": _texts(
            {
                "fi": "Palvelupajan avoin data",
                "sv": "Palvelupajas öppna data",
                "en": "Palvelupaja open data",
            }
        ),
        "dct:description": _texts(
            {
                "fi": "Mitä kaupungit kuulivat asukkailta, avoimena datana.",
                "sv": "Vad städerna hörde av invånarna, som öppna data.",
                "en": "What the cities heard from residents, as open data.",
            }
        ),
        "dct:license": license_,
        "dct:publisher": publisher,
        "foaf:homepage": homepage,
        "dcat:dataset": entries,
    }


def jsonld(request) -> str:
    return json.dumps(document(request), ensure_ascii=False, indent=2)
