from django.urls import path

from mailroom.views import lending, lost_found, outgoing, parcels, phones

app_name = "mailroom"

urlpatterns = [
    path("", parcels.ParcelListView.as_view(), name="parcel_list"),
    path("parcels/receive/", parcels.ParcelReceiveView.as_view(), name="parcel_receive"),
    path("parcels/<int:pk>/", parcels.ParcelDetailView.as_view(), name="parcel_detail"),
    path("parcels/<int:pk>/return/", parcels.ParcelReturnView.as_view(), name="parcel_return"),
    path("pickup/", parcels.PickupView.as_view(), name="pickup"),
    path("pickup/<int:pk>/", parcels.PickupDetailView.as_view(), name="pickup_detail"),
    path(
        "pickup/<int:pk>/signature.png",
        parcels.PickupSignatureView.as_view(),
        name="pickup_signature",
    ),
    path("register/", parcels.RegisterView.as_view(), name="register"),
    path("outgoing/", outgoing.OutgoingListView.as_view(), name="outgoing_list"),
    path("outgoing/new/", outgoing.OutgoingCreateView.as_view(), name="outgoing_create"),
    path("outgoing/dispatch/", outgoing.OutgoingDispatchView.as_view(), name="outgoing_dispatch"),
    path("outgoing/cost/", outgoing.OutgoingCostView.as_view(), name="outgoing_cost"),
    path("found/", lost_found.FoundListView.as_view(), name="found_list"),
    path("found/new/", lost_found.FoundCreateView.as_view(), name="found_create"),
    path("found/<int:pk>/", lost_found.FoundDetailView.as_view(), name="found_detail"),
    path("found/<int:pk>/photo/", lost_found.FoundPhotoView.as_view(), name="found_photo"),
    path(
        "found/<int:pk>/broadcast/", lost_found.FoundBroadcastView.as_view(), name="found_broadcast"
    ),
    path("found/<int:pk>/claim/", lost_found.ClaimCreateView.as_view(), name="claim_create"),
    path("found/<int:pk>/dispose/", lost_found.FoundDisposeView.as_view(), name="found_dispose"),
    path("claims/<int:pk>/verify/", lost_found.ClaimVerifyView.as_view(), name="claim_verify"),
    path("claims/<int:pk>/release/", lost_found.ClaimReleaseView.as_view(), name="claim_release"),
    path(
        "claims/<int:pk>/signature.png",
        lost_found.ClaimSignatureView.as_view(),
        name="claim_signature",
    ),
    path("lost/new/", lost_found.LostReportCreateView.as_view(), name="lost_create"),
    path("lost/<int:pk>/", lost_found.LostReportDetailView.as_view(), name="lost_detail"),
    path("lost/<int:pk>/close/", lost_found.LostReportCloseView.as_view(), name="lost_close"),
    path("lost/<int:pk>/resolve/", lost_found.LostReportResolveView.as_view(), name="lost_resolve"),
    path("lending/", lending.LoanListView.as_view(), name="loan_list"),
    path("lending/items/new/", lending.AssetCreateView.as_view(), name="asset_create"),
    path("lending/items/<int:pk>/lend/", lending.LoanLendView.as_view(), name="loan_lend"),
    path(
        "lending/items/<int:pk>/out-of-service/",
        lending.AssetOutOfServiceView.as_view(),
        name="asset_out_of_service",
    ),
    path(
        "lending/items/<int:pk>/back-in-service/",
        lending.AssetReturnToServiceView.as_view(),
        name="asset_return_to_service",
    ),
    path("lending/<int:pk>/return/", lending.LoanReturnView.as_view(), name="loan_return"),
    path("lending/<int:pk>/slip/", lending.LoanSlipView.as_view(), name="loan_slip"),
    path(
        "lending/<int:pk>/signature.png",
        lending.LoanSignatureView.as_view(),
        name="loan_signature",
    ),
    path(
        "lending/<int:pk>/deposit/",
        lending.LoanDepositReturnView.as_view(),
        name="loan_deposit_return",
    ),
    path("phone/<str:kind>/<int:pk>/", phones.PhoneRevealView.as_view(), name="reveal_phone"),
]
