"""Who may do what: every role and permission decision of the portal, by name.

The roles (``core.models.Role``) are facts about an account; the functions here turn them into
permissions, and every view, admin and selector asks these functions rather than comparing roles
itself. Each takes the user (an ``AnonymousUser`` too) and answers False for inactive accounts.

- street clerk (街道填报员): reads and changes their own street's records, imports and exports its workbook;
- district reviewer (区县民政局审核员): reads their district's records, reviews its streets' monthly reports;
- city reviewer (市民政局审核员): reads their city (without a division: the deployment's whole area), returns
  data for correction, accepts reviewed months;
- province reviewer (省民政厅审核员): reads the cities of their province, as a city reviewer does;
- city administrator (民政局管理员, and Django superusers): everything, and alone maintains the city-wide lists
  (divisions, plans and targets, services, holidays, accounts, validation rules).

What a user may *see* of a kind of record (which rows) is ``core.scoping``; whether they may act is here.
"""

from core.models import Role


def is_signed_in(user):
    """An active, authenticated account."""
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_staff(user):
    """Every role works in the admin (``User.save`` sets ``is_staff`` for active accounts)."""
    return is_signed_in(user) and user.is_staff


def is_clerk(user):
    """A street clerk with their street."""
    return is_signed_in(user) and user.role == Role.CLERK and user.division_id is not None


def is_district_reviewer(user):
    """A district reviewer with their district."""
    return is_signed_in(user) and user.role == Role.DISTRICT and user.division_id is not None


def is_city_reviewer(user):
    """A city reviewer (市民政局审核员), with their city or without a division (the whole portal)."""
    return is_signed_in(user) and user.role == Role.REVIEWER


def is_province_reviewer(user):
    """A province reviewer (省民政厅审核员) with their province."""
    return is_signed_in(user) and user.role == Role.PROVINCE and user.division_id is not None


def can_view_all(user):
    """Bureau staff (administrators, city and province reviewers) read every street's records of their area
    (``bureau_division``)."""
    return is_signed_in(user) and user.is_bureau


def bureau_division(user):
    """The division a city or province reviewer is limited to (None: the deployment's whole area).

    Administrators see everything; a city reviewer without a division sees the whole portal, as before
    cities existed.
    """
    if user.is_superuser or not (is_city_reviewer(user) or is_province_reviewer(user)):
        return None
    return user.division if user.division_id else None


def is_bureau_admin(user):
    """City administrators: the only ones who change city-wide lists and revert history."""
    return is_signed_in(user) and user.is_bureau_admin


def can_edit(user, obj=None, *, bureau_only=False):
    """Clerks change their own street's records; bureau administrators change everything.

    Reviewers only read. ``bureau_only`` marks records (divisions, targets, city-wide lists) that only
    administrators create, change or delete. With ``obj``, a clerk may change it only if it is in their street.
    """
    if is_bureau_admin(user):
        return True
    if bureau_only or not is_clerk(user):
        return False
    if obj is None:
        return True
    from core.scoping import street_q

    return type(obj)._default_manager.filter(street_q(type(obj), user.division), pk=obj.pk).exists()


def can_read_history(user):
    """The audit history: bureau staff, and district reviewers for their district's records (scoped)."""
    return is_signed_in(user) and (user.is_bureau or user.role == Role.DISTRICT)


def can_revert_history(user):
    """Saving an old revision back: administrators only."""
    return is_bureau_admin(user)


def can_review(user, street):
    """Whether ``user`` reviews ``street``'s reporting periods: its district's reviewer (and only for it)."""
    return is_district_reviewer(user) and street.district_id == user.division_id


def can_accept(user):
    """The city's acceptance (确认) of approved periods: city reviewers and administrators."""
    return can_view_all(user)


def can_see_personal_data(user):
    """Elders' ID numbers and phones, members' phones: bureau staff, and clerks for their own street."""
    return is_signed_in(user) and (user.is_bureau or is_clerk(user))


def may_export(user):
    """Exporting the data-exchange workbook (it carries personal data)."""
    return can_see_personal_data(user)


def may_import(user):
    """Importing a workbook: clerks (their street only) and administrators; ``None`` is the command line."""
    return user is None or is_bureau_admin(user) or is_clerk(user)


def may_handle_residents_submissions(user):
    """Residents' error reports and ratings: whoever edits the records, and bureau staff who read them all."""
    return can_edit(user) or can_view_all(user)


def is_clerk_of(user, street_id):
    """The clerk of that street (submits its months, fixes its returns)."""
    return is_clerk(user) and user.division_id == street_id
