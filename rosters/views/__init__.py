"""Pages and actions of the rosters app, one module per sub-domain, built
on the desk view kit (`mallservice.views`): each checks a permission from
`rosters.permissions`, calls one selector or service and renders."""
