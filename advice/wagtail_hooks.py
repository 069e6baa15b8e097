"""The advice desk's administration in the Wagtail admin (`advice.admin_viewsets`)."""

from wagtail import hooks

from advice.admin_viewsets import AdviceDeskSetup


@hooks.register("register_admin_viewset")
def register_advice_desk_setup():
    return AdviceDeskSetup()
