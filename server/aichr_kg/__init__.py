"""aichr-kg: linked open data on ASEAN–Japan cooperation on human rights."""

__version__ = "1.0.0"
