from django.urls import path

from mallservice.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.MessageProblemListView.as_view(), name="problems"),
    path("console/", views.ConsoleListView.as_view(), name="console"),
    path("<int:pk>/resend/", views.MessageResendView.as_view(), name="resend"),
    path("<int:pk>/phone/", views.MessagePhoneRevealView.as_view(), name="reveal_phone"),
    path(
        "receipts/tencent/<str:secret>/",
        views.TencentReceiptView.as_view(),
        name="tencent_receipts",
    ),
]
