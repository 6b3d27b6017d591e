from django.urls import path

from apps.accounts import views

app_name = "accounts"

urlpatterns = [
    path("settings/", views.settings_page, name="settings"),
    path("settings/purchase-link/", views.purchase_link, name="purchase_link"),
    path("settings/auto-renew/", views.auto_renew, name="auto_renew"),
    path("settings/notifications/", views.notifications, name="notifications"),
    path("customers/", views.customer_list, name="customers"),
    path("customers/<int:pk>/", views.customer_detail, name="customer"),
]
