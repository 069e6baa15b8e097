from django.urls import path

from ideas import views

app_name = "ideas"

urlpatterns = [
    path("", views.dream_list, name="dream_list"),
    path("new/", views.dream_new, name="dream_new"),
    path("similar/", views.dream_similar, name="dream_similar"),
    path("opportunities/", views.dream_opportunities, name="dream_opportunities"),
    path("<int:pk>/", views.dream_detail, name="dream_detail"),
    path("<int:pk>/support/", views.dream_support, name="dream_support"),
    path("<int:pk>/withdraw/", views.dream_withdraw, name="dream_withdraw"),
]
