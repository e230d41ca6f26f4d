"""Saved queries: the .rq files with their decorators, a pure parameter grammar, one preparation shared by the CLI and the API, and how answers are shaped."""
