"""Fixed vocabularies of the 2022 Regulations (labels users see and the data stores)."""
from __future__ import annotations

FORMS = ("走访", "来信", "网上", "电话", "传真")
MATTER_CLASSES = ("建议意见", "检举控告", "申诉求决")
STATION_LEVELS = ("县", "乡镇")
GENDERS = ("男", "女")

DECISION_ON_SPOT = "当场答复"
DECISION_ACCEPT = "受理告知"
DECISION_FORWARD = "转送"
DECISION_ASSIGN = "交办"
DECISION_REFUSE = "不予受理"
DECISION_NO_LONGER = "不再受理"
DECISION_LEGAL = "导入法定途径"
DECISIONS = (
    DECISION_ON_SPOT,
    DECISION_ACCEPT,
    DECISION_FORWARD,
    DECISION_ASSIGN,
    DECISION_REFUSE,
    DECISION_NO_LONGER,
    DECISION_LEGAL,
)

# Which extra detail each desk decision needs (spec §1.5–§1.6).
DECISION_NEEDS_UNIT = {DECISION_FORWARD, DECISION_ASSIGN}
DECISION_NEEDS_REASON = {DECISION_REFUSE, DECISION_NO_LONGER}
DECISION_NEEDS_CHANNEL = {DECISION_REFUSE, DECISION_LEGAL}

# Legal channels a matter can be diverted into (2022 art. 31).
LEGAL_CHANNELS = (
    "诉讼",
    "仲裁",
    "行政复议",
    "行政裁决",
    "行政确认",
    "行政许可",
    "行政处罚",
    "党员申诉",
    "检察监督",
    "公安法定程序",
    "劳动人事争议调解仲裁",
    "其他法定途径",
)

STATUS_REGISTERED = "已登记"
STATUS_BY_DECISION = {
    DECISION_ON_SPOT: "已当场答复",
    DECISION_ACCEPT: "已受理",
    DECISION_FORWARD: "已转送",
    DECISION_ASSIGN: "已交办",
    DECISION_REFUSE: "不予受理",
    DECISION_NO_LONGER: "不再受理",
    DECISION_LEGAL: "已导入法定途径",
}
# Stages after the desk (spec §2.1); the lifecycle service moves a matter between them.
STATUS_HANDLING = "办理中"
STATUS_EXTENDED = "延期办理中"
STATUS_REPLIED = "已答复"
STATUS_REVIEWING = "复查中"
STATUS_REVIEWED = "已复查"
STATUS_RECHECKING = "复核中"
STATUS_RECHECKED = "已复核"
STATUS_CLOSED = "已办结归档"
STATUSES = (
    STATUS_REGISTERED,
    *STATUS_BY_DECISION.values(),
    STATUS_HANDLING,
    STATUS_EXTENDED,
    STATUS_REPLIED,
    STATUS_REVIEWING,
    STATUS_REVIEWED,
    STATUS_RECHECKING,
    STATUS_RECHECKED,
    STATUS_CLOSED,
)

REPLY_OPINIONS = ("支持", "解释说明", "不予支持")
DELIVERY_METHODS = ("当面送达", "邮寄送达", "其他方式")
RECEIPT_STATES = ("签收", "拒收")
EVALUATION_TARGETS = ("信访部门", "责任单位")
EVALUATION_RESULTS = ("满意", "基本满意", "不满意")
REVIEW_RESULTS = ("维持原处理意见", "变更原处理意见", "撤销原处理意见")

FLAG_LABELS = {"skip_level": "越级", "litigation_related": "涉法涉诉", "major_urgent": "重大紧急"}

EVENT_LABELS = {
    "registered": "登记",
    "decided": "窗口处理",
    "linked_as_repeat": "关联为重复访",
    "repeat_visit_recorded": "收到重复访",
    "document_printed": "打印文书",
    "extended": "延期办理",
    "attachment_added": "添加附件",
    "accepted": "责任单位受理",
    "handling_started": "开始办理",
    "replied": "答复",
    "evaluated": "满意度评价",
    "review_requested": "申请复查",
    "review_decided": "复查决定",
    "recheck_requested": "申请复核",
    "recheck_decided": "复核决定",
    "closed": "办结归档",
    "supervised": "督办",
    "urged": "催办",
    "owned": "领导包案",
    "owner_progress": "包案进展",
}

# The 56 ethnic groups (GB/T 3304), plus the two catch-alls used on ID cards.
ETHNICITIES = (
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族",
    "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族",
    "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族",
    "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族",
    "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族",
    "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族", "其他", "外国血统中国籍人士",
)

# Limits (characters, counted as code points).
MAX_TITLE = 60
MAX_REQUEST = 5000
MAX_FACTS = 20000
MAX_ADDRESS = 200
MAX_REASON = 500
MAX_UNIT = 100
MAX_HEADCOUNT = 9999
