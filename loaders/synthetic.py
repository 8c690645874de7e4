"""A synthetic benchmark corpus that recombines the real structure of the seed documents.

    python -m policykg.loaders.synthetic 1000 bench/corpus-1000 [--seeds seeds] [--seed 7]

Sentences, measure headings, industries and the national documents cited come from the seeds (read
with policykg's own loaders); the generator arranges them into new documents: issuers and 文号s of
real provinces, cities and districts (GB/T 2260 table), measures under 主要任务 whose owners are written
in every syntax the loaders read (责任单位 brackets, 牵头/配合 brackets, role verbs, label lines, labels
closing a paragraph, 由…牵头 and 责任主体 sentences, elided prefixes, task tables), basis citations of
superior documents (so lineage runs national → province → city → district), zones of cities and
districts told which industries to focus on (重点发展 … 等产业), 〔20xx〕 placeholders, traditional script
with Taiwan phrasing, compilation pages, HTML pages, GB18030 files and page furniture. A tenth of
the documents attach a task table (重点任务分工表), its owners in its columns.

The same ``seed`` gives byte-identical files. Beside the files, ``truth.jsonl`` says what each file
holds (titles, 文号, measures and their owners, citations, zones and their industries), so
extraction can be checked at scale.

>>> plan = CorpusPlan.from_seeds(Path("seeds"), documents=3, seed=7)
>>> [len(f.documents) for f in plan.files()]
[1, 1, 1]
"""
from __future__ import annotations

import functools
import hashlib
import html
import itertools
import json
import random
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterator

import click

from .gazetteer import SHORTENABLE, gazetteer
from .patterns import DOC_NUMBER, ZONE_SUFFIX
from .pipeline import read_source_file
from .script import opencc_converter, to_simplified
from .textmap import MappedText

# provinces the corpus is spread over, with the abbreviation their 文号s start with
PROVINCES = {"420000": "鄂", "320000": "苏", "330000": "浙", "350000": "闽", "440000": "粤", "510000": "川",
             "520000": "黔", "620000": "甘", "410000": "豫", "430000": "湘", "370000": "鲁", "340000": "皖"}
LEVEL_SHARE = (("province", 0.08), ("city", 0.32), ("county", 0.60))
PREFIX = {"province": "省", "city": "市", "county": "区"}
AGENCY_SUFFIXES = ("发展改革委", "科技局", "财政局", "商务局", "自然资源和规划局", "生态环境局", "人力资源社会保障局",
                   "经济和信息化局", "住房城乡建设局", "交通运输局", "市场监管局", "税务局", "统计局", "审计局",
                   "金融工作局", "应急管理局", "农业农村局", "文化和旅游局", "教育局", "公安局")
PROVINCE_AGENCY_SUFFIXES = ("发展改革委", "科技厅", "财政厅", "商务厅", "自然资源厅", "生态环境厅", "人力资源社会保障厅",
                            "工业和信息化厅", "住房城乡建设厅", "交通运输厅", "市场监管局", "地方金融监管局")
COLLECTIVES = {"province": "各市(州)人民政府", "city": "各区人民政府", "county": "各街道办事处"}
ZONE_KINDS = ("经济技术开发区", "高新技术产业开发区", "经济开发区", "工业园区")
ZONE_SHARE = 0.6  # documents of a city or district that name one of its zones and the industries it is to focus on
TABLE_SHARE = 0.1  # documents with an attached task table (重点任务分工表), a measure a row
TOPICS = ("推进开发区高质量发展", "加快开发区改革和创新发展", "促进高新区创新发展", "推动园区提质增效",
          "加快工业园区转型升级", "优化开发区营商环境", "深化开发区管理体制改革", "推进产业园区整合提升",
          "支持高新技术产业开发区建设", "加快经济技术开发区开放发展")
KINDS = (("关于", "的实施意见"), ("关于", "的若干措施"), ("关于印发", "工作方案的通知"), ("关于", "的意见"),
         ("关于印发", "三年行动计划的通知"))
SECTIONS_BEFORE = ("总体要求", "指导思想", "发展目标")
TASK_SECTIONS = ("主要任务", "重点任务", "工作措施")
CN_NUMBERS = "一二三四五六七八九十"
PAGE_TOP = ("首页 > 政务公开 > 政策文件", "浏览量:{views}          时间:{date} 09:{minute:02d}:11",
            "发布日期:{date} | 浏览次数: {views}", "【字号:大 中 小】 打印本页 关闭窗口")
