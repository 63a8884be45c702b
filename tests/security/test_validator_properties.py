"""Property-based tests (hypothesis) on the validators people's data passes through.

GB 11643 ID check digit, weekly opening hours, division codes.
"""

import re

import pytest
from django.core.exceptions import ValidationError
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from core.hours import HOURS_REGEX, MAX_INTERVALS, normalise_hours, parse_hours
from core.models import Division, Kind, Level, code_level
from eldercare.models import ID_CHECK, id_check_digit, validate_id_number

# No per-example deadline: on a loaded two-core CI machine the first example also loads the translation catalogue.
relaxed = settings(deadline=None)
first17 = st.text(alphabet="0123456789", min_size=17, max_size=17)


def error_codes(exc):
    return {error.code for error in exc.error_list}


# --- GB 11643 resident ID numbers -------------------------------------------------------------


@relaxed
@given(first17)
@example("11010519491231002")  # the standard's own example: check digit X
def test_seventeen_digits_and_their_check_digit_pass(body):
    check = id_check_digit(body)
    assert check in ID_CHECK
    validate_id_number(body + check)
    validate_id_number(body + check.lower())  # a lower-case x is the same number


def test_the_standard_s_example_has_check_digit_x():
    assert id_check_digit("11010519491231002") == "X"


@relaxed
@given(first17, st.sampled_from("0123456789X"))
def test_any_other_check_character_fails_naming_the_expected_one(body, last):
    assume(last != id_check_digit(body))
    with pytest.raises(ValidationError) as caught:
        validate_id_number(body + last)
    assert error_codes(caught.value) == {"id_check_digit"}
    assert f"应为 {id_check_digit(body)}" in caught.value.messages[0]


@relaxed
@given(first17, st.characters(exclude_characters="0123456789Xx"))
def test_any_last_character_that_is_neither_digit_nor_x_fails(body, last):
    with pytest.raises(ValidationError) as caught:
        validate_id_number(body + last)
    assert error_codes(caught.value) <= {"id_shape", "id_check_digit"}


@relaxed
@given(first17, st.characters(codec="ascii", exclude_characters="0123456789Xx"))
def test_an_ascii_last_character_that_is_neither_digit_nor_x_is_a_shape_error(body, last):
    with pytest.raises(ValidationError) as caught:
        validate_id_number(body + last)
    assert error_codes(caught.value) == {"id_shape"}


@relaxed
@given(first17, st.integers(0, 16), st.sampled_from("¹²³０１９٣"))
def test_only_ascii_digits_make_an_id_number(body, position, odd_digit):
    text = body[:position] + odd_digit + body[position + 1 :]
    with pytest.raises(ValidationError) as caught:
        validate_id_number(text + "X")
    assert error_codes(caught.value) == {"id_shape"}


@relaxed
@given(first17, st.integers(0, 16), st.integers(1, 9))
def test_a_single_mistyped_digit_is_always_caught(body, position, delta):
    wrong = body[:position] + str((int(body[position]) + delta) % 10) + body[position + 1 :]
    with pytest.raises(ValidationError):
        validate_id_number(wrong + id_check_digit(body))


@relaxed
@given(first17, st.integers(0, 15))
def test_swapping_two_different_neighbouring_digits_is_always_caught(body, position):
    assume(body[position] != body[position + 1])
    swapped = body[:position] + body[position + 1] + body[position] + body[position + 2 :]
    with pytest.raises(ValidationError):
        validate_id_number(swapped + id_check_digit(body))


@relaxed
@given(st.text(alphabet=st.characters(codec="ascii"), max_size=25))
def test_arbitrary_text_is_either_a_valid_id_or_a_validation_error(text):
    try:
        validate_id_number(text)
    except ValidationError as exc:
        assert error_codes(exc) <= {"id_shape", "id_check_digit"}
    else:
        clean = text.strip().upper()
        assert re.fullmatch(r"\d{17}[\dX]", clean) and id_check_digit(clean[:17]) == clean[17]


# --- Opening hours ----------------------------------------------------------------------------

DAY = 24 * 60


def hhmm(minutes, pad=True):
    hour, minute = divmod(minutes, 60)
    return f"{hour:02d}:{minute:02d}" if pad else f"{hour}:{minute:02d}"


@st.composite
def valid_days(draw):
    """One or two non-overlapping intervals within a day, as (canonical text, intervals in minutes)."""
    count = draw(st.integers(1, MAX_INTERVALS))
    points = sorted(draw(st.lists(st.integers(0, DAY - 1), min_size=2 * count, max_size=2 * count, unique=True)))
    if count == 2 and draw(st.booleans()):
        points[2] = points[1]  # touching intervals (lunch break of zero minutes) are allowed
        assume(points[2] < points[3])
    intervals = [(points[i], points[i + 1]) for i in range(0, 2 * count, 2)]
    return intervals


