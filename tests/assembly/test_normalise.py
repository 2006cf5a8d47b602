"""One test group per named normalisation rule."""

from __future__ import annotations

import pytest
from duty_lists.schema.assembly.department_cells import is_discontinued, split_departments, split_reclaimed
from duty_lists.schema.assembly.normalise import (
    carry_line_end_markers,
    clean_remark,
    collapse_space,
    gap_is_separator,
    html_to_text,
    is_heading,
    join_wrapped,
    join_wrapped_phrase,
    split_glued,
    split_steps,
    word_cut_by_gap,
)


class TestHtmlStrip:
    def test_block_tags_become_hard_breaks_even_unclosed(self):
        assert html_to_text('<ol style="list-style-type: none"> 起草方案； 审核人选；').split("\n") == [
            "", " 起草方案； 审核人选；",
        ]

    def test_paragraphs_and_entities(self):
        assert html_to_text("<p>师市民政局：</p> <p>A&amp;B</p>") == "\n师市民政局：\n \nA&B\n"

    def test_inline_tags_vanish(self):
        assert html_to_text("<span>加强</span><b>管理</b>") == "加强管理"

    def test_plain_text_untouched(self):
        assert html_to_text("a < b 不是标签") == "a < b 不是标签"


class TestPhraseWraps:
    @pytest.mark.parametrize(
        ("printed", "expected"),
        [
            ("管理工 作", "管理工作"),
            ("统计执法检查 和统计违法违纪 案件查处", "统计执法检查和统计违法违纪案件查处"),
            ("殡葬违法违规行 为监管", "殡葬违法违规行为监管"),
            ("行政区划、行政 区域界线及地名 管理", "行政区划、行政区域界线及地名管理"),
            ("师市卫生\n健康委员会", "师市卫生健康委员会"),
        ],
    )
    def test_cjk_gaps_removed(self, printed, expected):
        assert join_wrapped_phrase(printed) == expected

    def test_latin_gap_kept(self):
        assert join_wrapped_phrase("PM 2.5 监测") == "PM 2.5监测"

    def test_traditional_kept(self):
        assert join_wrapped_phrase("教育、管理和服務") == "教育、管理和服務"


class TestLongTextGaps:
    def test_after_sentence_end_is_separator(self):
        assert gap_is_separator("做好登记。", "组织实施")

    def test_after_colon_only_before_marker(self):
        assert not gap_is_separator("师市民政局：", "发生重大突发事件后")
        assert gap_is_separator("工作方式：", "1.按照要求")

    def test_before_label(self):
        assert gap_is_separator("承接部门：师市农业农村局", "工作方式：")
        assert gap_is_separator("做好宣传工作", "师市党委宣传部：")

    def test_wrap_in_running_text_joined(self):
        assert not gap_is_separator("负责依法对犬、猫扰民、伤人等各类违法违规行为的", "相关责任人进行查处")

    def test_heading_gap_is_separator(self):
        assert is_heading("一、农机事故统计")
        assert is_heading("2.建设单位申请环评")
        assert is_heading("林业有害生物监测")
        assert not is_heading("负责依法对犬、猫扰民、伤人等各类违法违规行为的")
        assert gap_is_separator("一、农机事故统计", "进行农机事故现场调查处理")

    def test_dictionary_word_cut_by_a_heading_wrap(self):
        assert word_cut_by_gap("一、行政区划界线调整变", "更")
        # jieba reads 检查团 / 培训师 across these gaps; those are accidents, not cuts.
        assert not word_cut_by_gap("二、农机操作人员安全检查", "团镇按照职责")
        assert not word_cut_by_gap("一、旅游市场主体和业态培训", "师市下发旅游市场")

    def test_join_wrapped_marks_separators_as_breaks(self):
        assert join_wrapped("承接部门：师市民政局 工作方式： 根据情况复核") == "承接部门：师市民政局\n工作方式：根据情况复核"