PAGE_BOTTOM = ("主办:{issuer} 技术支持:某某网络科技有限公司", "本文链接:http://www.example.gov.cn/art/{year}/{serial}.html",
               "扫描二维码 分享到微信", "网站标识码:{views} ICP备{serial}号")
OWNER_WORDS = re.compile(r"单位|牵头|配合|负责|责任|主体|协助|落实|《|》|[()（）〔〕]")
STARTS_NUMBERED = re.compile(rf"^[{CN_NUMBERS}\d①-⑳第(（]")
ZONE_NAME_END = re.compile(ZONE_SUFFIX + "$")

TRUTH_FILE = "truth.jsonl"  # beside a corpus's files: what each one holds


@dataclass(frozen=True)
class SeedMaterial:
    """What the generator recombines, read from the seed documents."""

    sentences: tuple[str, ...]
    headings: tuple[str, ...]
    industries: tuple[str, ...]
    national: tuple[tuple[str, str], ...]  # (title, 文号) of national documents the seeds cite

    @classmethod
    def read(cls, seeds: Path) -> "SeedMaterial":
        documents = [d for path in sorted(seeds.iterdir()) if path.is_file()
                     for d in read_source_file(path, path.name).documents]
        measures = [m for d in documents for m in d.measures]
        sentences = {s + "。" for m in measures for s in m.text.split("。")[1:]
                     if 12 <= len(s) <= 160 and not OWNER_WORDS.search(s) and not DOC_NUMBER.search(s)
                     and not STARTS_NUMBERED.match(s) and "\n" not in s}
        headings = {m.heading for m in measures if 4 <= len(m.heading) <= 14 and not OWNER_WORDS.search(m.heading)}
        industries = {i for d in documents for z in d.zones for i in z.industries if 2 <= len(i) <= 8}
        national = {(c.title, c.doc_number) for d in documents for c in d.citations
                    if c.doc_number and c.doc_number.startswith("国") and "x" not in c.doc_number.lower()}
        return cls(tuple(sorted(sentences)), tuple(sorted(headings)), tuple(sorted(industries)),
                   tuple(sorted(national)))


@dataclass(frozen=True)
class Jurisdiction:
    name: str
    adcode: str
    level: str  # province | city | county
    code: str  # the issuer code its 文号s start with: 鄂政发, 武政, 武江政


@dataclass
class Owner:
    name: str  # as the loaders restore it
    role: str


@dataclass
class MeasureTruth:
    measure_id: str
    heading: str
    owners: list[Owner] = field(default_factory=list)


@dataclass
class CitationTruth:
    title: str
    doc_number: str | None
    basis: bool


@dataclass
class ZoneTruth:
    name: str
    industries: list[str]


@dataclass
class DocumentTruth:
    title: str
    doc_number: str
    jurisdiction: str
    level: str
    traditional: bool
    measures: list[MeasureTruth] = field(default_factory=list)
    citations: list[CitationTruth] = field(default_factory=list)
    zones: list[ZoneTruth] = field(default_factory=list)


@dataclass
class FileTruth:
    name: str
    encoding: str
    documents: list[DocumentTruth]


@dataclass
class CorpusPlan:
    """``documents`` logical documents spread over files, drawn from ``material`` with ``seed``."""

    material: SeedMaterial
    documents: int
    seed: int = 7

    @classmethod
    def from_seeds(cls, seeds: Path, documents: int, seed: int = 7) -> "CorpusPlan":
        return cls(_material(seeds.resolve()), documents, seed)

    def files(self) -> Iterator["GeneratedFile"]:
        """The files of the corpus, in order; each knows its text and what it holds."""
        writer = _DocumentWriter(self.material, self.seed)
        made = index = 0
        while made < self.documents:
            count = min(self.documents - made, writer.rng.choice((2, 3, 4)) if writer.rng.random() < 0.04 else 1)
            yield writer.file(index, count)
            made += count
            index += 1


@dataclass
class GeneratedFile:
    name: str
    data: bytes
    truth: FileTruth

    @property
    def documents(self) -> list[DocumentTruth]:
        return self.truth.documents


@functools.lru_cache(maxsize=4)
def _material(seeds: Path) -> SeedMaterial:
    return SeedMaterial.read(seeds)


