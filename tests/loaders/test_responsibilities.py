from policykg.loaders.responsibilities import find_owner_clauses, parse_owner_text


def _owners(text: str) -> list[tuple[str, str]]:
    return [(o.name, o.role) for c in find_owner_clauses(text, 0) for o in c.owners]


def test_labelled_bracket_with_several_roles() -> None:
    assert _owners("推进整合。(牵头单位:市发改委;配合单位:市财政局、自然资源局)") == [
        ("市发改委", "lead"), ("市财政局", "support"), ("市自然资源局", "support")]


def test_responsibility_bracket_keeps_written_order_and_all_bracket_styles() -> None:
    assert _owners("加强保护。〔责任单位:省市场监管局、科技厅〕") == [("省市场监管局", "responsible"), ("省科技厅", "responsible")]


def test_label_line_and_leaders_who_are_people() -> None:
    assert _owners("区直牵头单位:区发改局、区工信局") == [("区发改局", "lead"), ("区工信局", "lead")]
    assert _owners("牵头领导:高加志") == []
    assert _owners("实施主体:各工业园区") == [("各工业园区", "implementer")]


def test_labels_closing_a_paragraph_end_with_their_sentence() -> None:
    """Word documents often set an item's owners after its last sentence, in the same paragraph."""
    assert _owners("完善公共服务。主责单位:市人社局;协同单位:市教育局。") == [("市人社局", "lead"), ("市教育局", "support")]
    assert _owners("加强土地集约利用。 责任部门:市自然资源和规划局。完成时限:2025年底前") == [
        ("市自然资源和规划局", "responsible")]
    text = "推进建设;牵头单位:区商务局"
    clause, = find_owner_clauses(text, 5)
    assert (clause.kind, text[clause.start - 5:clause.end - 5]) == ("label", "牵头单位:区商务局")


def test_a_label_inside_a_sentence_or_a_bracket_is_no_closing_label() -> None:
    assert _owners("要明确责任单位:各园区管委会。") == []
    assert _owners("建设园区(建成后移交。责任单位:区商务局)。") == []  # a bracket names owners from its start


def test_a_label_s_agencies_end_at_another_field_and_may_stand_apart_by_spaces() -> None:
    assert _owners("推进。(责任单位:市发改委;完成时限:2022年底)") == [("市发改委", "responsible")]
    assert _owners("推进。(牵头单位:市发改委  配合单位:市财政局 市商务局)") == [
        ("市发改委", "lead"), ("市财政局", "support"), ("市商务局", "support")]


def test_role_verbs_under_a_label_give_their_roles_unless_they_say_only_负责() -> None:
    assert _owners("推进。(责任单位:市发改委牵头,市直相关部门按职责分工负责)") == [
        ("市发改委", "lead"), ("市直相关部门", "responsible")]
    assert _owners("推进。(牵头单位:市发改委、市科技局负责)") == [("市发改委", "lead"), ("市科技局", "lead")]


def test_role_verbs_in_a_bracket() -> None:
    assert _owners("推进。(市发改委牵头,市财政局、市商务局配合)") == [
        ("市发改委", "lead"), ("市财政局", "support"), ("市商务局", "support")]
    assert _owners("推进。(市科技局按职责分工负责)") == [("市科技局", "responsible")]


def test_brackets_that_name_no_owner_are_ignored() -> None:
    assert _owners("建设中国(湖北)自由贸易试验区,提高到2025年(含)的水平。") == []


def test_sentences_naming_implementer_and_lead() -> None:
    assert _owners("各县(市、区)是平台优化提升工作的责任主体,要因地制宜。") == [("各县(市、区)", "implementer")]
    assert _owners("由市商务局牵头,建立联席会议。") == [("市商务局", "lead")]


def test_offsets_point_at_each_owner() -> None:
    text = "推进。(责任单位:市发改委、市财政局)"
    for clause in find_owner_clauses(text, 0):
        for owner in clause.owners:
            assert text[owner.start:owner.end] == owner.as_written
    assert parse_owner_text("责任单位:市发改委", 10)[0].start == 15
