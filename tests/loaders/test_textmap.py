from policykg.loaders.records import Span
from policykg.loaders.textmap import MappedText


def test_identity_maps_each_character_to_itself() -> None:
    text = MappedText.identity("开发区建设")
    assert text.span(0, 5) == Span(0, 5)
    assert text.span(2, 3) == Span(2, 3)


def test_pieces_of_another_length_share_their_range() -> None:
    text = MappedText.from_pieces([("甲", 0, 1), ("&", 1, 6), ("乙", 6, 7)])
    assert text.text == "甲&乙"
    assert text.span(1, 2) == Span(1, 6)
    assert text.span(0, 3) == Span(0, 7)


def test_compose_maps_through_two_transformations() -> None:
    outer = MappedText.from_pieces([("甲", 0, 1), ("&", 1, 6), ("乙", 6, 7)])
    inner = MappedText.from_pieces([("乙", 2, 3)])
    assert outer.compose(inner).span(0, 1) == Span(6, 7)


def test_compose_through_an_identity_is_the_inner_map() -> None:
    inner = MappedText.from_pieces([("乙", 2, 3), ("&", 3, 5)])
    composed = MappedText.identity("甲乙丙丁戊").compose(inner)
    assert (composed.text, composed.starts, composed.ends) == (inner.text, inner.starts, inner.ends)


def test_compose_through_a_map_that_widens_its_last_character_keeps_the_width() -> None:
    outer = MappedText.from_pieces([("甲", 0, 1), ("&", 1, 6)])  # starts as the identity's, ends not
    assert outer.compose(MappedText.from_pieces([("&", 1, 2)])).span(0, 1) == Span(1, 6)