def write_corpus(plan: CorpusPlan, out: Path) -> tuple[int, int]:
    """Write the corpus and its ``truth.jsonl`` into ``out``; return ``(files, bytes)``."""
    out.mkdir(parents=True, exist_ok=True)
    files = size = 0
    with (out / TRUTH_FILE).open("w", encoding="utf-8") as truth:
        for generated in plan.files():
            (out / generated.name).write_bytes(generated.data)
            truth.write(json.dumps(asdict(generated.truth), ensure_ascii=False) + "\n")
            files += 1
            size += len(generated.data)
    return files, size


class _DocumentWriter:
    """Composes documents one after another; later documents cite earlier superior ones."""

    def __init__(self, material: SeedMaterial, seed: int) -> None:
        self.material = material
        self.rng = random.Random(seed)
        self.zone_rng = random.Random(f"zones {seed}")  # zones drawn apart: the rest is as it was without them
        self.label_rng = random.Random(f"labels {seed}")  # and where labels stand: the rest as before closing labels
        self.table_rng = random.Random(f"tables {seed}")  # and task tables: the rest as before them
        self.places = _jurisdictions()
        self.issued: dict[str, list[tuple[str, str]]] = {}  # adcode → [(title, 文号)] issued there
        self.serials: dict[str, int] = {}

    def file(self, index: int, count: int) -> GeneratedFile:
        documents = [self.document() for _ in range(count)]
        traditional = self.rng.random() < 0.15
        texts = [text for text, _ in documents]
        truths = [truth for _, truth in documents]
        body = "\n\n".join(f"{CN_NUMBERS[n]}、{t.title}\n{text}" if count > 1 else text
                           for n, (text, t) in enumerate(zip(texts, truths)))
        if count > 1:
            body = f"{truths[0].jurisdiction}开发区建设政策汇编\n\n{body}"
        body = self.page(body, truths[0])
        if traditional:
            body = opencc_converter("s2twp").convert(body)
            truths = [_as_read_back(truth) for truth in truths]
        as_html = self.rng.random() < 0.1
        if as_html:
            body = _as_html(body, truths[0].title)
        encoding = "gb18030" if not traditional and self.rng.random() < 0.05 else "utf-8"
        data = body.encode(encoding)
        digest = hashlib.sha256(data).hexdigest()[:12]
        name = f"{index:05d}_{digest}.{'html' if as_html else 'txt'}"
        return GeneratedFile(name, data, FileTruth(name, encoding, truths))

    def page(self, body: str, truth: DocumentTruth) -> str:
        """Web-page furniture around the text, as scraped pages have it."""
        values = {"views": self.rng.randint(100, 99999), "date": f"20{self.rng.randint(15, 24)}-0{self.rng.randint(1, 9)}-1"
                  f"{self.rng.randint(0, 9)}", "minute": self.rng.randint(0, 59), "issuer": truth.jurisdiction + "人民政府",
                  "year": 2020, "serial": self.rng.randint(1000, 9999)}
        top = [line.format(**values) for line in self.rng.sample(PAGE_TOP, self.rng.randint(0, 3))]
        bottom = [line.format(**values) for line in self.rng.sample(PAGE_BOTTOM, self.rng.randint(0, 3))]
        return "\n\n".join(top + [body] + bottom) + "\n"

    def document(self) -> tuple[str, DocumentTruth]:
        rng = self.rng
        level = rng.choices([lv for lv, _ in LEVEL_SHARE], [w for _, w in LEVEL_SHARE])[0]
        place = rng.choice(self.places[level])
        issuer = place.name + rng.choice(("人民政府", "人民政府办公室" if level != "province" else "人民政府办公厅"))
        before, after = rng.choice(KINDS)
        topic = rng.choice(TOPICS)
        year = rng.randint(2016, 2024)
        number = self._number(place, year)
        title = f"{issuer}{before}{topic}{after}"
        if title in {t for t, _ in self.issued.get(place.adcode, [])}:
            title = f"{issuer}{before}{year}年{topic}{after}"
        truth = DocumentTruth(title, number, place.name, level, False)
        citations = self._citations(place, truth)
        lines = [title, number, f"{COLLECTIVES[level]},{place.name}人民政府各部门:", self._preamble(citations)]
        lines += self._sections(place, truth) + self._closing(citations)
        lines += [issuer, f"{year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"] + self._task_table(place, truth)
        self.issued.setdefault(place.adcode, []).append((title, number))
        return "\n\n".join(lines), truth

    def _number(self, place: Jurisdiction, year: int) -> str:
        key = f"{place.code}{year}"
        self.serials[key] = self.serials.get(key, 0) + self.rng.randint(1, 9)
        return f"{place.code}〔{year}〕{self.serials[key]}号"

    def _citations(self, place: Jurisdiction, truth: DocumentTruth) -> list[CitationTruth]:
        """Basis citations of superior documents of the place's province and city, else national ones;
        now and then a peer document cited for reference."""
        superiors = [self.issued.get(code, []) for code in _superior_codes(place)]
        pool = [doc for docs in superiors for doc in docs[-3:]]
        chosen = self.rng.sample(pool, min(len(pool), self.rng.randint(1, 2))) if pool else []
        if not chosen or self.rng.random() < 0.3:
            chosen.append(self.rng.choice(self.material.national))
        citations = [CitationTruth(title, _maybe_placeholder(number, self.rng), True) for title, number in chosen]
        peers = self.issued.get(place.adcode, [])
        if peers and self.rng.random() < 0.3:
            title, number = self.rng.choice(peers)
            citations.append(CitationTruth(title, number, False))
        truth.citations = citations
        return citations

    def _preamble(self, citations: list[CitationTruth]) -> str:
        basis = "和".join(f"《{c.title}》({c.doc_number})" for c in citations if c.basis)
        return f"为贯彻落实{basis}精神,加快推进开发区改革创新和转型升级,结合实际,提出如下意见:"

    @staticmethod
    def _closing(citations: list[CitationTruth]) -> list[str]:
        return [f"本文件未尽事宜,参照《{c.title}》({c.doc_number})执行。" for c in citations if not c.basis]

    def _sections(self, place: Jurisdiction, truth: DocumentTruth) -> list[str]:
        rng = self.rng
        lines = [f"一、{rng.choice(SECTIONS_BEFORE)}", self._sentences(4, 10) + self._zone(place, truth)]
        section = rng.choice(TASK_SECTIONS)
        lines.append(f"二、{section}")
        for group in range(rng.randint(6, 10)):
            marker = f"({CN_NUMBERS[group]})"
            heading = rng.choice(self.material.headings)
            if rng.random() < 0.4:
                lines.append(f"{marker}{heading}")
                truth.measures.append(MeasureTruth(f"二.{marker}", heading))
                for item in range(1, rng.randint(3, 7)):
                    lines.append(self._measure(f"{item}.", f"二.{marker}.{item}", place, truth))
            else:
                lines.append(self._measure(marker, f"二.{marker}", place, truth))
        lines += ["三、保障措施", f"(一)加强组织领导。{self._sentences(1, 3)}", f"(二)强化督促考核。{self._sentences(1, 2)}"]
        return lines

    def _measure(self, marker: str, measure_id: str, place: Jurisdiction, truth: DocumentTruth) -> str:
        heading = self.rng.choice(self.material.headings)
        measure = MeasureTruth(measure_id, heading)
        truth.measures.append(measure)
        body = self._sentences(3, 8)
        syntax = self.rng.choice(OWNER_SYNTAXES)
        return f"{marker}{heading}。" + syntax(self, place, body, measure.owners)

    def _zone(self, place: Jurisdiction, truth: DocumentTruth) -> str:
        """Now and then, a zone of a city or district named with the industries it is to focus on:
        支持江夏经济开发区重点发展集成电路、生物医药等产业。"""
        rng = self.zone_rng
        if place.level == "province" or rng.random() >= ZONE_SHARE:
            return ""
        name = SHORTENABLE.sub("", place.name) + rng.choice(ZONE_KINDS)
        industries = rng.sample(self.material.industries, rng.randint(2, 4))
        truth.zones.append(ZoneTruth(name, industries))
        return f"支持{name}重点发展{'、'.join(industries)}等产业。"

    def _task_table(self, place: Jurisdiction, truth: DocumentTruth) -> list[str]:
        """Now and then, an attachment assigning tasks in a table, its cells apart by a tab: each row a
        measure (``表1.3``), its owners in the 牵头单位 and 配合单位 columns."""
        rng = self.table_rng
        if rng.random() >= TABLE_SHARE:
            return []
        lines = ["附件", f"{truth.jurisdiction}开发区建设重点任务分工表", "序号\t重点任务\t牵头单位\t配合单位\t完成时限"]
        for row in range(1, rng.randint(3, 8)):
            heading = rng.choice(self.material.headings)
            lead, *support = self.agencies(place, rng.randint(1, 3), rng)
            owners = [Owner(lead, "lead")] + [Owner(name, "support") for name in support]
            truth.measures.append(MeasureTruth(f"表1.{row}", heading, owners))
            lines.append(f"{row}\t{heading}\t{lead}\t{'、'.join(support)}\t{rng.randint(2021, 2025)}年底前")
        return lines

    def _sentences(self, low: int, high: int) -> str:
        return "".join(self.rng.sample(self.material.sentences, self.rng.randint(low, high)))

    def agencies(self, place: Jurisdiction, count: int, rng: random.Random | None = None) -> list[str]:
        suffixes = PROVINCE_AGENCY_SUFFIXES if place.level == "province" else AGENCY_SUFFIXES
        return [PREFIX[place.level] + s for s in (rng or self.rng).sample(suffixes, count)]


