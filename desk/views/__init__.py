"""The desk registers' pages, by register: `incidents`, `walkins`."""
