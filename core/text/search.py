"""Lemma search in the database: one stored field, one index, one match, one rank.

A searchable model keeps `analysis.document(...)` in a `SearchTermsField` (written
by its services when the text changes, never by a signal) and declares a
`LemmaIndex` on it. Queries go through `matching` and `ranked`:

- PostgreSQL: `LemmaIndex` keeps the terms' `to_tsvector('simple', terms)` in a
  stored generated column `<field>_vector` (PostgreSQL writes it with the row, so
  every writer, bulk updates and raw SQL included, keeps it right) with a GIN
  index on it. A query is a `to_tsquery('simple', …)` of the analysed words (`&`
  for all, `|` for any; Finnish terms as prefixes `term:*`), matched against and
  ranked (`ts_rank`) on the stored vector: no row's terms are parsed again at
  query time, and ANALYZE keeps element statistics of the column, so the planner
  knows a rare word from a common one.
- SQLite (the embedded default): the same terms are matched with `LIKE` on the
  space-delimited field ('% term %' exact, '% term%' prefix) and ranked by how many
  query words match. No index: a scan is fine for a single city's demo data and
  gives the same results, only slower.
"""

from __future__ import annotations

from django.db import connections, models
from django.db.backends.ddl_references import Statement
from django.db.models import Case, F, FloatField, Func, Q, Value, When
from django.db.models.expressions import Expression
from django.db.models.functions import Cast

from core.text.analysis import query_terms

Query = list[tuple[frozenset[str], frozenset[str]]]


class SearchTermsField(models.TextField):
    """The analysed terms of a row's text (`analysis.document`); not typed in."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)


def vector_column(field: str) -> str:
    """The stored tsvector column `LemmaIndex` adds next to `field` (PostgreSQL)."""
    return f"{field}_vector"


class LemmaVector(Expression):
    """The stored `to_tsvector('simple', field)` of a row (PostgreSQL only).

    The column is not a model field (SQLite has no tsvector, and no read of a
    row needs it): this names it beside `field`'s own column, on the same table
    alias."""

    output_field = models.TextField()

    def __init__(self, field: str) -> None:
        super().__init__()
        self.column = F(field)

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, exprs):
        (self.column,) = exprs

    def as_sql(self, compiler, connection):
        # `column` is resolved to the field's `Col` (its table alias and column).
        column = self.column
        name = connection.ops.quote_name(vector_column(column.target.column))
        return f"{compiler.quote_name_unless_alias(column.alias)}.{name}", []


class LemmaIndex(models.Index):
    """On PostgreSQL, a stored `to_tsvector('simple', field)` column
    (`vector_column(field)`) and a GIN index on it; nothing elsewhere.

    Django has no index that exists on one database only, nor a column type that
    SQLite lacks; so the column comes and goes with this index (created with it,
    dropped with it), and on other databases the index's SQL is a no-op
    statement (SQLite scans, see the module docstring). The column is generated
    (`GENERATED ALWAYS AS … STORED`): PostgreSQL recomputes it whenever the row's
    terms change.
    """

    def __init__(self, *, field: str, name: str) -> None:
        super().__init__(fields=[field], name=name)
        self.search_field = field

    def deconstruct(self):
        path, _args, kwargs = super().deconstruct()
        kwargs.pop("fields", None)
        return path, (), {"field": self.search_field, "name": self.name}

    def _postgresql(self, schema_editor) -> bool:
        return schema_editor.connection.vendor == "postgresql"

    def _names(self, model, schema_editor) -> dict[str, str]:
        quote = schema_editor.quote_name
        source = model._meta.get_field(self.search_field).column
        return {
            "table": quote(model._meta.db_table),
            "source": quote(source),
            "vector": quote(vector_column(source)),
            "name": quote(self.name),
        }

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if not self._postgresql(schema_editor):
            return Statement("SELECT 1")
        return Statement(
            "ALTER TABLE %(table)s ADD COLUMN IF NOT EXISTS %(vector)s tsvector "
            "GENERATED ALWAYS AS "
            "(to_tsvector('simple'::regconfig, COALESCE(%(source)s, ''))) STORED; "
            "CREATE INDEX %(name)s ON %(table)s USING gin (%(vector)s)",
            **self._names(model, schema_editor),
        )

    def remove_sql(self, model, schema_editor, **kwargs):
        if not self._postgresql(schema_editor):
            return Statement("SELECT 1")
        return Statement(
            "DROP INDEX IF EXISTS %(name)s; "
            "ALTER TABLE %(table)s DROP COLUMN IF EXISTS %(vector)s",
            **self._names(model, schema_editor),
        )


def _tsquery(query: Query, *, require_all: bool) -> str:
    # Terms are runs of letters and digits (analysis._WORD) with at most inner
    # hyphens or apostrophes; quoting each keeps them single lexemes.
    def lexeme(term: str) -> str:
        return "'" + term.replace("'", "''") + "'"

    groups = []
    for exact, prefixes in query:
        options = [lexeme(t) for t in sorted(exact)]
        options += [lexeme(t) + ":*" for t in sorted(prefixes)]
        groups.append("(" + " | ".join(options) + ")")
    return (" & " if require_all else " | ").join(groups)


def _word_matches(field: str, exact: frozenset[str], prefixes: frozenset[str]) -> Q:
    condition = Q(pk__in=[])
    for term in exact:
        condition |= Q(**{f"{field}__contains": f" {term} "})
    for term in prefixes:
        condition |= Q(**{f"{field}__contains": f" {term}"})
    return condition


class _TsMatch(Func):
    template = "%(expressions)s"
    arg_joiner = " @@ "
    output_field = models.BooleanField()


class _ToTsQuery(Func):
    template = "to_tsquery('simple'::regconfig, %(expressions)s)"
    output_field = models.TextField()


class _TsRank(Func):
    function = "ts_rank"
    output_field = FloatField()


def lemma_match(query: Query, *, field: str = "search_terms", require_all=True):
    """PostgreSQL: true for a row whose stored vector matches all (or any) of the
    query's words (`vector @@ tsquery`)."""
    tsquery = _ToTsQuery(Value(_tsquery(query, require_all=require_all)))
    return _TsMatch(LemmaVector(field), tsquery)