# --- the owner syntaxes: each writes a measure's body with its owners and records them in ``owners``

def _responsible_bracket(writer: _DocumentWriter, place: Jurisdiction, body: str, owners: list[Owner]) -> str:
    names = writer.agencies(place, writer.rng.randint(1, 4))
    if writer.rng.random() < 0.3:
        names.append(COLLECTIVES[place.level])
    owners.extend(Owner(n, "responsible") for n in names)
    return f"{body}(责任单位:{'、'.join(names)})"


def _lead_and_support(writer: _DocumentWriter, place: Jurisdiction, low: int, high: int,
                      owners: list[Owner]) -> tuple[str, list[str]]:
    """One lead agency and ``low - 1`` to ``high - 1`` supporting ones, recorded in ``owners``."""
    lead, *support = writer.agencies(place, writer.rng.randint(low, high))
    owners.append(Owner(lead, "lead"))
    owners.extend(Owner(n, "support") for n in support)
    return lead, support


def _lead_support_bracket(writer: _DocumentWriter, place: Jurisdiction, body: str, owners: list[Owner]) -> str:
    lead, support = _lead_and_support(writer, place, 2, 4, owners)
    return f"{body}(牵头单位:{lead};配合单位:{'、'.join(support)})"


def _role_verbs(writer: _DocumentWriter, place: Jurisdiction, body: str, owners: list[Owner]) -> str:
    lead, *support = writer.agencies(place, writer.rng.randint(1, 3))
    owners.append(Owner(lead, "lead" if support else "responsible"))
    owners.extend(Owner(n, "support") for n in support)
    return f"{body}({lead}牵头,{'、'.join(support)}配合)" if support else f"{body}({lead}负责)"


