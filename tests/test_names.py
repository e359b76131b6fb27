"""Owner names derived from the full Thai name, never typed per office.

Readable names are what the bot shows; `keys` (squashed: no spaces, dots or case) are what
questions are matched against, so "สพป.แพร่1" and "สพป. แพร่ 1" are the same name.
"""

from __future__ import annotations

import pytest

from index.names import derive_names, province_list
from index.text import squash

PHRAE_1 = "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาแพร่ เขต 1"
LAMPANG_1 = "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาลำปาง เขต 1"
SPM_13 = "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษา เขต 13"


@pytest.mark.parametrize(
    ("office", "name"),
    [
        (PHRAE_1, PHRAE_1),
        (PHRAE_1, "สพป.แพร่ เขต 1"),
        (PHRAE_1, "สพป.แพร่ 1"),
        (PHRAE_1, "แพร่ เขต 1"),
        (PHRAE_1, "แพร่ 1"),
        (PHRAE_1, "สพป.พร.1"),
        (PHRAE_1, "Phrae area 1"),
        (LAMPANG_1, "สพป.ลำปาง เขต 1"),
        (LAMPANG_1, "สพป.ลป.1"),
        (LAMPANG_1, "Lampang area 1"),
        (SPM_13, "สพม.13"),
        ("สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาเชียงใหม่", "สพม.เชียงใหม่"),
        ("สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาเชียงใหม่", "สพม.ชม."),
        ("สำนักงานเขตพื้นที่การศึกษาประถมศึกษานครราชสีมา เขต 7", "สพป.นม.7"),
        ("สำนักงานเขตพื้นที่การศึกษาประถมศึกษานครราชสีมา เขต 7", "Nakhon Ratchasima area 7"),
        ("สำนักงานเขตพื้นที่การศึกษาประถมศึกษากรุงเทพมหานคร", "สพป.กรุงเทพมหานคร"),
        ("สำนักงานเขตพื้นที่การศึกษาประถมศึกษากรุงเทพมหานคร", "Bangkok"),
        ("โรงเรียนสวนกุหลาบวิทยาลัย", "สวนกุหลาบวิทยาลัย"),
        ("โรงเรียนสวนกุหลาบวิทยาลัย", "สวนกุหลาบ"),
        ("โรงเรียนสวนกุหลาบวิทยาลัย", "รร.สวนกุหลาบวิทยาลัย"),
        ("โรงเรียนบ้านหนองบัว", "บ้านหนองบัว"),
        ("สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน", "สพฐ."),
        ("สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน", "OBEC"),
    ],
)
def test_readable_names(office, name):
    assert name in derive_names(office).names


@pytest.mark.parametrize(
    ("office", "asked"),
    [
        (PHRAE_1, "สพป.แพร่1"),
        (PHRAE_1, "สพป. แพร่ 1"),
        (PHRAE_1, "สพปแพร่เขต1"),
        (PHRAE_1, "สพป.แพร่ เขต ๑"),
        (PHRAE_1, "แพร่1"),
        (PHRAE_1, "สพป.พร. 1"),
        (PHRAE_1, "phrae area 1"),
        (LAMPANG_1, "สพป.ลป.1"),
        (LAMPANG_1, "สพปลป1"),
        (SPM_13, "สพม13"),
        (SPM_13, "สพม. 13"),
        (SPM_13, "สพม.เขต 13"),
        ("โรงเรียนสวนกุหลาบวิทยาลัย", "สวนกุหลาบ"),
        ("โรงเรียนสวนกุหลาบวิทยาลัย", "รรสวนกุหลาบวิทยาลัย"),
        ("สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน", "สพฐ"),
        ("สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน", "obec"),
    ],
)
def test_names_as_people_type_them_match_a_key(office, asked):
    assert squash(asked) in derive_names(office).keys


@pytest.mark.parametrize(
    ("office", "kind", "display", "provinces", "area"),
    [
        (PHRAE_1, "spp", "สพป.แพร่ เขต 1", ["แพร่"], 1),
        (LAMPANG_1, "spp", "สพป.ลำปาง เขต 1", ["ลำปาง"], 1),
        (SPM_13, "spm", "สพม. เขต 13", [], 13),
        ("สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาลำปาง ลำพูน", "spm", "สพม.ลำปาง ลำพูน",
         ["ลำปาง", "ลำพูน"], None),
        ("สำนักงานเขตพื้นที่การศึกษาประถมศึกษาสุราษฎร์ธานี เขต 2", "spp", "สพป.สุราษฎร์ธานี เขต 2",
         ["สุราษฎร์ธานี"], 2),
        ("โรงเรียนสวนกุหลาบวิทยาลัย", "school", "โรงเรียนสวนกุหลาบวิทยาลัย", [], None),
        ("สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน", "obec", "สพฐ.", [], None),
        ("สพฐ.", "obec", "สพฐ.", [], None),
        ("แผนไม่ระบุหน่วยงาน 1", "other", "แผนไม่ระบุหน่วยงาน 1", [], None),
        # a provincial education office serves its province: "จังหวัดน่าน" in a question
        ("สำนักงานศึกษาธิการจังหวัดน่าน", "other", "ศธจ.น่าน", ["น่าน"], None),
        ("สำนักงานศึกษาธิการจังหวัดแม่ฮ่องสอน", "other", "ศธจ.แม่ฮ่องสอน", ["แม่ฮ่องสอน"], None),
        ("ศูนย์การเรียนรู้จังหวัดน่าน", "other", "ศูนย์การเรียนรู้จังหวัดน่าน", ["น่าน"], None),
    ],
)
def test_kind_display_province_and_area(office, kind, display, provinces, area):
    names = derive_names(office)
    assert (names.kind, names.display, names.provinces, names.area) == (
        kind, display, provinces, area
    )


