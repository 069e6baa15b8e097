"""`participation-stats` in the registry, so that its downloads, data package and
catalog entry come from the same declaration as every other dataset's."""

from operator import itemgetter

from django.db.models import Q

from opendata import stats
from opendata.datasets import Column, Dataset, register

participation_stats = register(
    Dataset(
        name="participation-stats",
        title={
            "fi": "Osallistumistilastot",
            "sv": "Deltagandestatistik",
            "en": "Participation statistics",
        },
        description={
            "fi": "Osallistuneiden ihmisten määrät kaupungeittain, kuukausittain ja "
            "kanavittain, k-anonyymisti (alle viiden hengen solut piilotettu). "
            "Käsitteet: README, kohta Insight: definitions.",
            "sv": "Antal deltagare per stad, månad och kanal, k-anonymt (celler "
            "med färre än fem personer döljs). Begreppen: README, avsnittet "
            "Insight: definitions.",
            "en": "How many people took part, per city, month and channel, "
            "k-anonymous (cells under five people suppressed). Definitions: "
            "README, section Insight: definitions.",
        },
        columns=[
            Column(
                name,
                kind,
                help,
                itemgetter(name),
                nullable=name in ("people", "contributions"),
            )
            for name, kind, help in stats.COLUMNS
        ],
        base_queryset=None,
        public=Q(),
        compute=stats.cached_participation_stats,
    )
)