def _elided_prefix(writer: _DocumentWriter, place: Jurisdiction, body: str, owners: list[Owner]) -> str:
    names = writer.agencies(place, writer.rng.randint(2, 3))
    owners.extend(Owner(n, "responsible") for n in names)
    prefix = PREFIX[place.level]
    written = [names[0]] + [n.removeprefix(prefix) for n in names[1:]]
    return f"{body}(责任单位:{'、'.join(written)})"


def _led_by_sentence(writer: _DocumentWriter, place: Jurisdiction, body: str, owners: list[Owner]) -> str:
    (lead,) = writer.agencies(place, 1)
    owners.append(Owner(lead, "lead"))
    return f"由{lead}牵头,{body}"


def _label_lines(writer: _DocumentWriter, place: Jurisdiction, body: str, owners: list[Owner]) -> str:
    """Labels on lines of their own under the item, or closing its paragraph."""
    lead, support = _lead_and_support(writer, place, 2, 3, owners)
    if writer.label_rng.random() < 0.5:
        return f"{body}主责单位:{lead};协同单位:{'、'.join(support)}。"
    return f"{body}\n\n牵头单位:{lead}\n\n配合单位:{'、'.join(support)}"


def _implementer_sentence(writer: _DocumentWriter, place: Jurisdiction, body: str, owners: list[Owner]) -> str:
    collective = COLLECTIVES[place.level]
    owners.append(Owner(collective, "implementer"))
    return f"{body}{collective}是此项工作的责任主体。"


OWNER_SYNTAXES = (_responsible_bracket, _responsible_bracket, _lead_support_bracket, _role_verbs, _elided_prefix,
                  _led_by_sentence, _label_lines, _implementer_sentence)


