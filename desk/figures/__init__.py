"""The registers' parts of the shared pages (daily report, dashboard,
handover, header search, home), one module a register; the hook modules
(`desk/daily.py`, `dashboard.py`, `handover.py`, `search.py`, `home.py`)
call them."""
