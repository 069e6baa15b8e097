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
# The Excel variant is CSV (text/csv, the EU file type CSV) in the dialect
# spreadsheet programs expect in Finnish and Swedish settings; the catalogue says so
# in words, as DCAT-AP has no term for a CSV dialect.
EXCEL_TITLE = {
    "fi": "{name}.excel.csv – CSV Exceliä varten",
    "sv": "{name}.excel.csv – CSV för Excel",
    "en": "{name}.excel.csv – CSV for Excel",
}
EXCEL_DESCRIPTION = {
    "fi": (
        "CSV Exceliä varten suomen- ja ruotsinkielisin asetuksin: "
        "UTF-8 ja BOM, puolipiste erottimena, rivinvaihto CRLF."
    ),
    "sv": (
        "CSV för Excel med finska och svenska inställningar: "
        "UTF-8 med BOM, semikolon som avgränsare, radbrytning CRLF."
    ),
    "en": (
        "CSV for Excel in Finnish and Swedish locales: "
        "UTF-8 with a BOM, semicolon-separated, CRLF line endings."
    ),
}


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
    # Aggregates are computed when asked: they cover their first to last month (or
    # the span they tell) and are current as of now.
    if dataset.span is not None:
        return {**dataset.span(), "modified": timezone.now()}
    months = sorted({row["month"] for row in dataset.compute()})
    start = (
        datetime.strptime(months[0], "%Y-%m").replace(tzinfo=UTC) if months else None
    )
    end = datetime.strptime(months[-1], "%Y-%m").replace(tzinfo=UTC) if months else None
    return {"first": start, "last": end, "modified": timezone.now()}


def _distribution(url: str, *, fmt: str, title, license_: dict) -> dict:
    """One download of a dataset: its address, IANA media type and EU file type."""
    return {
        "@type": "dcat:Distribution",
        "dct:title": title,
        "dcat:accessURL": {"@id": url},
        "dcat:downloadURL": {"@id": url},
        "dcat:mediaType": {
            "@id": IANA + MEDIA_TYPES[fmt],
            "@type": ["dct:MediaType", "dct:MediaTypeOrExtent"],
        },
        "dct:format": {
            "@id": FILE_TYPES + FILE_TYPE[fmt],
            "@type": "dct:MediaTypeOrExtent",
        },
        "dct:license": license_,
    }


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
                *(
                    _distribution(
                        reverse(
                            "opendata:export",
                            kwargs={"dataset": name, "fmt": fmt},
                            request=request,
                        ),
                        fmt=fmt,
                        title=f"{name}.{fmt}",
                        license_=license_,
                    )
                    for fmt in MEDIA_TYPES
                ),
                {
                    **_distribution(
                        reverse(
                            "opendata:export-excel",
                            kwargs={"dataset": name},
                            request=request,
                        ),
                        fmt="csv",
                        title=_texts(
                            {
                                code: title.format(name=name)
                                for code, title in EXCEL_TITLE.items()
                            }
                        ),
                        license_=license_,
                    ),
                    "dct:description": _texts(EXCEL_DESCRIPTION),
                },
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