def matching(
    queryset: models.QuerySet,
    query: Query,
    *,
    field: str = "search_terms",
    require_all: bool = True,
) -> models.QuerySet:
    """Rows whose terms match all (or any) of the query's words; none for no words."""
    if not query:
        return queryset.none()
    if _is_postgresql(queryset):
        return queryset.alias(
            _lemma_match=lemma_match(query, field=field, require_all=require_all)
        ).filter(_lemma_match=True)
    conditions = [_word_matches(field, exact, prefixes) for exact, prefixes in query]
    combined = conditions[0]
    for condition in conditions[1:]:
        combined = (combined & condition) if require_all else (combined | condition)
    return queryset.filter(combined)


def ranked(
    queryset: models.QuerySet,
    query: Query,
    *,
    field: str = "search_terms",
    name: str = "rank",
) -> models.QuerySet:
    """`queryset` annotated with `name`: higher for more matched words (and, on
    PostgreSQL, for repeated ones: there the title's weight counts)."""
    if not query:
        return queryset.annotate(**{name: Value(0.0, output_field=FloatField())})
    if _is_postgresql(queryset):
        tsquery = _ToTsQuery(Value(_tsquery(query, require_all=False)))
        return queryset.annotate(**{name: _TsRank(LemmaVector(field), tsquery)})
    score = Value(0.0, output_field=FloatField())
    for exact, prefixes in query:
        score = score + Case(
            When(_word_matches(field, exact, prefixes), then=Value(1.0)),
            default=Value(0.0),
            output_field=FloatField(),
        )
    return queryset.annotate(**{name: Cast(score, FloatField())})


def search(
    queryset: models.QuerySet,
    text: str,
    language: str | None = None,
    *,
    field: str = "search_terms",
    require_all: bool = True,
) -> models.QuerySet:
    """Rows matching the words of `text`, best first (annotated `rank`)."""
    query = query_terms(text, language)
    found = matching(queryset, query, field=field, require_all=require_all)
    return ranked(found, query, field=field).order_by("-rank", "-pk")


def _is_postgresql(queryset: models.QuerySet) -> bool:
    return connections[queryset.db].vendor == "postgresql"
