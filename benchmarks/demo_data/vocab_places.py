"""Places: cities with their province, sales region, telephone area code and district division codes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class City:
    province: str  # full name, e.g. 广东省 (a municipality repeats the city: 北京市)
    name: str  # full name, e.g. 广州市
    en: str  # Guangzhou
    region: str  # 华东 / 华南 / 华北 / 华中 / 西南 / 西北 / 东北 / 海外
    area_code: str  # 020; "" abroad
    districts: tuple[tuple[str, str], ...]  # (district, 6-digit division code)
    weight: int
    calling_code: str = "86"

    @property
    def short(self) -> str:
        """广州市 -> 广州, 北京市 -> 北京."""
        return self.name[:-1] if self.name.endswith("市") else self.name

    @property
    def province_short(self) -> str:
        for suffix in ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "省", "市"):
            if self.province.endswith(suffix):
                return self.province[: -len(suffix)]
        return self.province

    @property
    def municipality(self) -> bool:
        return self.province == self.name

    @property
    def abroad(self) -> bool:
        return self.region == "海外"


def _city(province: str, name: str, en: str, region: str, area: str, districts: str, weight: int) -> City:
    pairs = tuple((d.split(":")[0], d.split(":")[1]) for d in districts.split())
    return City(province, name, en, region, area, pairs, weight)


CITIES: tuple[City, ...] = (
    _city(
        "北京市",
        "北京市",
        "Beijing",
        "华北",
        "010",
        "朝阳区:110105 海淀区:110108 东城区:110101 西城区:110102 丰台区:110106",
        10,
    ),
    _city(
        "上海市",
        "上海市",
        "Shanghai",
        "华东",
        "021",
        "浦东新区:310115 徐汇区:310104 静安区:310106 闵行区:310112 长宁区:310105",
        10,
    ),
    _city("天津市", "天津市", "Tianjin", "华北", "022", "和平区:120101 南开区:120104 滨海新区:120116", 3),
    _city("重庆市", "重庆市", "Chongqing", "西南", "023", "渝中区:500103 江北区:500105 渝北区:500112", 3),
    _city("广东省", "广州市", "Guangzhou", "华南", "020", "天河区:440106 越秀区:440104 海珠区:440105 番禺区:440113", 8),
    _city("广东省", "深圳市", "Shenzhen", "华南", "0755", "南山区:440305 福田区:440304 宝安区:440306 龙岗区:440307", 8),
    _city("广东省", "东莞市", "Dongguan", "华南", "0769", "南城街道:441900 长安镇:441900", 2),
    _city("广东省", "佛山市", "Foshan", "华南", "0757", "禅城区:440604 南海区:440605 顺德区:440606", 2),
    _city("浙江省", "杭州市", "Hangzhou", "华东", "0571", "西湖区:330106 滨江区:330108 余杭区:330110 拱墅区:330105", 6),
    _city("浙江省", "宁波市", "Ningbo", "华东", "0574", "鄞州区:330212 海曙区:330203", 2),
    _city("江苏省", "南京市", "Nanjing", "华东", "025", "鼓楼区:320106 玄武区:320102 江宁区:320115 建邺区:320105", 5),
    _city("江苏省", "苏州市", "Suzhou", "华东", "0512", "姑苏区:320508 吴中区:320506 工业园区:320571", 5),
    _city("山东省", "青岛市", "Qingdao", "华东", "0532", "市南区:370202 崂山区:370212 黄岛区:370211", 2),
    _city("山东省", "济南市", "Jinan", "华东", "0531", "历下区:370102 槐荫区:370104", 2),
    _city("福建省", "厦门市", "Xiamen", "华东", "0592", "思明区:350203 湖里区:350206", 2),
    _city("福建省", "福州市", "Fuzhou", "华东", "0591", "鼓楼区:350102 仓山区:350104", 1),
    _city("安徽省", "合肥市", "Hefei", "华东", "0551", "蜀山区:340104 包河区:340111", 2),
    _city("四川省", "成都市", "Chengdu", "西南", "028", "武侯区:510107 锦江区:510104 青羊区:510105 成华区:510108", 5),
    _city("湖北省", "武汉市", "Wuhan", "华中", "027", "洪山区:420111 江汉区:420103 武昌区:420106", 4),
    _city("湖南省", "长沙市", "Changsha", "华中", "0731", "岳麓区:430104 芙蓉区:430102 天心区:430103", 3),
    _city("河南省", "郑州市", "Zhengzhou", "华中", "0371", "金水区:410105 二七区:410103", 3),
    _city("陕西省", "西安市", "Xi'an", "西北", "029", "雁塔区:610113 未央区:610112 碑林区:610103", 3),
    _city("辽宁省", "沈阳市", "Shenyang", "东北", "024", "和平区:210102 沈河区:210103", 2),
    _city("黑龙江省", "哈尔滨市", "Harbin", "东北", "0451", "南岗区:230103 道里区:230102", 1),
    _city("云南省", "昆明市", "Kunming", "西南", "0871", "五华区:530102 盘龙区:530103", 1),
    _city("广西壮族自治区", "南宁市", "Nanning", "华南", "0771", "青秀区:450103", 1),
    _city("河北省", "石家庄市", "Shijiazhuang", "华北", "0311", "长安区:130102", 1),
    _city("山西省", "太原市", "Taiyuan", "华北", "0351", "小店区:140105", 1),
)

# Where some English-speaking customers live: (city, country, calling code).
ABROAD: tuple[City, ...] = (
    City("", "新加坡", "Singapore", "海外", "", (("", ""),), 3, "65"),
    City("", "香港", "Hong Kong", "海外", "", (("", ""),), 3, "852"),
    City("", "伦敦", "London", "海外", "", (("", ""),), 1, "44"),
    City("", "旧金山", "San Francisco", "海外", "", (("", ""),), 1, "1"),
)

ROADS: tuple[str, ...] = (
    "人民路",
    "中山路",
    "解放路",
    "建设路",
    "和平路",
    "新华路",
    "长江路",
    "黄河路",
    "文化路",
    "学府路",
    "科技路",
    "创业大道",
    "高新大道",
    "滨江大道",
    "世纪大道",
    "东风路",
    "友谊路",
    "青年路",
    "光明路",
    "花园路",
)
OFFICE_BUILDINGS: tuple[str, ...] = ("国际中心", "科技园", "金融中心", "创意园", "商务广场", "大厦")
HOMES: tuple[str, ...] = ("阳光小区", "幸福家园", "锦绣花园", "翠苑", "绿城小区", "丽景湾", "和谐家园")
