"""Every write of the desk registers, by sub-domain: `incidents`,
`walkins`, `references` (the SJ-/FX- numbers), `settings`."""
