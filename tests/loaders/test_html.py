from policykg.loaders.html import html_to_text, looks_like_html

PAGE = """<!DOCTYPE html><html><head><title>标题</title><style>p{color:red}</style></head>
<body><div class="nav">首页</div><p>(一)优化布局。(责任单位:市发改委&amp;市财政局)</p>
<script>var x = "<p>不是正文</p>";</script><p>第二段</p></body></html>"""


def test_visible_text_only_one_line_per_block() -> None:
    text = html_to_text(PAGE).text
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert lines == ["首页", "(一)优化布局。(责任单位:市发改委&市财政局)", "第二段"]


def test_spans_point_into_the_markup() -> None:
    mapped = html_to_text(PAGE)
    at = mapped.text.index("市财政局")
    span = mapped.span(at, at + 4)
    assert PAGE[span.start:span.end] == "市财政局"
    amp = mapped.text.index("&")
    assert PAGE[mapped.span(amp, amp + 1).start:mapped.span(amp, amp + 1).end] == "&amp;"


def test_recognises_pages_but_not_text_mentioning_tags() -> None:
    assert looks_like_html(PAGE)
    assert not looks_like_html("关于<b>的说明")
