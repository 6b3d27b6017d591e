from django.urls import path

from apps.vouchers import views

app_name = "vouchers"

urlpatterns = [
    path("", views.VoucherListView.as_view(), name="list"),
    path("import/", views.voucher_import, name="import"),
    path("<int:pk>/", views.voucher_detail, name="detail"),
    path("<int:pk>/assign/", views.voucher_assign, name="assign"),
    path("<int:pk>/cancel/", views.voucher_cancel, name="cancel"),
]
