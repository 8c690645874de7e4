from policykg.loaders.blocks import Block
from policykg.loaders.outline import OutlineBuilder, parse_marker


def _items(lines: list[str]) -> list[str]:
    builder = OutlineBuilder()
    found = []
    for i, line in enumerate(lines):
        item = builder.feed(Block(i, i + 1, line))
        if item:
            found.append(item.measure_id)
    return found


def test_marker_styles() -> None:
    assert parse_marker("一、总体要求")[:2] == ("cn", "一")
    assert parse_marker("（十二）加强组织")[:2] == ("paren_cn", "(十二)")
    assert parse_marker("3．推进")[:2] == ("arabic", "3")
    assert parse_marker("(2)推行")[:2] == ("paren_arabic", "(2)")
    assert parse_marker("2025年目标") is None
    assert parse_marker("1.5倍") is None


def test_numbers_set_as_one_character_or_in_full_width_read_as_their_plain_forms() -> None:
    """Word's and some pages' numbers: ⑴ is (1), ⒈ is 1., １２． is 12.: the same ids, and their
    sequence counts (⑵ follows ⑴)."""
    assert [parse_marker(text)[:2] for text in ("⑴推行", "⒛推行", "⒈推进", "（１２）推进", "１２．推进")] == [
        ("paren_arabic", "(1)"), ("arabic", "20"), ("arabic", "1"), ("paren_arabic", "(12)"), ("arabic", "12")]
    lines = ["二、主要任务", "(一)规划", "⒈布局", "⑴集中", "⑵集聚", "⒉产业", "３．谋划"]
    assert _items(lines) == ["二", "二.(一)", "二.(一).1", "二.(一).1.(1)", "二.(一).1.(2)", "二.(一).2", "二.(一).3"]


def test_levels_follow_first_appearance_and_numbering_runs_through() -> None:
    lines = ["二、主要任务", "(一)规划", "1、布局", "2、集中", "(二)产业", "3、谋划", "三、保障措施", "(一)组织"]
    assert _items(lines) == ["二", "二.(一)", "二.(一).1", "二.(一).2", "二.(二)", "二.(二).3", "三", "三.(一)"]


def test_pasted_fragment_with_backwards_numbering_is_not_outline() -> None:
    lines = ["(二)产业", "1.光电子", "2.生命健康", "3.集群", "2.高端医疗器械:项目A", "3.生物农业:项目B",
             "4.产业平台:项目C", "5.其他:项目D", "4.未来产业", "(三)数字经济"]
    assert _items(lines) == ["(二)", "(二).1", "(二).2", "(二).3", "(二).4", "(三)"]


def test_task_section_marks_its_descendants() -> None:
    builder = OutlineBuilder()
    builder.feed(Block(0, 1, "一、指导思想"))
    guiding = builder.feed(Block(1, 2, "(一)坚持创新。"))
    builder.feed(Block(2, 3, "二、主要任务"))
    task = builder.feed(Block(3, 4, "(一)优化布局。推进。"))
    assert not guiding.in_task_section
    assert task.in_task_section


def test_circled_numbers_count_and_never_crash() -> None:
    assert _items(["(一)甲", "①乙", "②丙", "③丁"]) == ["(一)", "(一).①", "(一).②", "(一).③"]
    assert _items(["①"]) == ["①"]
