"""What a PDF line end stands for (parsers.layout.cell_text.line_break)."""

from duty_lists.parsers.layout.cell_text import line_break


def test_short_line_is_a_paragraph_end():
    assert line_break("负责巡查", soft=False) == "\n"
    assert line_break("负责巡查。", soft=False, at_cut=True) == "\n"


def test_full_line_is_a_wrap():
    assert line_break("负责辖区殡葬违法违规行", soft=True) == ""
    assert line_break("按要求报送。", soft=True) == ""


def test_full_line_cut_after_a_sentence_leaves_the_gap_to_normalisation():
    assert line_break("按要求报送。", soft=True, at_cut=True) == " "
    assert line_break("负责辖区殡葬违法违规行", soft=True, at_cut=True) == ""
