"""Mailroom screens, one module per part of the desk: `parcels`, `outgoing`,
`lost_found`, `lending`, and `phones` (the logged reveal of a masked
number). Each view: check permission → one selector or service → render,
built from the project's desk view kit (`mallservice.views`). Objects are
fetched through the user's scoped selectors."""