def _as_read_back(truth: DocumentTruth) -> DocumentTruth:
    """What a document written in Taiwan phrasing says once the loaders read it back into mainland
    simplified script (支持 is written 支援 and read back 支持; 创建 is written 建立 and read back
    建立): the truth of a traditional document."""
    def convert(value: Any) -> Any:  # a truth as asdict gives it: texts, lists and dicts
        if isinstance(value, str):
            return to_simplified(MappedText.identity(opencc_converter("s2twp").convert(value))).text
        if isinstance(value, list):
            return [convert(item) for item in value]
        if isinstance(value, dict):
            return {key: convert(item) if key not in ("level", "role") else item for key, item in value.items()}
        return value

    data = convert(asdict(truth))
    return DocumentTruth(
        **{**data, "traditional": True,
           "measures": [MeasureTruth(m["measure_id"], m["heading"], [Owner(**o) for o in m["owners"]])
                        for m in data["measures"]],
           "citations": [CitationTruth(**c) for c in data["citations"]],
           "zones": [ZoneTruth(**z) for z in data["zones"]]})


def _maybe_placeholder(number: str, rng: random.Random) -> str:
    """Now and then a citation writes the year as 20xx, as drafts copied into pages do."""
    return re.sub(r"〔\d{4}〕", "〔20xx〕", number) if rng.random() < 0.1 else number


def _superior_codes(place: Jurisdiction) -> list[str]:
    province, city = place.adcode[:2] + "0000", place.adcode[:4] + "00"
    return {"province": [], "city": [province], "county": [city, province]}[place.level]


def _as_html(text: str, title: str) -> str:
    """A page of the text: a paragraph a line, and lines of cells apart by tabs as a table's rows."""
    lines = [line.split("\t") for line in text.split("\n") if line.strip()]
    paragraphs = "\n".join(_html_block(list(rows), in_table)
                           for in_table, rows in itertools.groupby(lines, key=lambda cells: len(cells) > 1))
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title></head><body>"
            f"<nav><a href=\"/\">首页</a> &gt; <a href=\"/zwgk\">政务公开</a></nav>\n"
            f"<div class=\"article\">\n{paragraphs}\n</div><footer>版权所有 网站地图 联系我们</footer></body></html>\n")


def _html_block(rows: list[list[str]], in_table: bool) -> str:
    """Lines of one kind as HTML: rows of cells as a table, else a paragraph each."""
    if not in_table:
        return "\n".join(f"<p>{html.escape(cells[0])}</p>" for cells in rows)
    cells = ("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table>{''.join(cells)}</table>"


@functools.lru_cache(maxsize=1)
def _jurisdictions() -> dict[str, list[Jurisdiction]]:
    """Provinces of :data:`PROVINCES`, their cities and their districts, with 文号 issuer codes."""
    table = gazetteer().by_code
    places: dict[str, list[Jurisdiction]] = {"province": [], "city": [], "county": []}
    for code, division in sorted(table.items()):
        province = code[:2] + "0000"
        if province not in PROVINCES or division.name in ("市辖区", "县") or ZONE_NAME_END.search(division.name):
            continue
        abbreviation = PROVINCES[province]
        if division.rank == 0:
            places["province"].append(Jurisdiction(division.name, code, "province", f"{abbreviation}政发"))
        elif division.rank == 1:
            places["city"].append(Jurisdiction(division.name, code, "city", f"{division.name[0]}政"))
        elif division.name.endswith("区") and code[:4] + "00" in table:
            city = table[code[:4] + "00"]
            places["county"].append(Jurisdiction(division.name, code, "county", f"{city.name[0]}{division.name[0]}政"))
    return places



@click.command()
@click.argument("documents", type=click.IntRange(min=1))
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--seeds", type=click.Path(exists=True, file_okay=False, path_type=Path), default=Path("seeds"),
              show_default=True, help="The documents whose structure is recombined.")
@click.option("--seed", type=int, default=7, show_default=True, help="Random seed: the same seed, the same files.")
def main(documents: int, out: Path, seeds: Path, seed: int) -> None:
    """Write a synthetic corpus of DOCUMENTS policy documents into OUT."""
    files, size = write_corpus(CorpusPlan.from_seeds(seeds, documents, seed), out)
    click.echo(f"{documents} documents in {files} files, {size / 1e6:.1f} MB -> {out}")


if __name__ == "__main__":
    main()
