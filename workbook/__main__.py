"""Run the command line as ``python -m workbook``."""

from .cli import main

raise SystemExit(main())
