import pytest

from core.models import Role, User


@pytest.fixture
def boss(db):
    """A bureau administrator in an empty city (the sample workbook brings its own divisions)."""
    user = User(username="boss", role=Role.ADMIN)
    user.set_password("pw")
    user.save()
    return user


@pytest.fixture(autouse=True)
def pending_uploads_in_tmp(settings, tmp_path):
    settings.EXCHANGE_PENDING_DIR = str(tmp_path / "pending")
