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
def bureau_service_fields(request):
    """The bureau's list of service fields that the workbooks here use: a clerk's import picks from it and never
    adds to it (exchange.rules)."""
    if "db" not in request.fixturenames and "transactional_db" not in request.fixturenames \
            and not request.node.get_closest_marker("django_db"):
        return
    from volunteers.models import ServiceField

    request.getfixturevalue("transactional_db" if _transactional(request) else "db")
    for name in ("助老", "环境", "治安"):
        ServiceField.objects.get_or_create(name=name)


def _transactional(request):
    marker = request.node.get_closest_marker("django_db")
    return "transactional_db" in request.fixturenames or bool(marker and marker.kwargs.get("transaction"))


@pytest.fixture(autouse=True)
def pending_uploads_in_tmp(settings, tmp_path):
    settings.EXCHANGE_PENDING_DIR = str(tmp_path / "pending")
