"""Pages of the members app, one module per part of the desk's work:
`members` (search, register, the member page and its forms), `cards`
(one URL per card action), `calls` (my calls, the call page, supervision
and campaigns) and `imports`. Each view: permission → one selector or
service → render, on the desk view kit (`mallservice.views`)."""
