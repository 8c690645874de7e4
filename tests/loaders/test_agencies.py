import pytest

from policykg.loaders.agencies import looks_like_agency, split_agencies


@pytest.mark.parametrize(
    "written, names",
    [
        ("区党群工作部、财政局,各乡镇人民政府", ["区党群工作部", "区财政局", "各乡镇人民政府"]),
        ("区行政服务中心、科技经济发展局、市场监督管理局", ["区行政服务中心", "区科技经济发展局", "区市场监督管理局"]),
        ("省委人才办、编办", ["省委人才办", "省委编办"]),
        ("省市场监管局(知识产权局)、科技厅", ["省市场监管局(知识产权局)", "省科技厅"]),
        ("福州、厦门、泉州、宁德市人民政府", ["福州市人民政府", "厦门市人民政府", "泉州市人民政府", "宁德市人民政府"]),
        ("各区〔市、县〕政府、开发区管委会", ["各区〔市、县〕政府", "开发区管委会"]),
        ("市自然资源和规划局、贵安新区自然资源局", ["市自然资源和规划局", "贵安新区自然资源局"]),
        ("各县区、功能板块", ["各县区", "功能板块"]),
        ("市发改委等", ["市发改委"]),
        ("区公安局、教育局", ["区公安局", "区教育局"]),  # 公安 is also a county: not without its 县
        ("市科技局、凉州区发展和改革局", ["市科技局", "凉州区发展和改革局"]),
        ("武汉产业创新发展研究院,市委组织部", ["武汉产业创新发展研究院", "市委组织部"]),
    ],
)
def test_split_and_restore(written: str, names: list[str]) -> None:
    assert [a.name for a in split_agencies(written, 0)] == names


def test_offsets_cover_the_written_form() -> None:
    text = "市科技局、财政局"
    for agency in split_agencies(text, 100):
        assert text[agency.start - 100:agency.end - 100] == agency.as_written


def test_agency_likeness() -> None:
    assert looks_like_agency("福州海关")
    assert not looks_like_agency("推动高质量发展")
