"""Every row of a SELECT, read page by page, for the answers that must be complete (the label index,
the counts, a resource's description, a class list): a single request is cut at its row limit.

The query must end with an ORDER BY over every projected variable, so that the pages neither
skip nor repeat a row; `select_all` appends LIMIT and OFFSET to it. An answer whose order does not
matter and that fits one request (the completion statistics) is read by `select_whole` instead,
without the ORDER BY an engine pays dearly for on large answers.
"""

from __future__ import annotations

from aichr_kg.store import QueryFailed, QueryRequest, SparqlStore, Term, rows_of

PAGE_ROWS = 100_000


def select_all(
    store: SparqlStore, text: str, bindings: dict[str, str] | None = None, *, page_rows: int = PAGE_ROWS
) -> list[dict[str, Term]]:
    """All rows of an ordered SELECT as {variable: pyoxigraph term}; bindings are N-Triples terms."""
    if "ORDER BY" not in text.upper():
        raise ValueError("select_all needs a query that ends with ORDER BY, or its pages could overlap")
    rows: list[dict[str, Term]] = []
    while True:
        request = QueryRequest.internal(f"{text}\nLIMIT {page_rows} OFFSET {len(rows)}", bindings, max_rows=page_rows)
        result = store.execute(request)
        page = rows_of(result)
        rows += page
        # A store may cut a page short (a row or size limit of its own): it says so, and we read on.
        if not page and result.truncated:
            raise QueryFailed("a single row of the answer is larger than the store will send", syntax=False)
        if len(page) < page_rows and not result.truncated:
            return rows


def select_whole(
    store: SparqlStore, text: str, bindings: dict[str, str] | None = None, *, max_rows: int = 10 * PAGE_ROWS
) -> list[dict[str, Term]]:
    """All rows of a SELECT in one request, for answers whose order does not matter (counts, statistics):
    on tens of thousands of rows an ORDER BY costs the engine several times the query itself.
    QueryFailed if the answer has more than `max_rows` rows or the store cut it short."""
    result = store.execute(QueryRequest.internal(text, bindings, max_rows=max_rows))
    if result.truncated:
        raise QueryFailed(f"the answer was cut at {result.rows} rows; it must be read whole", syntax=False)
    return rows_of(result)
