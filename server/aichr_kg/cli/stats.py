"""`aichr-kg stats`: the counts VoID publishes (entities per class, triples per property), for a terminal.

Both read `dataset.statistics`, so the command and /.well-known/void can never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence

from aichr_kg.config import Settings
from aichr_kg.dataset.statistics import class_counts, property_counts
from aichr_kg.namespaces import compact_iri, prefixes_for
from aichr_kg.store.local import LocalStore


def print_counts(settings: Settings) -> int:
    """Counts by class and by property over all graphs of the built dataset, largest first."""
    store = LocalStore(settings.store_dir)
    prefixes = prefixes_for(settings.base_iri)
    for kind, counts in (("class", class_counts(store)), ("property", property_counts(store))):
        print(f"\n# by {kind}")
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        print_table([kind, "count"], [[compact_iri(iri, prefixes), str(count)] for iri, count in ranked])
    return 0


def print_table(columns: Sequence[str], table: list[list[str]]) -> None:
    """Columns padded to their widest cell, a rule under the header, and the number of rows."""
    widths = [max([len(c)] + [len(r[i]) for r in table]) for i, c in enumerate(columns)]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for line in table:
        print("  ".join(v.ljust(w) for v, w in zip(line, widths, strict=True)))
    print(f"({len(table)} row{'s' if len(table) != 1 else ''})")
