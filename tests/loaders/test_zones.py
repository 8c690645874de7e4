from policykg.loaders.zones import find_zones


def test_zones_aliases_and_industries() -> None:
    text = ("为促进武汉东湖新技术开发区(以下称东湖高新区)高质量发展。东湖高新区要重点发展新一代信息技术、生命健康等产业。"
            "支持武威工业园区、黄羊工业园区申报国家级开发区。优化开发区布局。")
    zones = {z.name: z for z in find_zones(text, 0)}
    assert set(zones) == {"武汉东湖新技术开发区", "武威工业园区", "黄羊工业园区"}
    assert zones["武汉东湖新技术开发区"].aliases == ("东湖高新区",)
    assert zones["武汉东湖新技术开发区"].industries == ("新一代信息技术", "生命健康")
