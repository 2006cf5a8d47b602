"""Class J: a list printed as one table per category, each under its heading line.

The first heading sits between the list's title and the first table's header;
the later ones between a table's last row and the next header.  Each is the
category of the rows under it — the first as much as the others."""

from __future__ import annotations

from duty_lists.schema.assembly.assemble import assemble

from tests.assembly.test_assembly import RULES, doc, items

HEADER = ["序号", "事项名称", "备注"]


def test_every_per_category_table_takes_its_heading_the_first_too():
    raw = doc(
        "某某区江南街道履职事项清单",
        "某某区江南街道基本履职事项清单",
        "（一）党的建设（2项）",
        HEADER,
        ["1", "甲", ""],
        ["2", "乙", ""],
        "（二）经济发展（1项）",
        HEADER,
        ["3", "丙", ""],
    )
    assert [item.category for item in items(raw)] == ["党的建设", "党的建设", "经济发展"]
    assert assemble(raw, RULES).lists[0].stated_category_counts == {"党的建设": 2, "经济发展": 1}


def test_a_heading_over_prose_under_the_title_is_no_category():
    """A numbered line followed by more text before the table headed that text, not the table."""
    raw = doc(
        "某某镇基本履职事项清单",
        "一、编制说明",
        "本清单依据有关规定编制，共列事项2项。",
        HEADER,
        ["1", "甲", ""],
        ["2", "乙", ""],
    )
    assert [item.category for item in items(raw)] == ["", ""]


def test_an_unnumbered_line_under_the_title_is_no_category():
    raw = doc("某某镇基本履职事项清单", "填报单位盖章", HEADER, ["1", "甲", ""])
    assert items(raw)[0].category == ""
