from django.urls import path

from apps.certificates import views

app_name = "certificates"

urlpatterns = [
    path("redeem/", views.redeem, name="redeem"),
    path("terms/", views.terms, name="terms"),
    path("orders/", views.OrderListView.as_view(), name="orders"),
    path("orders/<int:pk>/", views.order_detail, name="order"),
    path("orders/<int:pk>/steps/", views.order_steps, name="order_steps"),
    path("revoke/", views.revoke, name="revoke"),
    path("revoke/confirm/", views.revoke_confirm, name="revoke_confirm"),
    path("<int:pk>/replace/", views.replace, name="replace"),
]
