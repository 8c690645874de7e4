from policykg.loaders.blocks import parse_page
from policykg.loaders.records import Measure
from policykg.loaders.task_tables import table_measures
from policykg.loaders.textmap import MappedText

PLAN = "\n".join([
    "附件",
    "重点任务分工表",
    "序号\t重点任务\t牵头单位（部门）\t配合单位\t完成时限",
    "一、优化布局",
    "1\t推进园区整合。合理确定园区边界。\t市发展改革委\t市自然资源和规划局、市生态环境局\t2024年底",
    "2.\t建设智慧园区管理平台\t市发改委牵头，市大数据局配合\t\t2025年6月",  # numbered as Word's lists draw it
    "二、强化招商",
    "4\t开展产业链精准招商\t\t\t长期",
    "\t\t",
    "各牵头单位要于每季度末报送进展情况。",
    "序号\t项目名称\t总投资（亿元）",
    "1\t智能制造产业园\t50",
    "项目\t工作内容\t责任单位",
    "甲\t完善园区配套设施\t区住房城乡建设局",
    "乙\t优化审批流程\t区政务服务局（牵头）  区司法局",  # a paragraph each, read as one line
])


def _measures(text: str = PLAN) -> tuple[Measure, ...]:
    return table_measures(list(parse_page(text).blocks), MappedText.identity(text))


def test_each_row_of_a_task_table_is_a_measure_owned_in_the_role_its_column_says() -> None:
    assert [(m.measure_id, m.heading, [(a.name, a.role) for a in m.agencies]) for m in _measures()] == [
        ("表1.1", "推进园区整合", [("市发展改革委", "lead"), ("市自然资源和规划局", "support"), ("市生态环境局", "support")]),
        ("表1.2", "建设智慧园区管理平台", [("市发改委", "lead"), ("市大数据局", "support")]),  # as the cell says
        ("表1.4", "开展产业链精准招商", []),  # numbered 4 as its 序号 cell says; no owner written
        ("表2.1", "完善园区配套设施", [("区住房城乡建设局", "responsible")]),  # no 序号 column: its place
        ("表2.2", "优化审批流程", [("区政务服务局", "lead"), ("区司法局", "responsible")])]  # a role noted after one


def test_an_owner_s_span_and_clause_point_at_the_cell_that_names_it() -> None:
    first = _measures()[0]
    for agency in first.agencies:
        assert PLAN[agency.span.start:agency.span.end] == agency.as_written
    assert first.agencies[1].clause == "配合单位:市自然资源和规划局、市生态环境局"
    assert PLAN[first.span.start:first.span.end].startswith("1\t推进园区整合")
    assert first.text == "1 | 推进园区整合。合理确定园区边界。 | 市发展改革委 | 市自然资源和规划局、市生态环境局 | 2024年底"


def test_of_two_task_columns_the_second_is_the_measure_the_first_groups() -> None:
    table = "序号\t重点任务\t工作任务及目标\t责任单位\n1\t优化布局\t推进园区整合。到2025年整合完成。\t市发改委"
    (measure,) = _measures(table)
    assert (measure.measure_id, measure.heading) == ("表1.1", "推进园区整合")


def test_a_table_without_an_owners_column_and_lines_with_tabs_are_no_task_table() -> None:
    assert not _measures("序号\t项目名称\t总投资（亿元）\n1\t智能制造产业园\t50\n1.\t主要任务\n(一)\t优化布局")


def test_a_header_repeated_atop_a_page_continues_its_table() -> None:
    """A PDF repeats a table's header on each page it runs to: the rows under it go on in the same table."""
    text = "\n".join(["序号\t重点任务\t牵头单位", "1\t建设智慧园区\t市工信局",
                      "序号\t重点任务\t牵头单位", "2\t优化营商环境\t市发展改革委"])
    assert [(m.measure_id, m.heading) for m in _measures(text)] == [("表1.1", "建设智慧园区"), ("表1.2", "优化营商环境")]
