from __future__ import annotations

import pytest

from desk.models import DeskSettings, WalkInCategory


@pytest.fixture
def duty_manager(mall):
    # The mall's settings row comes with the mall (desk/mall_setup.py).
    settings = DeskSettings.objects.get(mall=mall)
    settings.duty_manager_name = "王强"
    settings.duty_manager_phone = "13900001111"
    settings.save()
    return settings


@pytest.fixture
def enquiry(mall):
    return WalkInCategory.objects.get(mall=mall, code="enquiry")
