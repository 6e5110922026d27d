from django.urls import path

from members.views import calls, cards, imports, members

app_name = "members"

urlpatterns = [
    path("", members.SearchView.as_view(), name="search"),
    path("new/", members.RegisterView.as_view(), name="register"),
    path("<int:pk>/", members.MemberDetailView.as_view(), name="detail"),
    path("<int:pk>/reveal/", members.RevealPhoneView.as_view(), name="reveal"),
    path("<int:pk>/card/", members.CardIssueView.as_view(), name="card_issue"),
    path("<int:pk>/earn/", members.EarnView.as_view(), name="earn"),
    path("<int:pk>/redeem/", members.RedeemView.as_view(), name="redeem"),
    path("<int:pk>/adjust/", members.AdjustView.as_view(), name="adjust"),
    path("<int:pk>/consent/", members.ConsentView.as_view(), name="consent"),
    path("<int:pk>/tier/", members.TierView.as_view(), name="tier"),
    path("<int:pk>/merge/", members.MergeView.as_view(), name="merge"),
    path("cards/<int:pk>/enter/", cards.CardEnterView.as_view(), name="card_enter"),
    path("cards/<int:pk>/lost/", cards.CardLostView.as_view(), name="card_lost"),
    path("cards/<int:pk>/freeze/", cards.CardFreezeView.as_view(), name="card_freeze"),
    path("cards/<int:pk>/unfreeze/", cards.CardUnfreezeView.as_view(), name="card_unfreeze"),
    path("cards/<int:pk>/reissue/", cards.CardReissueView.as_view(), name="card_reissue"),
    path("cards/<int:pk>/void/", cards.CardVoidView.as_view(), name="card_void"),
    path("calls/", calls.MyCallsView.as_view(), name="my_calls"),
    path("calls/all/", calls.CallListView.as_view(), name="call_list"),
    path("calls/<int:pk>/", calls.CallDetailView.as_view(), name="call_detail"),
    path("supervision/", calls.SupervisionView.as_view(), name="supervision"),
    path("campaigns/new/", calls.CampaignFormView.as_view(), name="campaign_new"),
    path("campaigns/<int:pk>/", calls.CampaignFormView.as_view(), name="campaign_edit"),
    path("campaigns/<int:pk>/plan/", calls.CampaignPlanView.as_view(), name="campaign_plan"),
    path(
        "adjustments/<int:pk>/approve/",
        calls.AdjustmentApproveView.as_view(),
        name="adjustment_approve",
    ),
    path(
        "adjustments/<int:pk>/reject/",
        calls.AdjustmentRejectView.as_view(),
        name="adjustment_reject",
    ),
    path("imports/", imports.ImportListView.as_view(), name="imports"),
    path("imports/<int:pk>/", imports.ImportDetailView.as_view(), name="import_detail"),
    path("imports/<int:pk>/commit/", imports.ImportCommitView.as_view(), name="import_commit"),
    path("imports/<int:pk>/errors.csv", imports.ImportErrorsView.as_view(), name="import_errors"),
]
