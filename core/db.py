"""Database functions several apps share."""

from django.db.models import CharField, Func


class UUIDText(Func):
    """A UUID column as canonical text (lower case 8-4-4-4-12), as `str(uuid)` wrote
    it into text keys such as discussions' `target_key`; SQLite keeps UUIDs as 32
    hex characters."""

    output_field = CharField()
    template = "CAST(%(expressions)s AS text)"

    def as_sqlite(self, compiler, connection, **extra):
        (column,) = self.get_source_expressions()
        sql, params = compiler.compile(column)
        parts = [(1, 8), (9, 4), (13, 4), (17, 4), (21, 12)]
        text = " || '-' || ".join(f"SUBSTR({sql}, {a}, {n})" for a, n in parts)
        return f"LOWER({text})", params * len(parts)