class TestSteps:
    def test_numbered_steps_marker_kept_separator_dropped(self):
        assert split_steps("1.充分酝酿人选； 2.按时收集资料。") == ["1.充分酝酿人选", "2.按时收集资料。"]

    @pytest.mark.parametrize("marker", ["1.", "1、", "（1）", "(1)", "①", "一、", "（一）"])
    def test_every_marker_style_starts_a_step(self, marker):
        second = marker.replace("1", "2").replace("①", "②").replace("一", "二")
        steps = split_steps(f"{marker}制定方案；{second}组织实施。")
        assert steps == [f"{marker}制定方案", f"{second}组织实施。"]

    def test_unnumbered_steps_split_on_semicolon(self):
        assert split_steps("负责实地核查；制定整改方案；按时上报") == ["负责实地核查", "制定整改方案", "按时上报"]

    def test_semicolon_inside_numbered_step_stays(self):
        steps = split_steps("依法受理的 1.提交材料； 2.资料齐全的予以受理；材料不齐全的一次性告知。")
        assert steps == ["依法受理的", "1.提交材料", "2.资料齐全的予以受理；材料不齐全的一次性告知。"]

    def test_html_ol_without_li(self):
        cell = '<ol style="list-style-type: none"> 起草方案； 审核人选； 组织比选。 '
        assert split_steps(cell) == ["起草方案", "审核人选", "组织比选。"]

    def test_paragraph_headings_and_labels(self):
        cell = "<p>师市农业农村局：</p> <ol> 1.宣传法规； 2.加强监管。 <p>师市市场监督管理局：</p> <p>依法处罚。</p>"
        assert split_steps(cell) == ["师市农业农村局：", "1.宣传法规", "2.加强监管。", "师市市场监督管理局：", "依法处罚。"]

    def test_label_with_text_stays_one_step(self):
        assert split_steps("<p>师市民政局： 组织慈善救助。</p>") == ["师市民政局：组织慈善救助。"]

    def test_stray_punctuation_is_not_a_step(self):
        assert split_steps("2.依法进行执法。 。") == ["2.依法进行执法。"]

    def test_glued_steps_from_pdf_line_joins(self):
        assert split_glued("一、高新技术企业申报1.做好培育工作") == ["一、高新技术企业申报", "1.做好培育工作"]
        assert split_glued("营造创新氛围。师市公安局：负责查处") == ["营造创新氛围。", "师市公安局：负责查处"]
        assert split_glued("核查；2.上报") == ["核查；", "2.上报"]
        assert split_glued("隐患整治。各行业监管部门共性职责：") == ["隐患整治。", "各行业监管部门共性职责："]
        assert split_glued("按要求报送。其中，重点项目每月报送") == ["按要求报送。其中，重点项目每月报送"]
        assert split_glued("监管。师市自然资源和规划局（林业和草原局）：负责") == [
            "监管。", "师市自然资源和规划局（林业和草原局）：负责",
        ]

    def test_numbers_inside_text_are_not_markers(self):
        assert split_steps("按照1:3的比例确定考察对象，公示5个工作日") == ["按照1:3的比例确定考察对象，公示5个工作日"]

    def test_empty(self):
        assert split_steps("") == []
        assert split_steps("  <p></p> ") == []


class TestDepartments:
    def test_split_on_all_separators(self):
        assert split_departments("县民政局、县财政局，县公安局,县教育局；县水利局") == [
            "县民政局", "县财政局", "县公安局", "县教育局", "县水利局",
        ]

    def test_wraps_and_html_inside_names(self):
        assert split_departments("<p>师市卫生 健康委员会、 师市市场监管局</p>") == ["师市卫生健康委员会", "师市市场监管局"]

    def test_kept_as_printed(self):
        assert split_departments("师市住房和城乡建设局等") == ["师市住房和城乡建设局等"]
        assert split_departments("师市人力资源和社会保障") == ["师市人力资源和社会保障"]

    def test_department_names_printed_without_a_separator_are_cut_apart(self):
        # One per line in a narrow cell, each line full: the print shows no line end.
        assert split_departments("县党委组织部县人力资源和社会保障局") == ["县党委组织部", "县人力资源和社会保障局"]
        assert split_departments("县农业农村局县城市管理局县市场监督管理局") == ["县农业农村局", "县城市管理局", "县市场监督管理局"]
        assert split_departments("市人大常委会县党委组织部") == ["市人大常委会", "县党委组织部"]
        assert split_departments("县党委组织部县自然资源和规划局（林业和草原局）") == [
            "县党委组织部", "县自然资源和规划局（林业和草原局）"]
        # One office, and names with a level word inside: never cut.
        for name in ("县委县政府督查室", "县纪委监委", "县城市管理局", "县住房和城乡建设局", "县乡村振兴局",
                     "师市党委组织部（人才工作局）"):
            assert split_departments(name) == [name]

    def test_a_bracketed_qualifier_on_its_own_line_stays_with_its_name(self):
        # A Chromium print broke the name before its bracket at a page foot.
        assert split_departments("县自然资源和规划局\n（林业和草原局）") == ["县自然资源和规划局（林业和草原局）"]
        assert split_departments("县公安局\n(交警大队)\n县民政局") == ["县公安局(交警大队)", "县民政局"]
        # A bracket after a separator is as printed: the town wrote it apart.
        assert split_departments("县自然资源局、\n（林草局）") == ["县自然资源局", "（林草局）"]


