"""Normalise printed labels (script, width, quotes, spaces, numbering, notes) and look them up."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from govscrape.template import VOCABULARY, Line

# Traditional -> simplified for the characters of labels, headings and metadata lines, as
# "simplified traditional" pairs. Data, not code: add a pair when a mirror uses a new form.
# Kept here, not in template.py: it is script conversion for any Chinese text (meta.py reads
# it for agency names and prose), not wording of the national format; the format's own
# vocabulary substitutions (template.VOCABULARY) are applied after it.
_T2S_PAIRS = """
内內 万萬 业業 举舉 于於 会會 体體 关關 决決 况況 减減 务務 动動 区區 单單 发發 后後 报報 处處
复復 复複 国國 审審 对對 属屬 废廢 开開 强強 当當 总總 执執 护護 数數 无無 时時 机機 权權
条條 构構 档檔 没沒 现現 确確 稳穩 类類 系係 系繫 纠糾 纳納 组組 织織 经經 结結 继繼 续續
维維 缴繳 罚罰 范範 获獲 补補 规規 计計 认認 议議 许許 讼訟 访訪 诉訴 询詢 请請 购購 费費
转轉 过過 这這 进進 采採 问問 项項 题題 额額 产產 乡鄉 镇鎮 县縣 级級 厅廳 办辦 员員 网網
门門 户戶 统統 来來 间間 页頁 说說 编編 写寫 图圖 标標 个個 为為 为爲 应應 际際 设設 实實
据據 阅閱 导導 见見 责責 监監 营營 环環 长長 场場 选選 录錄 证證 书書 们們 东東 广廣 历歷
与與 两兩 并並 从從 优優 传傳 众眾 众衆 华華 协協 参參 台臺 号號 团團 坚堅 声聲 备備 宁寧
层層 带帶 庆慶 张張 归歸 态態 扩擴 扫掃 担擔 换換 断斷 显顯 术術 杂雜 极極 样樣 检檢 气氣
汇匯 沟溝 济濟 满滿 热熱 状狀 独獨 电電 疗療 盘盤 码碼 础礎 离離 种種 积積 称稱 简簡 纪紀
约約 线線 练練 细細 终終 给給 络絡 绩績 综綜 职職 联聯 节節 荣榮 视視 览覽 订訂 讨討 让讓
训訓 讯訊 记記 讲講 论論 评評 识識 词詞 试試 话話 详詳 语語 误誤 读讀 调調 谈談 负負 财財
质質 贯貫 资資 赔賠 践踐 车車 软軟 较較 辖轄 边邊 达達 运運 还還 远遠 违違 连連 递遞 邮郵
释釋 里裡 里裏 钱錢 银銀 销銷 错錯 闭閉 闻聞 阶階 陈陳 险險 随隨 难難 领領 频頻 颁頒 风風
馆館 验驗 党黨 制製 布佈 征徵 注註 舆輿 适適 专專 义義 习習 买買 亲親 农農 准準 划劃 则則
创創 别別 劳勞 势勢 医醫 卫衛 卖賣 变變 叶葉 启啟 园園 围圍 圆圓 坏壞 夺奪 奖獎 妇婦 学學
宪憲 将將 届屆 岗崗 师師 帮幫 库庫 异異 弃棄 径徑 怀懷 惩懲 战戰 扬揚 拟擬 拥擁 择擇 挂掛
旧舊 暂暫 杀殺 栏欄 树樹 楼樓 残殘 毕畢 汉漢 测測 涉涉 温溫 灾災 点點 烟煙 爱愛 献獻 矿礦
礼禮 粮糧 紧緊 红紅 级級 纲綱 纷紛 纸紙 绍紹 绝絕 绿綠 缓緩 缩縮 罢罷 肃肅 胜勝 脱脫 艺藝
苏蘇 药藥 虑慮 虽雖 装裝 观觀 触觸 诈詐 诊診 该該 诺諾 谁誰 谓謂 谐諧 谢謝 谨謹 贝貝 责責
贤賢 败敗 账賬 货貨 贫貧 贴貼 贵貴 贷貸 贸貿 贺賀 赏賞 赖賴 赛賽 赞贊 赵趙 趋趨 跃躍 轨軌
轮輪 轻輕 载載 辅輔 辆輛 辞辭 迁遷 迟遲 遗遺 郑鄭 针針 钟鐘 铁鐵 键鍵 队隊 阳陽 阴陰 阵陣
陆陸 隐隱 顶頂 顺順 须須 顾顧 预預 飞飛 驻駐 鸡雞 齐齊 龄齡 籍籍 县縣 状狀 戏戲 壮壯 奋奮
尽盡 尽儘 庄莊 彻徹 忆憶 恶惡 悬懸 惯慣 愿願 扑撲 扰擾 抚撫 抢搶 拦攔 挡擋 挤擠 挥揮 损損
摄攝 摆擺 携攜 敌敵 斗鬥 晋晉 松鬆 欧歐 毁毀 汤湯 泽澤 洁潔 浅淺 浓濃 涂塗 润潤 涨漲 渐漸
湾灣 湿濕 滚滾 滞滯 灭滅 灯燈 灵靈 炉爐 烧燒 牵牽 犹猶 猪豬 画畫 畅暢 疯瘋 监監 硕碩 碍礙
祸禍 穷窮 竞競 笔筆 签簽 筑築 纤纖 纯純 纵縱 绘繪 缘緣 聪聰 脑腦 舰艦 艰艱 荐薦 虚虛 誉譽
译譯 诗詩 诚誠 诞誕 谊誼 谋謀 谱譜 贡貢 贩販 贪貪 赋賦 赚賺 赠贈 踪蹤 轰轟 辈輩 辉輝 辩辯
辽遼 迈邁 逊遜 邓鄧 邻鄰 鉴鑒 钢鋼 钦欽 铃鈴 铭銘 锁鎖 锋鋒 闯闖 闲閒 闷悶 闹鬧 阀閥 阁閣
雾霧 顿頓 颖穎 颜顏 饭飯 饰飾 饱飽 驱驅 驶駛 驾駕 骗騙 鱼魚 鸟鳥 麦麥 冲衝 几幾 击擊 兴興
养養 册冊 军軍 净淨 凤鳳 剂劑 剧劇 劝勸 厉厲 压壓 厌厭 叙敘 叹嘆 圣聖 垦墾 墙牆 够夠 夸誇
娱娛 婴嬰 孙孫 宝寶 宽寬 宾賓 寻尋 寿壽 尔爾 尘塵 层層 岛島 币幣 帐帳 庙廟 弯彎 恋戀 恳懇
惊驚 挂掛 揽攬 旷曠 昼晝 晒曬 枪槍 柜櫃 横橫 泪淚 洒灑 渊淵 滥濫 炼煉 烦煩 焕煥 狭狹 猎獵
疮瘡 痒癢 矿礦 砖磚 窃竊 笼籠 紧緊 绑綁 肠腸 肤膚 肿腫 胁脅 脉脈 脚腳 腾騰 舍捨 芦蘆 蛮蠻
税稅 仅僅 驳駁 厂廠 价價 债債 伤傷 浏瀏 辑輯
""".split()  # noqa: SIM905 -- a readable data table
_QUOTES = "“”„‟〝〞«»「」『』＂'‘’`"
_BRACKETS = {"【": "(", "】": ")", "〔": "(", "〕": ")", "［": "(", "］": ")", "[": "(", "]": ")"}
T2S: dict[int, str] = {ord(pair[1]): pair[0] for pair in _T2S_PAIRS}
T2S.update({ord(q): '"' for q in _QUOTES})
T2S.update({ord(k): v for k, v in _BRACKETS.items()})

_SPACE = re.compile(r"\s+")
MAX_CACHED_LABELS = 50_000  # bounds a long dataset build's memory; labels recur, prose does not
_NUMERALS = "一二三四五六七八九十"
# One leading numbering token: 一、 (一) (1) 1. 1、 1) — applied repeatedly.
_NUMBERING = re.compile(
    rf"^(?:[{_NUMERALS}]{{1,3}}[、.]|\([{_NUMERALS}\d]{{1,3}}\)[、.]?|\d{{1,2}}[、.)](?!\d))"
)
# A bracketed fill-in note, e.g. 规章(设区的市…应提供相关数据); never a numbering bracket.
_NOTE = re.compile(rf"\((?![{_NUMERALS}\d]{{1,3}}\))[^()]*\)")
_ENDS_WITH_NUMBERING = re.compile(rf"(?:[、.)]|\([{_NUMERALS}\d]{{1,3}}\))$")


def normalise_text(text: str) -> str:
    """Width, script, quotes and brackets unified, whitespace dropped; numbering kept.
    Uncached: for whole documents (see `normalise` for labels and lines)."""
    s = unicodedata.normalize("NFKC", text).translate(T2S)
    for old, new in VOCABULARY:
        if old in s:
            s = s.replace(old, new)
    return _SPACE.sub("", s)


def _fold_table() -> dict[str, str]:
    """Character -> replacement for fold_text: full-width ASCII forms, then T2S, composed."""
    table = {chr(cp): chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
    table = {k: T2S.get(ord(v), v) for k, v in table.items()}
    table.update({chr(k): v for k, v in T2S.items()})
    return table


_FOLD = _fold_table()
_FOLD_RE = re.compile("[" + re.escape("".join(_FOLD)) + "]")


def fold_text(text: str) -> str:
    """A fast stand-in for normalise_text over whole documents, to search them for wording:
    full-width ASCII forms, script, quotes, brackets and vocabulary unified, whitespace
    dropped (NFKC, slow on long text, is left out: only its width folding matters here)."""
    s = _FOLD_RE.sub(lambda m: _FOLD[m.group()], _SPACE.sub("", text))
    for old, new in VOCABULARY:
        if old in s:
            s = s.replace(old, new)
    return s


FOLD_CACHED_CHARS = 200  # lines up to this long recur across reports (labels, headings)


def fold_lines(lines: Iterable[str]) -> str:
    """fold_text over lines joined by newlines; the short, recurring ones cached."""
    return "\n".join(
        _fold_cached(line) if len(line) <= FOLD_CACHED_CHARS else fold_text(line) for line in lines
    )


@lru_cache(maxsize=1 << 16)
def _fold_cached(line: str) -> str:
    return fold_text(line)


@lru_cache(maxsize=1 << 16)
def normalise(text: str) -> str:
    """normalise_text for a label or a line, cached: the same labels recur in every report."""
    return normalise_text(text)


@lru_cache(maxsize=1 << 16)
def key_form(text: str) -> str:
    """The normalised label without leading numbering and without bracketed fill-in notes."""
    s = normalise(text)
    for _ in range(3):
        stripped = _NUMBERING.sub("", s, count=1)
        if stripped == s:
            break
        s = stripped
    without_notes = _NOTE.sub("", s)
    return without_notes or s


class LabelIndex:
    """Looks printed labels up among template lines by their `keys` (containment or `exact`)."""

    def __init__(self, lines: Iterable[Line]) -> None:
        self.lines = tuple(lines)
        self._entries = [
            (key_form(key), line, line.exact) for line in self.lines for key in line.keys
        ]
        self._cache: dict[str, tuple[Line, ...]] = {}

    def match(self, label: str) -> tuple[Line, ...]:
        """Lines whose keys the label carries, best (longest key) first; cached per label."""
        hit = self._cache.get(label)
        if hit is None:
            if len(self._cache) > MAX_CACHED_LABELS:  # prose lines are looked up too
                self._cache.clear()
            hit = self._cache[label] = self._match(key_form(label))
        return hit

    def first(self, label: str) -> Line | None:
        hits = self.match(label)
        return hits[0] if hits else None

    def _match(self, s: str) -> tuple[Line, ...]:
        if not s:
            return ()
        scored: dict[str, tuple[int, Line]] = {}
        for key, line, exact in self._entries:
            if exact:
                ok = s == key or (
                    s.endswith(key) and _ENDS_WITH_NUMBERING.search(s[: -len(key)]) is not None
                )
            else:
                ok = key in s
            if ok and len(key) > scored.get(line.code, (0, line))[0]:
                scored[line.code] = (len(key), line)
        ranked = sorted(scored.values(), key=lambda pair: -pair[0])
        return tuple(line for _, line in ranked)
