"""Pages of the broadcast room, one module per sub-domain, all built from
the desk view kit (`mallservice.views`): a page is a `DeskView`, a form
that saves a `ServiceFormView`, a button on a record a `ServiceActionView`
with its own URL. Each view: permission → selector/service → render."""