class TestReclaimed:
    def test_department_and_steps(self):
        cell = "承接部门：师市农业农村局 工作方式： 1.下发通知； 2.组织申报； 3.上报兵团。"
        departments, steps, discontinued = split_reclaimed(cell)
        assert departments == ["师市农业农村局"]
        assert steps == ["1.下发通知", "2.组织申报", "3.上报兵团。"]
        assert not discontinued

    @pytest.mark.parametrize("cell", ["此项工作已不再开展。", "法条废止，此项工作已不再开展。", "不再实施", "取消",
                                      "该事项取消", "该事项已取消，不再实施。", "此项工作予以取消。", "停止实施"])
    def test_discontinued_keeps_statement(self, cell):
        assert split_reclaimed(cell) == ([], [cell], True)

    @pytest.mark.parametrize("cell", ["负责取消登记的审核", "取消审批后的事中事后监管", "县市场监管局（取消前由镇承担）"])
    def test_cancelling_as_other_work_is_no_statement(self, cell):
        assert not is_discontinued(cell)

    def test_html_wrapped_cell(self):
        departments, steps, _ = split_reclaimed("<p>承接部门：师市生态环境局 工作方式： 依法审批。</p>")
        assert departments == ["师市生态环境局"]
        assert steps == ["依法审批。"]

    def test_bare_department_list(self):
        assert split_reclaimed("县民政局、县财政局") == (["县民政局", "县财政局"], [], False)

    def test_empty(self):
        assert split_reclaimed("") == ([], [], False)


def test_collapse_space():
    assert collapse_space("a \u3000 b\n\n  c\t d ") == "a b\nc d"


def test_clean_remark():
    assert clean_remark("") is None
    assert clean_remark(None) is None
    assert clean_remark(" 已调整 ") == "已调整"


class TestRadicals:
    def test_browser_pdf_radicals_fold_to_characters(self):
        from duty_lists.schema.assembly.normalise import fold_radicals

        assert fold_radicals("某某县⼈⺠政府⻔⼾⽹站") == "某某县人民政府门户网站"
        assert fold_radicals("对应上级部⻔") == "对应上级部门"

    def test_ordinary_text_untouched(self):
        from duty_lists.schema.assembly.normalise import fold_radicals

        assert fold_radicals("服務，乾坤") == "服務，乾坤"


def test_gap_after_a_bare_list_number_is_not_a_step_boundary():
    # LibreOffice and Word set automatic numbers apart with a tab or a hanging indent.
    assert split_steps("1. 制定方案；\n2. 组织实施。") == ["1.制定方案", "2.组织实施。"]
    assert split_steps("（1） 受理申请") == ["（1）受理申请"]
    assert split_steps("1. 审核资格；2. 按月拨付。") == ["1.审核资格", "2.按月拨付。"]


@pytest.mark.parametrize(("a", "b", "distance"), [
    ("党的建设", "党的建设", 0), ("经济发展", "经济发屐", 1), ("民生服务", "民生服务类", 1), ("综合政务", "政务", 2), ("", "平安", 2),
])
def test_one_edit_distance(a: str, b: str, distance: int) -> None:
    from duty_lists.schema.text.distance import edit_distance, within_one_edit

    assert edit_distance(a, b) == edit_distance(b, a) == distance
    assert within_one_edit(a, b) is within_one_edit(b, a) is (distance <= 1)


def test_a_method_cell_of_only_a_filler_states_no_method():
    """Rule ``method.none``: ／, —, 无 alone in 工作方式 are the form's filler."""
    from duty_lists.schema.assembly.department_cells import method_steps

    for filler in ("无", "/", "—", " 无 ", "／"):
        assert method_steps(filler) == []
    assert method_steps("无需申请，直接办理") == ["无需申请，直接办理"]
    assert method_steps("1.受理\n2.审核") == ["1.受理", "2.审核"]


