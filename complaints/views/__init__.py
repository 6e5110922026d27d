"""The complaints desk's pages, by sub-domain: `cases` (list, export,
intake, slip, detail), `actions` (the detail page's actions, one URL each),
`calls` (the phone log), `summaries`, `handler` (the handler's signed
link); `panels` is their action-panel kit. Fault reports:
`complaints.faults.views`."""