def typed(intervals, draw, *, fullwidth=False):
    """How a person might type the intervals: any order, unpadded hours, spaces, full-width punctuation."""
    order = draw(st.permutations(intervals))
    pad = draw(st.booleans())
    space = draw(st.sampled_from(["", " ", "\u3000"])) if fullwidth else draw(st.sampled_from(["", " "]))
    dash = draw(st.sampled_from(["－", "—", "–", "～", "~"])) if fullwidth else "-"
    colon = "：" if fullwidth else ":"
    comma = draw(st.sampled_from(["，", "；", "、", ";"])) if fullwidth else ","
    parts = [f"{hhmm(a, pad)}{space}{dash}{space}{hhmm(b, pad)}".replace(":", colon) for a, b in order]
    return f"{comma}{space}".join(parts)


def canonical(intervals):
    return ",".join(f"{hhmm(a)}-{hhmm(b)}" for a, b in intervals)


@relaxed
@given(valid_days(), st.data())
def test_valid_intervals_are_accepted_and_stored_in_canonical_form(intervals, data):
    raw = typed(intervals, data.draw)
    assert normalise_hours(raw) == canonical(intervals)
    minutes = [((i.start.hour * 60 + i.start.minute), (i.end.hour * 60 + i.end.minute)) for i in parse_hours(raw)]
    assert minutes == intervals


@relaxed
@given(valid_days(), st.data())
def test_the_stored_form_re_parses_to_itself_and_satisfies_the_database_checks(intervals, data):
    stored = normalise_hours(typed(intervals, data.draw))
    assert normalise_hours(stored) == stored
    assert parse_hours(stored) == parse_hours(typed(intervals, data.draw))
    # The same conditions the CheckConstraints of core.hours put on the column (string order is time order).
    assert re.fullmatch(HOURS_REGEX, stored)
    assert stored[0:5] < stored[6:11]
    if "," in stored:
        assert stored[6:11] <= stored[12:17] < stored[18:23]


@relaxed
@given(valid_days(), st.data())
def test_full_width_punctuation_and_spaces_mean_the_same_as_ascii(intervals, data):
    assert normalise_hours(typed(intervals, data.draw, fullwidth=True)) == canonical(intervals)


@relaxed
@given(valid_days())
def test_full_width_digits_mean_the_same_as_ascii(intervals):
    wide = canonical(intervals).translate(str.maketrans("0123456789:-,", "０１２３４５６７８９：－，"))
    assert normalise_hours(wide) == canonical(intervals)


@relaxed
@given(st.integers(0, DAY - 1), st.integers(0, DAY - 1))
def test_an_interval_that_does_not_end_after_it_starts_is_refused(start, end):
    assume(end <= start)
    with pytest.raises(ValidationError) as caught:
        parse_hours(f"{hhmm(start)}-{hhmm(end)}")
    assert error_codes(caught.value) == {"end_before_start"}


@relaxed
@given(st.lists(st.integers(0, DAY - 1), min_size=4, max_size=4, unique=True), st.booleans())
def test_overlapping_intervals_are_refused_in_either_order(points, swap):
    a, b, c, d = sorted(points)
    first, second = (a, c), (b, d)  # b lies inside the first interval
    if swap:
        first, second = second, first
    with pytest.raises(ValidationError) as caught:
        parse_hours(f"{hhmm(first[0])}-{hhmm(first[1])},{hhmm(second[0])}-{hhmm(second[1])}")
    assert error_codes(caught.value) == {"overlap"}


@relaxed
@given(st.lists(st.integers(0, DAY - 1), min_size=6, max_size=6, unique=True))
def test_more_than_two_intervals_are_refused(points):
    p = sorted(points)
    with pytest.raises(ValidationError) as caught:
        parse_hours(",".join(f"{hhmm(p[i])}-{hhmm(p[i + 1])}" for i in range(0, 6, 2)))
    assert error_codes(caught.value) == {"too_many"}


@relaxed
@given(st.sampled_from(["", "休息", "闭馆", "closed", "CLOSED", " - ", "无", None]))
def test_closed_words_mean_closed(raw):
    assert parse_hours(raw) == []
    assert normalise_hours(raw) == ""


