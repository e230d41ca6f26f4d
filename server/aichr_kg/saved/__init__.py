"""Saved queries: the .rq files with their decorators, a pure parameter grammar, and how answers are shaped."""
