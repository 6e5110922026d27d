from django.urls import path

from mailroom import views

app_name = "mailroom"

urlpatterns = [
    path("", views.ParcelListView.as_view(), name="parcel_list"),
    path("parcels/receive/", views.ParcelReceiveView.as_view(), name="parcel_receive"),
    path("parcels/<int:pk>/", views.ParcelDetailView.as_view(), name="parcel_detail"),
    path("parcels/<int:pk>/return/", views.ParcelReturnView.as_view(), name="parcel_return"),
    path("pickup/", views.PickupView.as_view(), name="pickup"),
    path("pickup/<int:pk>/", views.PickupDetailView.as_view(), name="pickup_detail"),
    path(
        "pickup/<int:pk>/signature.png",
        views.PickupSignatureView.as_view(),
        name="pickup_signature",
    ),
    path("register/", views.RegisterView.as_view(), name="register"),
    path("outgoing/", views.OutgoingListView.as_view(), name="outgoing_list"),
    path("outgoing/new/", views.OutgoingCreateView.as_view(), name="outgoing_create"),
    path("outgoing/dispatch/", views.OutgoingDispatchView.as_view(), name="outgoing_dispatch"),
    path("outgoing/cost/", views.OutgoingCostView.as_view(), name="outgoing_cost"),
    path("found/", views.FoundListView.as_view(), name="found_list"),
    path("found/new/", views.FoundCreateView.as_view(), name="found_create"),
    path("found/<int:pk>/", views.FoundDetailView.as_view(), name="found_detail"),
    path("found/<int:pk>/photo/", views.FoundPhotoView.as_view(), name="found_photo"),
    path("found/<int:pk>/broadcast/", views.FoundBroadcastView.as_view(), name="found_broadcast"),
    path("found/<int:pk>/claim/", views.ClaimCreateView.as_view(), name="claim_create"),
    path("found/<int:pk>/dispose/", views.FoundDisposeView.as_view(), name="found_dispose"),
    path("claims/<int:pk>/verify/", views.ClaimVerifyView.as_view(), name="claim_verify"),
    path("claims/<int:pk>/release/", views.ClaimReleaseView.as_view(), name="claim_release"),
    path(
        "claims/<int:pk>/signature.png",
        views.ClaimSignatureView.as_view(),
        name="claim_signature",
    ),
    path("lost/new/", views.LostReportCreateView.as_view(), name="lost_create"),
    path("lost/<int:pk>/", views.LostReportDetailView.as_view(), name="lost_detail"),
    path("lost/<int:pk>/close/", views.LostReportCloseView.as_view(), name="lost_close"),
    path("lost/<int:pk>/resolve/", views.LostReportResolveView.as_view(), name="lost_resolve"),
    path("lending/", views.LoanListView.as_view(), name="loan_list"),
    path("lending/items/new/", views.AssetCreateView.as_view(), name="asset_create"),
    path("lending/items/<int:pk>/lend/", views.LoanLendView.as_view(), name="loan_lend"),
    path(
        "lending/items/<int:pk>/out-of-service/",
        views.AssetOutOfServiceView.as_view(),
        name="asset_out_of_service",
    ),
    path(
        "lending/items/<int:pk>/back-in-service/",
        views.AssetReturnToServiceView.as_view(),
        name="asset_return_to_service",
    ),
    path("lending/<int:pk>/return/", views.LoanReturnView.as_view(), name="loan_return"),
    path("lending/<int:pk>/slip/", views.LoanSlipView.as_view(), name="loan_slip"),
    path(
        "lending/<int:pk>/signature.png",
        views.LoanSignatureView.as_view(),
        name="loan_signature",
    ),
    path(
        "lending/<int:pk>/deposit/",
        views.LoanDepositReturnView.as_view(),
        name="loan_deposit_return",
    ),
    path("phone/<str:kind>/<int:pk>/", views.PhoneRevealView.as_view(), name="reveal_phone"),
]