@settings(max_examples=3 * settings.default.max_examples, deadline=None)  # 300 under make test-deep
@given(st.text(alphabet="0123456789:：-－~，,、 休息abc２", max_size=30))
def test_arbitrary_input_is_stored_canonically_or_refused_with_a_validation_error(raw):
    try:
        stored = normalise_hours(raw)
    except ValidationError as exc:
        assert error_codes(exc) <= {"invalid_format", "invalid_time", "end_before_start", "overlap", "too_many"}
    else:
        assert re.fullmatch(HOURS_REGEX, stored)
        assert normalise_hours(stored) == stored


# --- Division codes ---------------------------------------------------------------------------

two_nonzero = st.text(alphabet="0123456789", min_size=2, max_size=2).filter(lambda s: s != "00")
# A district's six digits: its last two are not 00 (``xxxx00`` + six zeros is a city, ``xx0000`` a province).
six = st.builds(str.__add__, st.text(alphabet="0123456789", min_size=4, max_size=4), two_nonzero)
three_nonzero = st.text(alphabet="0123456789", min_size=3, max_size=3).filter(lambda s: s != "000")


@relaxed
@given(two_nonzero, two_nonzero, two_nonzero, three_nonzero, three_nonzero)
def test_a_code_s_level_follows_its_trailing_zeros(province, city, district, street, community):
    assert code_level(province + "0" * 10) == Level.PROVINCE
    assert code_level(province + city + "0" * 8) == Level.CITY
    prefix = province + city + district
    assert code_level(prefix + "000000") == Level.DISTRICT
    assert code_level(prefix + street + "000") == Level.STREET
    assert code_level(prefix + street + community) == Level.COMMUNITY
    assert code_level(prefix + "000" + community) == Level.COMMUNITY


@relaxed
@given(st.text(max_size=14))
def test_anything_but_twelve_ascii_digits_has_no_level(text):
    assume(not re.fullmatch(r"[0-9]{12}", text))
    assert code_level(text) is None


def division(code, kind, parent=None, pk=None):
    """An unsaved division whose parent counts as chosen (a pk is all clean() needs of it)."""
    item = Division(code=code, name="测试", kind=kind, households=1, pk=pk)
    if parent is not None:
        item.parent = parent
    item.resolve_ancestors()
    return item


@relaxed
@given(six, six, three_nonzero)
def test_a_street_code_must_start_with_its_district_s_six_digits(district_prefix, street_prefix, street_part):
    district = division(district_prefix + "000000", Kind.DISTRICT, pk=1)
    street = division(street_prefix + street_part + "000", Kind.STREET, parent=district)
    if street_prefix == district_prefix:
        street.clean()
    else:
        with pytest.raises(ValidationError) as caught:
            street.clean()
        assert set(caught.value.message_dict) == {"code"}
        assert f"前 6 位 {district_prefix}" in caught.value.message_dict["code"][0]


@relaxed
@given(six, three_nonzero, st.text(alphabet="0123456789", min_size=9, max_size=9), three_nonzero)
def test_a_community_code_must_start_with_its_street_s_nine_digits(prefix, street_part, community_prefix, tail):
    district = division(prefix + "000000", Kind.DISTRICT, pk=1)
    street = division(prefix + street_part + "000", Kind.STREET, parent=district, pk=2)
    community = division(community_prefix + tail, Kind.COMMUNITY, parent=street)
    if community_prefix == prefix + street_part:
        community.clean()
        assert community.street is street and community.district_id == district.pk
    else:
        with pytest.raises(ValidationError) as caught:
            community.clean()
        assert set(caught.value.message_dict) == {"code"}
        assert f"前 9 位 {prefix + street_part}" in caught.value.message_dict["code"][0]


@relaxed
@given(six, three_nonzero, three_nonzero, st.sampled_from([Kind.DISTRICT, Kind.STREET, Kind.TOWN, Kind.COMMUNITY, Kind.VILLAGE]))
def test_a_code_whose_shape_contradicts_the_kind_is_refused(prefix, street_part, community_part, kind):
    codes = {
        Level.DISTRICT: prefix + "000000",
        Level.STREET: prefix + street_part + "000",
        Level.COMMUNITY: prefix + street_part + community_part,
    }
    expected_level = {Kind.DISTRICT: Level.DISTRICT, Kind.STREET: Level.STREET, Kind.TOWN: Level.STREET}.get(
        kind, Level.COMMUNITY
    )
    for level, code in codes.items():
        if level == expected_level == Level.DISTRICT:
            continue  # a well-formed district: nothing to refuse
        item = division(code, kind)
        with pytest.raises(ValidationError) as caught:
            item.clean()
        errors = caught.value.message_dict
        if level == expected_level:
            assert "code" not in errors  # only the missing parent is wrong
        else:
            assert "形状" in errors["code"][0]