def test_the_next_step_number_glued_after_a_character_starts_a_step():
    """Rule ``steps.glued``: a full PDF line joined to the next without a gap."""
    assert split_steps("2.报送基本信息3.配合组织运输。") == ["2.报送基本信息", "3.配合组织运输。"]
    assert split_steps("1.农用地转用报批2.确定项目依据3.代拟公告") == ["1.农用地转用报批", "2.确定项目依据", "3.代拟公告"]
    # Not the next number, or not between characters: text, not a marker.
    assert split_steps("1.补助标准为每人2.5万元") == ["1.补助标准为每人2.5万元"]
    assert split_steps("1.按附表5.填报") == ["1.按附表5.填报"]
    assert split_steps("1.于2024.3.1前完成") == ["1.于2024.3.1前完成"]


def test_a_step_marker_at_a_line_end_belongs_to_the_text_after_it():
    """Rule ``steps.line_end_marker``: a full PDF line joined to the next one,
    which starts with the next step's hanging marker and its tab."""
    assert split_steps("1. 推荐乡村振兴现场点2. 负责组织观摩。") == ["1.推荐乡村振兴现场点", "2.负责组织观摩。"]
    assert split_steps("1. 确定监测点2. 按要求报送\n3. 监测价格动态4. 完成任务。") == [
        "1.确定监测点", "2.按要求报送", "3.监测价格动态", "4.完成任务。",
    ]
    # A hard break after the marker (a line broken right after 2.) is the same.
    assert split_steps("1. 确定监测点2.\n按要求报送") == ["1.确定监测点", "2.按要求报送"]
    # Only the next number in sequence moves.
    assert carry_line_end_markers("1. 见附件3. 规定") == "1. 见附件3. 规定"
    assert carry_line_end_markers("共计2. 5万元") == "共计2. 5万元"


def test_a_bare_list_number_keeps_the_label_after_it():
    assert split_steps("5. 公布。\n6. 县党委组织部：\n7. 负责考察。") == ["5.公布。", "6.县党委组织部：", "7.负责考察。"]


def test_steps_numbered_with_a_closing_bracket_are_numbered_steps():
    """``1)``/``1）`` is a step marker like ``1.``: a ``；`` inside such a step stays in it
    (the p08 DOCX), as in any numbered paragraph."""
    assert split_steps("1)县党委编办做好备案登记工作，提供托位数；县财政局对托育发展予以支持\n2)县教育局做好培养。") == [
        "1)县党委编办做好备案登记工作，提供托位数；县财政局对托育发展予以支持", "2)县教育局做好培养。",
    ]
    assert split_steps("3）审核；决定 4）送达") == ["3）审核；决定", "4）送达"]
    # Unnumbered clauses still split at ；.
    assert split_steps("审核材料；决定；送达") == ["审核材料", "决定", "送达"]


def test_the_next_marker_of_any_form_glued_after_a_character_starts_a_step():
    """Rule ``steps.glued`` for ① （1） (1) 1) as for 1.: where a page break cut a row after a
    full line, the next page's first step runs into the step before."""
    assert split_steps("①开展擂台比武工作，选树和打造乡村振兴现场点②组织人员参加。") == [
        "①开展擂台比武工作，选树和打造乡村振兴现场点", "②组织人员参加。",
    ]
    assert split_steps("(2)填写《外出请假审批表》和报备函(3)报备函经镇主要领导签批") == [
        "(2)填写《外出请假审批表》和报备函", "(3)报备函经镇主要领导签批",
    ]
    assert split_steps("（3）做好包保关系维护（4）做好重大活动报备") == ["（3）做好包保关系维护", "（4）做好重大活动报备"]
    assert split_steps("3)旅游市场监督检查4)县文化体育广电和旅游局负责处理") == [
        "3)旅游市场监督检查", "4)县文化体育广电和旅游局负责处理",
    ]
    # A reference, another number or another form stays in the step.
    assert split_steps("（1）依照本办法第（2）项规定办理") == ["（1）依照本办法第（2）项规定办理"]
    assert split_steps("（1）审核材料（3）项") == ["（1）审核材料（3）项"]
    assert split_steps("①审核材料（2）报送") == ["①审核材料（2）报送"]
