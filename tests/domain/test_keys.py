"""A stored key read by a person: the values joined, anything else as it was stored."""

from spend.domain.keys import key_values, readable_key


def test_a_key_reads_as_its_values_joined() -> None:
    assert readable_key('["C06-020M02","6281/930202",2022,"BP"]') == (
        "C06-020M02 / 6281/930202 / 2022 / BP"
    )
    assert readable_key('["A",null]') == "A / "


def test_what_is_not_an_array_is_kept_as_stored() -> None:
    assert readable_key("collectivity_name") == "collectivity_name"
    assert readable_key('{"a": 1}') == '{"a": 1}'
    assert readable_key(None) == ""
    assert key_values("pas du json") is None
