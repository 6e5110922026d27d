from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("", views.SearchView.as_view(), name="search"),
    path("new/", views.RegisterView.as_view(), name="register"),
    path("<int:pk>/", views.MemberDetailView.as_view(), name="detail"),
    path("<int:pk>/reveal/", views.RevealPhoneView.as_view(), name="reveal"),
    path("<int:pk>/card/", views.CardIssueView.as_view(), name="card_issue"),
    path("<int:pk>/earn/", views.EarnView.as_view(), name="earn"),
    path("<int:pk>/redeem/", views.RedeemView.as_view(), name="redeem"),
    path("<int:pk>/adjust/", views.AdjustView.as_view(), name="adjust"),
    path("<int:pk>/consent/", views.ConsentView.as_view(), name="consent"),
    path("<int:pk>/tier/", views.TierView.as_view(), name="tier"),
    path("<int:pk>/merge/", views.MergeView.as_view(), name="merge"),
    path("cards/<int:pk>/<slug:action>/", views.CardActionView.as_view(), name="card_action"),
    path("calls/", views.MyCallsView.as_view(), name="my_calls"),
    path("calls/all/", views.CallListView.as_view(), name="call_list"),
    path("calls/<int:pk>/", views.CallDetailView.as_view(), name="call_detail"),
    path("supervision/", views.SupervisionView.as_view(), name="supervision"),
    path("campaigns/new/", views.CampaignFormView.as_view(), name="campaign_new"),
    path("campaigns/<int:pk>/", views.CampaignFormView.as_view(), name="campaign_edit"),
    path("campaigns/<int:pk>/plan/", views.CampaignPlanView.as_view(), name="campaign_plan"),
    path("adjustments/<int:pk>/", views.AdjustmentDecideView.as_view(), name="adjustment_decide"),
    path("imports/", views.ImportListView.as_view(), name="imports"),
    path("imports/<int:pk>/", views.ImportDetailView.as_view(), name="import_detail"),
    path("imports/<int:pk>/errors.csv", views.ImportErrorsView.as_view(), name="import_errors"),
]
