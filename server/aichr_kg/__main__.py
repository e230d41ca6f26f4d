"""Allow `python -m aichr_kg`, the same as the `aichr-kg` console script."""

from aichr_kg.cli import main

raise SystemExit(main())