def test_level_gives_the_prefix():
    assert "สพป.แพร่ 1" in derive_names(PHRAE_1).names
    secondary = derive_names("สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาแพร่")
    assert secondary.kind == "spm"
    assert "สพม.แพร่" in secondary.names
    assert not any(n.startswith("สพป") for n in secondary.names)


def test_two_provinces_give_both_abbreviations_and_english_names():
    names = derive_names("สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาลำปาง ลำพูน").names
    assert "สพม.ลป.ลพ." in names
    assert "Lampang Lamphun" in names


def test_province_abbreviations_come_from_pythainlp():
    """No hand-typed table: every province of PyThaiNLP's list gives its own abbreviation."""
    provinces = province_list()
    assert len(provinces) >= 77
    for province in provinces:
        names = derive_names(f"สำนักงานเขตพื้นที่การศึกษาประถมศึกษา{province.name} เขต 2")
        assert names.provinces == [province.name], province.name
        assert f"สพป.{province.abbr}.2" in names.names, province.name
        assert f"{province.english} area 2" in names.names, province.name


def test_thai_digits_and_extra_spaces_in_the_office_name():
    names = derive_names("สำนักงานเขตพื้นที่การศึกษาประถมศึกษาแพร่  เขต ๑")
    assert names.area == 1
    assert "สพป.แพร่ 1" in names.names


def test_short_and_aliases_from_front_matter_come_first_and_are_kept():
    names = derive_names(PHRAE_1, short="สพป.แพร่ 1", aliases=["แพร่หนึ่ง", ""])
    assert names.names[:2] == [PHRAE_1, "สพป.แพร่ 1"]
    assert names.display == "สพป.แพร่ 1"
    assert "แพร่หนึ่ง" in names.names
    assert "" not in names.names


def test_names_and_keys_have_no_duplicates():
    for office in (PHRAE_1, LAMPANG_1, SPM_13, "โรงเรียนสวนกุหลาบวิทยาลัย"):
        names = derive_names(office, short="สพป.แพร่ เขต 1")
        assert len(names.names) == len(set(names.names))
        assert len(names.keys) == len(set(names.keys))
        assert all(key == squash(key) for key in names.keys)


def test_different_areas_do_not_share_a_key():
    one = set(derive_names(PHRAE_1).keys)
    two = set(derive_names("สำนักงานเขตพื้นที่การศึกษาประถมศึกษาแพร่ เขต 2").keys)
    assert not one & two


def test_an_unidentified_plan_is_not_given_an_office():
    names = derive_names("แผนไม่ระบุหน่วยงาน 1")
    assert names.names[0] == "แผนไม่ระบุหน่วยงาน 1"
    assert (names.kind, names.provinces, names.area) == ("other", [], None)
    assert not any(n.startswith(("สพป", "สพม", "สพฐ")) for n in names.names)
    assert not set(names.keys) & set(derive_names("แผนไม่ระบุหน่วยงาน 2").keys)


def test_school_names_drop_only_a_real_suffix():
    names = derive_names("โรงเรียนวิทยา").names  # too short to lose its ending
    assert "" not in names
    assert all(len(squash(n)) >= 2 for n in names)


def test_an_alias_by_the_provinces_letters_is_also_found_as_teachers_shorten_it():
    """"สพป.ชม.3" as an alias: "เขตชม.3" and "ชม. เขต 3" name the office too (the bot had
    read "…ของเขตชม.3" as the topic words "เขต, ช"); "ชม.3" alone does not."""
    names = derive_names("สำนักงานเขตพื้นที่การศึกษาประถมศึกษาเชียงใหม่ เขต 3",
                         "สพป.เชียงใหม่ เขต 3", ["สพป.ชม.3"])
    assert {"เขตชม3", "ชมเขต3"} <= set(names.keys) and "ชม3" not in names.keys
