from django.urls import path

from apps.fleet import views

app_name = "fleet"

urlpatterns = [
    path("servers/", views.ServerListView.as_view(), name="servers"),
    path("servers/add/", views.server_add, name="server_add"),
    path("servers/add/confirm/", views.server_confirm, name="server_confirm"),
    path("servers/<int:pk>/", views.server_detail, name="server"),
    path("servers/<int:pk>/sync/", views.server_sync, name="server_sync"),
    path("servers/<int:pk>/sync-state/", views.server_sync_state, name="server_state"),
    path("sites/", views.SiteListView.as_view(), name="sites"),
    path("sites/<int:pk>/", views.site_detail, name="site"),
    path("sites/<int:pk>/test/", views.site_test, name="site_test"),
]
