"""The members app's permissions: views (`permission_required`), services
(`actor.has_perm(...)`), templates (`perms.members.<codename>`) and the menu
name these constants; roles only bundle them."""

from mallservice.roles import Role

VIEW_MEMBER = "members.view_member"
ADD_MEMBER = "members.add_member"
CHANGE_MEMBER = "members.change_member"
REVEAL_PHONE = "members.reveal_phone"
# Merging a duplicate and a manual tier change are the supervisor's decisions.
MERGE_MEMBER = "members.merge_member"
CHANGE_TIER = "members.change_tier"
VIEW_CARD = "members.view_card"
ADD_CARD = "members.add_card"
CHANGE_CARD = "members.change_card"
VIEW_POINTSENTRY = "members.view_pointsentry"
ADD_POINTSENTRY = "members.add_pointsentry"
# Approving a held receipt or a large adjustment (entering one is approved at once).
CHANGE_POINTSADJUSTMENT = "members.change_pointsadjustment"
VIEW_CALLTASK = "members.view_calltask"
ADD_CALLATTEMPT = "members.add_callattempt"
VIEW_CAMPAIGN = "members.view_campaign"
ADD_CAMPAIGN = "members.add_campaign"
CHANGE_CAMPAIGN = "members.change_campaign"
VIEW_TIERREVIEWRUN = "members.view_tierreviewrun"
VIEW_MEMBERIMPORT = "members.view_memberimport"
ADD_MEMBERIMPORT = "members.add_memberimport"

DESK = [
    VIEW_MEMBER,
    ADD_MEMBER,
    CHANGE_MEMBER,
    REVEAL_PHONE,
    VIEW_CARD,
    ADD_CARD,
    CHANGE_CARD,
    VIEW_POINTSENTRY,
    ADD_POINTSENTRY,
    VIEW_CALLTASK,
    ADD_CALLATTEMPT,
    VIEW_MEMBERIMPORT,
    ADD_MEMBERIMPORT,
]

ROLE_PERMISSIONS = {
    Role.DESK: DESK,
    Role.SUPERVISOR: [
        *DESK,
        MERGE_MEMBER,
        CHANGE_TIER,
        CHANGE_POINTSADJUSTMENT,
        VIEW_CAMPAIGN,
        ADD_CAMPAIGN,
        CHANGE_CAMPAIGN,
        VIEW_TIERREVIEWRUN,
    ],
}
