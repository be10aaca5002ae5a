package demo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
)

// The demo's work reports. The closed 2020 cycle (tied to the session of
// 19 January 2021) holds an accepted report of every demo NGO, written from
// what the NGOs told that session about 2020 and planned for 2021. The open
// 2026 cycle shows the other states: a draft (ngo01), a submitted report
// (ngo02) and a returned one (ngo03); every other NGO has not started.
//
// The rows are written with SQL in the seed's transaction (the 2020 cycle is
// closed, so SaveDraft would refuse them), but they are what the repository
// would have stored: content checked with Report.Validate and against the
// requests addressed to the NGO, progress rows and requests carried over,
// sections written and history appended by the repository's own steps
// (postgres.Tx), and a submission's snapshot taken from the report as the
// repository reads it back. Times are fixed offsets from the cycle's dates,
// never now(), so a second seed changes nothing; a report that exists is
// left as it is.

// The names of the demo's themes and key projects (cycle.go) that
// the reports are tagged with.
const (
	thEpidemic = "抗击疫情"
	thCareer   = "女性职业发展"
	thMedia    = "新媒体宣传倡导"
	thCPC      = "庆祝建党100周年"
	thYRD      = "长三角一体化"
	thEvents   = "线上线下主题活动"

	kpMentor  = "巾帼职场导师计划"
	kpFamily  = "家庭教育指导服务项目"
	kpYRD     = "长三角女性精英联谊网络"
	kpStories = "讲好上海女性故事"
)

// The chair's requests at the 2021 session, by number: 1 asks for
// platforms for career women, 2 for telling the story of Shanghai women.
const (
	reqPlatforms = 1
	reqStories   = 2
)

// activityRow is one activity row; dates are "YYYY-MM-DD".
type activityRow struct {
	title         string
	kind          portal.ActivityKind
	mode          portal.ActivityMode
	from, to      string
	people, women int
	partners      string
	themes        []string
}

type mediaRow struct {
	channel portal.MediaChannel
	items   int
	reads   int64
}

// planRow is one plan item; quarter 0 is the whole year, project ""
// none, requests the numbers of the requests it answers.
type planRow struct {
	title, desc string
	quarter     int
	project     string
	themes      []string
	requests    []int
}

// progressRow answers the carried-over progress row at the same position.
type progressRow struct {
	status portal.ProgressStatus
	note   string
}

// reportContent is what an NGO's staff wrote in one report. Progress rows and
// answers exist only when the report carries some over; progress answers
// them by position, answers by request number.
type reportContent struct {
	narrative, highlight, legalRep string
	activities                     []activityRow
	media                          []mediaRow
	plan                           []planRow
	progress                       []progressRow
	answers                        map[int]string
}

// tags lists theme names, to keep the tables below short.
func tags(names ...string) []string { return names }

// reports2020 are the accepted 2020 reports, one per demo NGO in seed
// order. The legal representative is the NGO's first representative at the
// 2021 session (reps).
var reports2020 = []reportContent{
	{ // women-entrepreneurship
		narrative: "2020年，面对新冠肺炎疫情对小微企业的冲击，本会第一时间摸排会员企业复工复产情况，联合银行和融资担保机构为受困的女性创业者对接纾困贷款，并组织会员企业向抗疫一线捐赠防护物资。自5月起，“女性创业大讲堂”转到线上，全年开设创业培训和导师面对面活动，帮助初创企业调整经营方向；本会微信公众号推出“她创业”系列故事，记录女性创业者在疫情中的坚守与创新。",
		highlight: "疫情期间为120余家女性创办的小微企业对接纾困贷款，线上“女性创业大讲堂”全年服务女性创业者5000余人次。",
		activities: []activityRow{
			{"女性创业者复工复产纾困对接", portal.KindEpidemicResponse, portal.ModeHybrid, "2020-02-17", "2020-04-30", 380, 352, "上海银行、市融资担保中心", tags(thEpidemic, thCareer)},
			{"“女性创业大讲堂”线上系列课程", portal.KindLecture, portal.ModeOnline, "2020-05-12", "2020-12-15", 5200, 4680, "上海财经大学创业学院", tags(thCareer, thEvents)},
			{"创业导师面对面沙龙", portal.KindThemedActivity, portal.ModeOffline, "2020-09-18", "2020-09-18", 85, 80, "", tags(thCareer)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 96, 184000}},
		plan: []planRow{
			{"巾帼创业导师结对", "组织30位成功女企业家与初创期女性创业者一对一结对，全年举办不少于10场导师沙龙。", 2, kpMentor, tags(thCareer), []int{reqPlatforms}},
			{"长三角女性创业项目路演", "联合苏浙皖女性创业组织举办创业项目路演和产业对接会。", 3, kpYRD, tags(thYRD, thCareer), []int{reqPlatforms}},
			{"建党百年女性创业者口述史", "采访十位不同年代的上海女性创业者，在新媒体推出口述史系列。", 2, kpStories, tags(thCPC, thMedia), []int{reqStories}},
		},
	},
	{ // women-in-science
		narrative: "2020年疫情期间，本会会员中的病毒学、公共卫生和数据科学专家投身科研攻关和防控咨询；本会组织会员专家录制防疫科普短视频，在社区和学校广泛传播。我们坚持为青年女科技工作者搭建交流平台，举办线上学术沙龙和职业发展讲座，关注科研女性在疫情期间兼顾工作与家庭的困难；“科学家妈妈讲科学”科普课堂线上线下同步开讲，受到家长和孩子的欢迎。",
		highlight: "会员专家录制防疫科普短视频48部，“科学家妈妈讲科学”课堂服务中小学生和家长8000余人次。",
		activities: []activityRow{
			{"防疫科普短视频系列", portal.KindCampaign, portal.ModeOnline, "2020-02-05", "2020-04-15", 21000, 12600, "", tags(thEpidemic, thMedia)},
			{"青年女科技工作者线上学术沙龙", portal.KindLecture, portal.ModeOnline, "2020-06-10", "2020-11-25", 640, 590, "中国科学院上海分院", tags(thCareer, thEvents)},
			{"“科学家妈妈讲科学”科普课堂", portal.KindThemedActivity, portal.ModeHybrid, "2020-07-06", "2020-12-20", 8300, 4500, "上海科技馆", tags(thEvents)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 72, 96000}, {portal.ChannelDouyin, 36, 410000}},
		plan: []planRow{
			{"女科技工作者职业发展论坛", "面向青年女科技工作者举办四场职业发展论坛，并建立线上交流社群。", 2, kpMentor, tags(thCareer), []int{reqPlatforms}},
			{"长三角女科学家创新合作交流", "组织沪苏浙皖女科学家开展科研合作交流和成果对接。", 3, kpYRD, tags(thYRD), nil},
			{"建党百年科学家精神宣讲", "讲述老一辈女科学家报效祖国的故事，走进校园宣讲科学家精神，并制作双语短视频。", 2, kpStories, tags(thCPC, thMedia), []int{reqStories}},
		},
	},
	{ // women-physicians
		narrative: "2020年初，本会数十名会员驰援武汉和本市发热门诊一线，协会组织后方会员为援鄂医疗队员的家庭提供健康咨询和生活关爱。疫情趋稳后，协会开设妇女健康线上讲堂，聚焦疫情期间妇女的心理调适和慢病管理；下半年恢复“健康进社区”公益义诊，走进郊区乡镇为妇女提供两癌筛查咨询。协会还在新媒体平台开设女医师健康科普专栏。",
		highlight: "会员驰援武汉和本市抗疫一线，协会为援鄂医务人员家庭提供关爱服务，全年义诊和健康讲座惠及妇女近万人次。",
		activities: []activityRow{
			{"援鄂医务人员家庭关爱行动", portal.KindService, portal.ModeHybrid, "2020-02-01", "2020-04-30", 260, 198, "市卫生健康委员会", tags(thEpidemic)},
			{"妇女健康线上讲堂", portal.KindLecture, portal.ModeOnline, "2020-04-20", "2020-11-30", 6500, 5800, "", tags(thEvents, thMedia)},
			{"“健康进社区”公益义诊", portal.KindService, portal.ModeOffline, "2020-09-12", "2020-11-21", 1800, 1650, "奉贤区妇联、金山区妇联", tags(thEvents)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 64, 132000}, {portal.ChannelWeibo, 30, 85000}},
		plan: []planRow{
			{"青年女医师职业成长工作坊", "为青年女医师举办职业规划和领导力工作坊，搭建跨医院交流平台。", 3, kpMentor, tags(thCareer), []int{reqPlatforms}},
			{"建党百年健康义诊进乡村", "建党百年之际组织专家赴郊区乡村开展义诊和健康讲座。", 2, "", tags(thCPC, thEvents), nil},
			{"女医师抗疫故事海外讲述", "整理会员援鄂抗疫的亲历故事，在国际医学交流活动中向海外同行讲述。", 4, kpStories, tags(thMedia), []int{reqStories}},
		},
	},
	{ // women-lawyers
		narrative: "2020年疫情期间，本会开通公益法律咨询热线和线上咨询平台，针对疫情引发的劳动用工、房屋租赁和家庭纠纷为妇女免费答疑；会员律师还参与社区防疫志愿服务。《民法典》颁布后，本会组织会员律师线上线下宣讲婚姻家庭编，并制作普法短视频，普及妇女权益保障知识。",
		highlight: "疫情期间开通公益法律咨询热线，全年为妇女免费提供法律咨询1200余人次，民法典宣讲进社区60余场。",
		activities: []activityRow{
			{"疫情期间公益法律咨询热线", portal.KindService, portal.ModeOnline, "2020-02-10", "2020-06-30", 1260, 1105, "上海市律师协会", tags(thEpidemic)},
			{"民法典婚姻家庭编宣讲进社区", portal.KindLecture, portal.ModeHybrid, "2020-06-01", "2020-12-10", 4200, 3560, "各区妇联", tags(thEvents)},
			{"“她权益”普法短视频", portal.KindCampaign, portal.ModeOnline, "2020-08-01", "2020-12-31", 36000, 24000, "", tags(thMedia)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 58, 76000}, {portal.ChannelDouyin, 42, 520000}},
		plan: []planRow{
			{"职业女性法律服务站", "在产业园区和商务楼宇设立职业女性法律服务站，提供劳动权益咨询。", 2, kpMentor, tags(thCareer), []int{reqPlatforms}},
			{"长三角妇女权益保障律师协作", "与苏浙皖女律师组织建立维权案件协作和经验交流机制。", 0, kpYRD, tags(thYRD), nil},
		},
	},
	{ // women-professors
		narrative: "2020年春季学期各高校转为线上教学，本会组织资深女教授为青年女教师开设在线教学经验分享会，帮助她们尽快适应；会员中的医学和公共卫生学者参与防疫咨询和科普写作。本会坚持举办“女教授学术沙龙”，围绕科研选题、职称评审和工作家庭平衡开展交流，并在公众号推出女学者访谈。",
		highlight: "为青年女教师开设在线教学经验分享会，全年学术沙龙和导师结对服务高校青年女教师1200余人次。",
		activities: []activityRow{
			{"青年女教师在线教学经验分享会", portal.KindTraining, portal.ModeOnline, "2020-02-24", "2020-03-31", 860, 820, "复旦大学、同济大学等8所高校", tags(thEpidemic, thCareer)},
			{"“女教授学术沙龙”", portal.KindLecture, portal.ModeHybrid, "2020-06-19", "2020-12-18", 420, 385, "", tags(thCareer, thEvents)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 40, 52000}},
		plan: []planRow{
			{"青年女教师导师结对计划", "组织50位女教授与青年女教师结对，指导科研和职业发展。", 1, kpMentor, tags(thCareer), []int{reqPlatforms}},
			{"百年党史与高校女性成长讲座", "邀请党史学者和老一辈女教授讲述高校女性的成长历程。", 2, "", tags(thCPC, thEvents), nil},
			{"女学者国际学术交流", "邀请海外女学者参加线上学术论坛，介绍上海高校女性学者的研究与成长。", 4, kpStories, tags(thMedia), []int{reqStories}},
		},
	},
	{ // family-education
		narrative: "2020年疫情期间孩子长时间居家学习，许多家长面临亲子冲突和教育焦虑。本会组织家庭教育专家推出“停课不停学·家长课堂”线上系列讲座，开通家庭教育咨询热线；复学后开展“好家风”故事征集和展示活动。本会还通过新媒体发布居家亲子活动指导，陪伴家庭共渡难关。",
		highlight: "“停课不停学·家长课堂”线上讲座吸引家长逾三万人次收看，家庭教育咨询热线接听咨询800余个。",
		activities: []activityRow{
			{"“停课不停学·家长课堂”线上系列讲座", portal.KindLecture, portal.ModeOnline, "2020-02-17", "2020-05-29", 31500, 24800, "", tags(thEpidemic, thEvents)},
			{"疫情期间家庭教育咨询热线", portal.KindService, portal.ModeOnline, "2020-02-10", "2020-06-30", 820, 690, "", tags(thEpidemic)},
			{"“好家风”故事征集与展示", portal.KindThemedActivity, portal.ModeHybrid, "2020-09-01", "2020-12-20", 2600, 1900, "各区妇联", tags(thEvents, thMedia)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 88, 215000}},
		plan: []planRow{
			{"社区家庭教育指导站", "在50个社区设立家庭教育指导站，每月开展讲座和个案咨询。", 0, kpFamily, tags(thEvents), nil},
			{"职业母亲家庭教育支持小组", "为双职工家庭的职业母亲开设家庭教育支持小组，帮助她们兼顾事业与家庭。", 2, kpFamily, tags(thCareer), []int{reqPlatforms}},
			{"建党百年红色家风传承活动", "组织亲子寻访红色足迹，征集红色家风故事。", 3, "", tags(thCPC), nil},
		},
	},
	{ // women-volunteers
		narrative: "2020年疫情防控中，本会发动巾帼志愿者参与社区门岗值守、信息登记和为居家隔离家庭代购配送，并为独居老人提供电话问候和送菜上门服务。下半年，志愿者队伍转入常态化社区服务，开展关爱老人和垃圾分类宣传，并用微信和抖音记录志愿者的故事。",
		highlight: "3600余名巾帼志愿者投身社区疫情防控，为居家隔离家庭和独居老人代购配送逾两万次。",
		activities: []activityRow{
			{"巾帼志愿者社区防疫值守", portal.KindEpidemicResponse, portal.ModeOffline, "2020-01-28", "2020-04-30", 3650, 3480, "各街道社区", tags(thEpidemic)},
			{"独居老人关爱配送服务", portal.KindService, portal.ModeOffline, "2020-02-03", "2020-06-30", 5200, 3700, "", tags(thEpidemic)},
			{"志愿者故事短视频征集", portal.KindCampaign, portal.ModeOnline, "2020-10-01", "2020-12-05", 18000, 11000, "", tags(thMedia, thEvents)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 75, 98000}, {portal.ChannelDouyin, 30, 260000}},
		plan: []planRow{
			{"建党百年巾帼志愿服务月", "七月组织全市巾帼志愿者开展百场社区志愿服务。", 3, "", tags(thCPC, thEvents), nil},
			{"长三角巾帼志愿服务联动", "与苏浙皖志愿者组织开展跨区域志愿服务交流。", 3, kpYRD, tags(thYRD), nil},
			{"巾帼志愿者故事国际传播", "以中英双语短视频向海外讲述上海巾帼志愿者参与社区治理的故事。", 4, kpStories, tags(thMedia), []int{reqStories}},
		},
	},
	{ // women-journalists
		narrative: "2020年，本会会员记者深入抗疫一线，记录援鄂医疗队女队员和社区女干部的抗疫故事，本会汇编了抗疫女性报道选集。我们开展新媒体写作和媒介素养线上培训，帮助女性社会组织提升宣传能力；“她的力量”融媒体专栏全年推出人物报道，在多个平台传播。",
		highlight: "会员记者深入一线记录抗疫女性故事，“她的力量”融媒体专栏全年发布人物报道150余篇，阅读量超过600万。",
		activities: []activityRow{
			{"抗疫一线女性故事采访报道", portal.KindCampaign, portal.ModeOffline, "2020-01-30", "2020-05-31", 160, 138, "", tags(thEpidemic, thMedia)},
			{"女性社会组织新媒体写作线上培训", portal.KindTraining, portal.ModeOnline, "2020-07-08", "2020-07-29", 460, 430, "上海市女性社会组织服务中心", tags(thMedia, thCareer)},
			{"媒介素养进社区讲座", portal.KindLecture, portal.ModeOffline, "2020-10-15", "2020-11-26", 680, 520, "", tags(thEvents)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 156, 3800000}, {portal.ChannelWeibo, 210, 2400000}},
		plan: []planRow{
			{"讲好上海女性故事融媒体行动", "推出中英双语人物报道，向海外媒体推介上海女性故事。", 0, kpStories, tags(thMedia), []int{reqStories}},
			{"建党百年女记者寻访红色足迹", "组织女记者寻访上海红色地标，推出系列报道。", 2, "", tags(thCPC), nil},
			{"女性新闻工作者职业交流会", "为青年女记者举办职业交流会和采编技能分享。", 3, kpMentor, tags(thCareer), []int{reqPlatforms}},
		},
	},
	{ // women-architects
		narrative: "2020年疫情期间，本会会员参与发热门诊改造的设计咨询，并志愿为社区设计临时防疫检测点。下半年，本会继续推进社区微更新公益设计，组织女建筑师与居民一起改造老旧小区的公共空间，并举办线上专业讲座，分享女建筑师的职业成长经验。",
		highlight: "会员志愿参与发热门诊改造和社区防疫设施设计，全年完成6个老旧小区微更新公益设计。",
		activities: []activityRow{
			{"社区防疫设施志愿设计", portal.KindEpidemicResponse, portal.ModeOffline, "2020-02-08", "2020-03-20", 140, 96, "徐汇区、长宁区部分街道", tags(thEpidemic)},
			{"老旧小区微更新公益设计", portal.KindService, portal.ModeOffline, "2020-06-01", "2020-11-30", 1500, 880, "", tags(thEvents)},
			{"女建筑师职业成长线上讲座", portal.KindLecture, portal.ModeOnline, "2020-09-24", "2020-12-17", 730, 610, "同济大学建筑与城市规划学院", tags(thCareer)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 32, 41000}},
		plan: []planRow{
			{"女建筑师职业发展交流平台", "每季度举办一次女建筑师项目分享会，为青年女建筑师提供交流机会。", 2, kpMentor, tags(thCareer), []int{reqPlatforms}},
			{"长三角城市更新女建筑师论坛", "联合苏浙皖女建筑师举办城市更新论坛。", 4, kpYRD, tags(thYRD), nil},
		},
	},
	{ // women-children-foundation
		narrative: "2020年疫情暴发后，本会设立抗疫专项基金，募集社会捐款和防护物资，定向支持援鄂女医务人员的家庭和社区一线的女性工作者。本会持续资助困境女性就业创业项目和儿童关爱项目，在“99公益日”开展线上募捐，并通过新媒体定期公开项目进展，增进捐赠人的信任。",
		highlight: "抗疫专项基金募集善款和物资逾1200万元，资助援鄂女医务人员家庭和社区一线女性工作者。",
		activities: []activityRow{
			{"抗疫专项基金募集与援助", portal.KindEpidemicResponse, portal.ModeHybrid, "2020-01-27", "2020-05-31", 4300, 3800, "爱心企业和社会各界", tags(thEpidemic)},
			{"困境女性就业创业资助项目", portal.KindService, portal.ModeOffline, "2020-07-01", "2020-12-31", 360, 360, "", tags(thCareer)},
			{"“99公益日”线上募捐", portal.KindCampaign, portal.ModeOnline, "2020-09-07", "2020-09-09", 26000, 15600, "", tags(thMedia)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 60, 88000}, {portal.ChannelWeibo, 45, 150000}},
		plan: []planRow{
			{"女性职业技能提升资助计划", "资助200名困境女性参加职业技能培训并推荐就业。", 1, kpMentor, tags(thCareer), []int{reqPlatforms}},
			{"家庭教育公益项目资助", "资助社区家庭教育指导服务项目。", 2, kpFamily, tags(thEvents), nil},
			{"建党百年“她公益”项目展示", "展示受资助女性的成长故事，向社会和海外捐赠人介绍上海妇女公益。", 3, kpStories, tags(thCPC, thMedia), []int{reqStories}},
		},
	},
	{ // women-org-service-centre
		narrative: "2020年疫情期间，本中心编写了女性社会组织疫情防控工作指引，协调孵化中的女性社会组织参与社区防疫，调配物资和志愿者。线下活动停摆后，本中心开设线上能力建设课程，内容涵盖项目设计、财务管理和新媒体运营；年底举办公益项目展示交流会，促进组织之间的合作。",
		highlight: "编写女性社会组织疫情防控工作指引，线上能力建设课程全年培训社会组织骨干900余人次。",
		activities: []activityRow{
			{"女性社会组织防疫工作指引与协调", portal.KindEpidemicResponse, portal.ModeOnline, "2020-02-04", "2020-03-31", 320, 290, "", tags(thEpidemic)},
			{"女性社会组织线上能力建设课程", portal.KindTraining, portal.ModeOnline, "2020-04-15", "2020-11-18", 920, 850, "上海市女记者协会", tags(thMedia, thEvents)},
			{"公益项目展示交流会", portal.KindThemedActivity, portal.ModeOffline, "2020-12-04", "2020-12-04", 210, 180, "", tags(thEvents)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 46, 39000}},
		plan: []planRow{
			{"女性社会组织负责人交流平台", "每季度举办女性社会组织负责人沙龙，分享管理经验。", 2, kpMentor, tags(thCareer), []int{reqPlatforms}},
			{"长三角女性社会组织协作网络", "与苏浙皖女性社会组织建立项目协作网络。", 3, kpYRD, tags(thYRD), []int{reqPlatforms}},
		},
	},
	{ // women-mental-health
		narrative: "2020年疫情期间，本会开通女性心理援助热线，组织心理咨询师为隔离人员、一线女医护人员及其家属提供心理疏导；针对居家期间的焦虑和家庭关系紧张，推出线上减压课程。下半年，本会为职场女性开展压力管理讲座和互助小组，并在新媒体发布心理健康科普文章。",
		highlight: "女性心理援助热线疫情期间接听求助1500余人次，为一线女医护人员提供心理疏导。",
		activities: []activityRow{
			{"疫情期间女性心理援助热线", portal.KindEpidemicResponse, portal.ModeOnline, "2020-02-01", "2020-05-31", 1530, 1260, "", tags(thEpidemic)},
			{"职场女性压力管理讲座和互助小组", portal.KindLecture, portal.ModeHybrid, "2020-07-10", "2020-12-11", 1100, 1020, "", tags(thCareer, thEvents)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 70, 125000}},
		plan: []planRow{
			{"职场女性心理支持平台", "在商务楼宇开设职场女性心理支持小组和线上咨询。", 2, kpMentor, tags(thCareer), []int{reqPlatforms}},
			{"家庭心理健康进社区", "在社区开展亲子沟通和家庭心理健康讲座。", 3, kpFamily, tags(thEvents), nil},
		},
	},
	{ // women-in-finance
		narrative: "2020年疫情期间，本会会员所在的金融机构为受疫情影响的小微企业提供延期还款和专项信贷；本会组织会员开展线上金融知识普及，提醒妇女防范疫情期间的金融诈骗。本会举办“金融女性职业发展论坛”，并与长三角女金融家组织开展线上交流。",
		highlight: "线上金融知识普及和反诈宣传覆盖妇女2万余人次，举办金融女性职业发展论坛。",
		activities: []activityRow{
			{"疫情期间防范金融诈骗线上宣传", portal.KindCampaign, portal.ModeOnline, "2020-03-02", "2020-06-30", 26500, 21000, "上海市银行同业公会", tags(thEpidemic, thMedia)},
			{"金融女性职业发展论坛", portal.KindLecture, portal.ModeOffline, "2020-10-23", "2020-10-23", 260, 238, "", tags(thCareer)},
			{"长三角女金融家线上交流会", portal.KindThemedActivity, portal.ModeOnline, "2020-11-13", "2020-11-13", 150, 142, "", tags(thEvents)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 38, 64000}},
		plan: []planRow{
			{"长三角女性金融人才交流会", "联合苏浙皖女金融家组织举办人才交流会和产业对接。", 2, kpYRD, tags(thYRD, thCareer), []int{reqPlatforms}},
			{"建党百年金融知识进社区", "组织会员走进社区开展金融知识普及讲座。", 3, "", tags(thCPC, thEvents), nil},
		},
	},
	{ // women-artists
		narrative: "2020年疫情期间，本会女艺术家创作了一批以抗疫为主题的书画、歌曲和诗朗诵作品，通过线上展览和云演出致敬抗疫一线的女性；下半年举办“她的光芒”女艺术家作品展，并走进社区开设公益艺术课堂。",
		highlight: "女艺术家创作抗疫主题作品200余件，线上展览和云演出观看逾8万人次。",
		activities: []activityRow{
			{"“致敬抗疫巾帼”线上作品展和云演出", portal.KindThemedActivity, portal.ModeOnline, "2020-03-08", "2020-04-30", 82000, 52000, "", tags(thEpidemic, thMedia)},
			{"“她的光芒”女艺术家作品展", portal.KindThemedActivity, portal.ModeOffline, "2020-09-26", "2020-10-18", 6800, 4600, "上海市群众艺术馆", tags(thEvents)},
			{"社区公益艺术课堂", portal.KindTraining, portal.ModeOffline, "2020-07-15", "2020-12-16", 960, 720, "", tags(thEvents)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 52, 73000}, {portal.ChannelDouyin, 28, 190000}},
		plan: []planRow{
			{"建党百年女艺术家主题创作展", "围绕建党百年组织女艺术家主题创作并举办展览。", 2, "", tags(thCPC), nil},
			{"上海女性艺术海外交流展", "与海外友好城市合作举办上海女艺术家作品线上展。", 4, kpStories, tags(thMedia), []int{reqStories}},
		},
	},
	{ // returned-women-scholars
		narrative: "2020年疫情初期，本会会员通过海外校友网络募集口罩和防护物资支援国内抗疫，随后又向海外友好组织介绍上海的防控经验并回赠物资。本会举办海归女性职业发展线上沙龙，帮助归国女性人才融入上海；“海归女性看上海”系列短文以中英双语在新媒体发布。",
		highlight: "通过海外校友网络募集防护物资支援抗疫，并以中英双语向海外友好组织讲述上海抗疫故事。",
		activities: []activityRow{
			{"海外校友网络防疫物资募集", portal.KindEpidemicResponse, portal.ModeHybrid, "2020-01-26", "2020-04-15", 520, 430, "", tags(thEpidemic)},
			{"海归女性职业发展线上沙龙", portal.KindLecture, portal.ModeOnline, "2020-06-06", "2020-12-05", 780, 690, "", tags(thCareer, thEvents)},
			{"“海归女性看上海”双语新媒体专栏", portal.KindCampaign, portal.ModeOnline, "2020-08-01", "2020-12-31", 48000, 29000, "", tags(thMedia)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 64, 110000}, {portal.ChannelWebsite, 24, 36000}},
		plan: []planRow{
			{"“走进上海社区”国际交流活动", "邀请外国驻沪机构的女性代表走进社区，了解上海女性参与社会治理。", 2, kpStories, tags(thMedia), []int{reqStories}},
			{"海归女性人才服务平台", "建立海归女性人才线上社群，定期举办职业交流活动。", 3, kpMentor, tags(thCareer), []int{reqPlatforms}},
			{"长三角海归女性创新创业交流", "组织长三角海归女性创业者交流项目和经验。", 4, kpYRD, tags(thYRD), []int{reqPlatforms}},
		},
	},
	{ // women-sports
		narrative: "2020年疫情期间，本会推出“居家健身”线上直播课程，由女教练每天带练，帮助女性居家保持健康；复工复产后，本会恢复社区健身活动，举办女性健步走和广场健身操展示，并为职场女性开设工间操培训。",
		highlight: "“居家健身”直播课程疫情期间每天开课，全年线上线下健身活动参与女性逾3万人次。",
		activities: []activityRow{
			{"“居家健身”线上直播课程", portal.KindTraining, portal.ModeOnline, "2020-02-10", "2020-05-31", 32000, 28000, "", tags(thEpidemic, thEvents)},
			{"女性健步走和广场健身操展示", portal.KindThemedActivity, portal.ModeOffline, "2020-10-17", "2020-10-31", 5600, 5100, "市民体育健身中心", tags(thEvents)},
			{"职场女性工间操培训", portal.KindTraining, portal.ModeOffline, "2020-11-05", "2020-12-24", 1300, 1180, "", tags(thCareer)},
		},
		media: []mediaRow{{portal.ChannelDouyin, 120, 680000}},
		plan: []planRow{
			{"建党百年女性健身展演", "组织社区女性健身团队举办百人健身操展演。", 2, "", tags(thCPC, thEvents), nil},
			{"职场女性健康促进计划", "在企业和楼宇推广工间操，组建职场女性健身社群。", 3, kpMentor, tags(thCareer), []int{reqPlatforms}},
		},
	},
	{ // yrd-women-development
		narrative: "2020年是本会成立后的第一个完整年度。疫情期间，本会联络沪苏浙皖女企业家互通防护物资和供应链信息，协助会员企业复工复产；下半年举办长三角女性企业家产业对接会，并在线上开展区域女性精英交流。本会公众号发布长三角女性创业创新案例。",
		highlight: "联络沪苏浙皖女企业家互通防疫物资和供应链信息，长三角女性企业家产业对接会促成合作意向30余项。",
		activities: []activityRow{
			{"长三角女企业家防疫物资与供应链互助", portal.KindEpidemicResponse, portal.ModeOnline, "2020-02-06", "2020-04-10", 420, 380, "", tags(thEpidemic)},
			{"长三角女性企业家产业对接会", portal.KindThemedActivity, portal.ModeOffline, "2020-11-06", "2020-11-07", 320, 280, "江苏、浙江、安徽省女企业家协会", tags(thCareer)},
			{"长三角女性精英线上交流", portal.KindLecture, portal.ModeOnline, "2020-06-18", "2020-12-10", 900, 810, "", tags(thEvents, thMedia)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 44, 58000}},
		plan: []planRow{
			{"长三角女性产业合作考察", "组织会员赴苏浙皖开展产业合作考察。", 2, kpYRD, tags(thYRD, thCareer), []int{reqPlatforms}},
			{"长三角女性故事双语画册", "编印长三角女性创业创新故事的中英双语画册。", 3, kpStories, tags(thMedia), []int{reqStories}},
			{"长三角女性精英联谊年会", "举办年度联谊会，汇聚区域女性精英。", 4, kpYRD, tags(thYRD), []int{reqPlatforms}},
		},
	},
	{ // women-digital-skills
		narrative: "2020年疫情期间，本中心把全部培训转到线上，为因疫情待业的女性开设电商运营、直播带货和办公软件课程，并为社区老年女性开展健康码使用和网上就医辅导。下半年，本中心与用人单位合作开展就业推荐，并通过短视频推广数字技能小课堂。",
		highlight: "线上数字技能课程帮助1500余名女性提升就业能力，“数字助老”辅导老年女性使用健康码和网上就医。",
		activities: []activityRow{
			{"女性电商与直播线上技能培训", portal.KindTraining, portal.ModeOnline, "2020-03-09", "2020-10-30", 1560, 1520, "", tags(thCareer, thEvents)},
			{"“数字助老”健康码使用辅导", portal.KindService, portal.ModeOffline, "2020-04-20", "2020-09-30", 2400, 1760, "闵行区各街道", tags(thEpidemic)},
			{"数字技能小课堂短视频", portal.KindCampaign, portal.ModeOnline, "2020-08-03", "2020-12-28", 21000, 14500, "", tags(thMedia)},
		},
		media: []mediaRow{{portal.ChannelDouyin, 90, 350000}, {portal.ChannelWeChat, 40, 28000}},
		plan: []planRow{
			{"女性数字就业技能培训计划", "全年开设四期数字就业技能培训班，并对接用人单位。", 1, kpMentor, tags(thCareer), []int{reqPlatforms}},
			{"长三角女性数字技能培训联动", "与苏浙皖培训机构共享课程资源。", 3, kpYRD, tags(thYRD), nil},
		},
	},
}

// openReport is one report of the open 2026 cycle: its NGO (1-based,
// seed order), the status it has reached and, for a return, the reviewer's
// comments.
type openReport struct {
	ngo             int
	status          portal.ReportStatus
	content         reportContent
	returnComment   string
	sectionComments map[string]string
}

// reports2026: ngo01 is writing, ngo02 has submitted, ngo03's report
// came back with comments. As StartReport does (the previous cycle is the
// latest earlier one), their progress rows are carried over from the 2021
// reports' plan items and their answers go to the January 2022 session's
// requests.
var reports2026 = []openReport{
	{ngo: 1, status: portal.ReportDraft, content: reportContent{
		narrative: "2026年，本会继续推进巾帼创业导师结对，新开设人工智能工具应用培训，帮助女性创业者提高经营效率；9月与苏浙皖女性创业组织联合举办创业项目路演。（下半年工作待补充）",
		activities: []activityRow{
			{"女性创业者人工智能工具应用培训", portal.KindTraining, portal.ModeHybrid, "2026-04-16", "2026-06-25", 640, 590, "上海财经大学创业学院", tags(thCareer)},
			{"长三角女性创业项目路演", portal.KindThemedActivity, portal.ModeOffline, "2026-09-24", "2026-09-25", 280, 236, "苏浙皖女性创业组织", tags(thYRD, thCareer)},
		},
		progress: []progressRow{
			{portal.ProgressDone, "数字创业训练营已连续举办，累计学员600余人，今年新增人工智能应用专题。"},
			{portal.ProgressPartly, "已辅导12位女性创办社区托育机构，配套的场地对接仍在推进。"},
		},
		answers: map[int]string{
			req2022Digital: "数字创业训练营帮助女性创业者开网店、做直播，今年新增人工智能工具应用培训。",
		},
	}},
	{ngo: 2, status: portal.ReportSubmitted, content: reportContent{
		narrative: "2026年，本会继续为女性科技人才搭建交流平台：“她科技”青年女科技工作者论坛走进张江科学城，围绕人工智能和生物医药等前沿领域开展交流；“科学家妈妈讲科学”课堂今年新增人工智能启蒙课程。本会还组织会员与苏浙皖女科学家开展科研合作交流，并在新媒体推出女科学家人物访谈。",
		highlight: "“她科技”青年女科技工作者论坛走进张江科学城，“科学家妈妈讲科学”课堂今年服务中小学生和家长1.2万人次。",
		legalRep:  "钱文慧",
		activities: []activityRow{
			{"“她科技”青年女科技工作者论坛", portal.KindLecture, portal.ModeOffline, "2026-04-22", "2026-04-22", 360, 318, "张江科学城", tags(thCareer)},
			{"“科学家妈妈讲科学”人工智能启蒙课", portal.KindThemedActivity, portal.ModeHybrid, "2026-03-14", "2026-10-31", 12000, 6600, "上海科技馆", tags(thEvents)},
			{"长三角女科学家科研合作交流会", portal.KindThemedActivity, portal.ModeOffline, "2026-09-17", "2026-09-18", 180, 162, "苏浙皖女科技工作者组织", tags(thYRD)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 64, 88000}, {portal.ChannelDouyin, 40, 520000}},
		plan: []planRow{
			{"女性科技人才成长营", "为青年女科技工作者举办成长营，安排资深女科学家一对一指导。", 2, kpMentor, tags(thCareer), nil},
			{"长三角女科学家创新合作", "与苏浙皖女科技工作者组织共建科研合作项目库。", 3, kpYRD, tags(thYRD), nil},
			{"女科学家故事双语传播", "制作女科学家中英双语访谈短片，在国际学术交流中播放。", 4, kpStories, tags(thMedia), nil},
		},
		progress: []progressRow{
			{portal.ProgressDone, "人工智能和数据科学短训班已举办六期，学员400余人。"},
			{portal.ProgressDone, "“一老一小”科普课堂走进40个社区。"},
			{portal.ProgressPartly, "长三角女科学家交流会每年举办，共建的合作项目库还在建设。"},
		},
		answers: map[int]string{
			req2022Digital: "为青年女科技工作者开设人工智能和数据科学短训班，帮助女性进入数字科技行业。",
			req2022Care:    "“科学家妈妈讲科学”走进社区，为老人和儿童开设科普课堂。",
		},
	}},
	{ngo: 3, status: portal.ReportReturned, content: reportContent{
		narrative: "2026年，本会聚焦妇女健康：“健康进社区”公益义诊走进郊区乡镇，为妇女提供两癌筛查咨询和慢病管理指导；女医师健康讲堂线上线下同步开讲；本会还为基层医疗机构开展慢病管理培训，并组织青年女医师职业成长工作坊。",
		highlight: "“健康进社区”义诊走进12个郊区乡镇，为妇女提供两癌筛查咨询和慢病管理指导3000余人次。",
		legalRep:  "蒋丽华",
		activities: []activityRow{
			{"“健康进社区”公益义诊", portal.KindService, portal.ModeOffline, "2026-03-07", "2026-10-24", 3200, 2950, "奉贤区、金山区、崇明区妇联", tags(thEvents)},
			{"女医师健康讲堂", portal.KindLecture, portal.ModeHybrid, "2026-05-12", "2026-09-29", 5400, 4700, "", tags(thMedia, thEvents)},
			{"基层医生慢病管理培训", portal.KindTraining, portal.ModeOffline, "2026-06-18", "2026-06-19", 240, 0, "市卫生健康委员会", tags(thCareer)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 58, 97000}},
		plan: []planRow{
			{"青年女医师领导力工作坊", "举办两期青年女医师领导力工作坊，邀请资深女院长授课。", 2, kpMentor, tags(thCareer), nil},
			{"妇女健康科普短视频", "每月发布两期女医师健康科普短视频。", 0, "", tags(thMedia), nil},
		},
		progress: []progressRow{
			{portal.ProgressDone, "基层女医务人员数字健康培训已覆盖全市各区。"},
			{portal.ProgressDone, "老年妇女慢病管理服务走进12个乡镇。"},
			{portal.ProgressPartly, "健康科普短视频每月发布一期，未达到每月两期。"},
		},
		answers: map[int]string{
			req2022Digital: "培训基层女医务人员使用互联网诊疗和健康管理平台。",
			req2022Care:    "在郊区乡镇为老年妇女开展慢病筛查和管理指导。",
		},
	}, returnComment: "报告总体完整，感谢协会一年来的工作。请根据分节意见补充后重新提交。",
		sectionComments: map[string]string{
			portal.SectionActivities: "请补充女性参与人数：“基层医生慢病管理培训”一项的女性参与人数为0，请核实后填写。",
		}},
}

// dayAt is the time h:m in Shanghai, days after day d (a date column).
func dayAt(d time.Time, days, h, m int) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day()+days, h, m, 0, 0, portal.FederationZone)
}

// reportTimes is when a report reached each step; zero for steps it has
// not reached.
type reportTimes struct {
	created, saved, cover, submitted, decided time.Time
	// An accepted report returned once: returned after its first
	// submission, resubmitted before the decision.
	returned, resubmitted time.Time
}

// seedRefs are the ids the demo reports refer to, read once.
type seedRefs struct {
	ngos, users, themes, projects map[string]int64
}

// seedReports adds the demo's reports (see the top of the file) and,
// between the years, the NGOs' answers to each session's requests
// (response.go), in the order the portal would have recorded them: a
// year's reports, the answers after its session, the next year's reports
// giving the outcomes. Run after the accounts, sessions and cycles:
// reports name their staff, answer requests and are tagged with themes and
// key projects.
func seedReports(ctx context.Context, tx postgres.Tx) error {
	for _, l := range []struct {
		year      int
		got, want int
	}{{2019, len(reports2019), pastSessions[0].invited}, {2020, len(reports2020), len(ngos)}, {2021, len(reports2021), len(ngos)}} {
		if l.got != l.want {
			return fmt.Errorf("seed reports: %d %d reports, want %d", l.got, l.year, l.want)
		}
	}
	refs, err := readRefs(ctx, tx)
	if err != nil {
		return err
	}
	cycles := map[int]cycleRef{}
	for _, year := range []int{2019, 2020, 2021, 2026} {
		if cycles[year], err = readCycle(ctx, tx, year); err != nil {
			return err
		}
	}

	// 2019: the invited NGOs' reports, one of them late.
	for i, c := range reports2019 {
		n := i + 1
		c.legalRep = reps[i][0].name
		tl := closedTimeline(cycles[2019], i)
		if n == late2019 {
			tl.saved = dayAt(cycles[2019].deadline, 3, 17, 20)
			tl.cover = dayAt(cycles[2019].deadline, 3, 17, 40)
			tl.submitted = dayAt(cycles[2019].deadline, 4, 9, 15)
			tl.decided = dayAt(cycles[2019].deadline, 10, 11, 0)
		}
		if err := seedReport(ctx, tx, refs, reportSpec{
			cycle: cycles[2019], n: n, status: portal.ReportAccepted, content: c, timeline: tl,
		}); err != nil {
			return err
		}
	}
	if err := seedResponses(ctx, tx, refs, responses2020); err != nil {
		return err
	}

	// 2020: the reports of the real session, every NGO on time.
	for i, c := range reports2020 {
		c.legalRep = reps[i][0].name
		if err := seedReport(ctx, tx, refs, reportSpec{
			cycle: cycles[2020], n: i + 1, status: portal.ReportAccepted, content: c,
			timeline: closedTimeline(cycles[2020], i),
		}); err != nil {
			return err
		}
	}
	if err := seedResponses(ctx, tx, refs, responses2021); err != nil {
		return err
	}

	// 2021: the outcomes of the 2021 plans, one report late and one
	// returned once.
	prev := cycles[2020]
	for i, c := range reports2021 {
		n := i + 1
		c.legalRep = reps[i][0].name
		c.answers = answers2021(n, c)
		tl := closedTimeline(cycles[2021], i)
		spec := reportSpec{cycle: cycles[2021], prev: &prev, n: n, status: portal.ReportAccepted, content: c}
		switch n {
		case late2021:
			tl.saved = dayAt(cycles[2021].deadline, 4, 16, 0)
			tl.cover = dayAt(cycles[2021].deadline, 4, 16, 30)
			tl.submitted = dayAt(cycles[2021].deadline, 5, 10, 5)
			tl.decided = dayAt(cycles[2021].deadline, 7, 14, 0)
		case returned2021:
			tl.returned = dayAt(cycles[2021].deadline, -3, 11, 0)
			tl.resubmitted = dayAt(cycles[2021].deadline, -1, 15, 30)
			tl.decided = dayAt(cycles[2021].deadline, 2, 10, 0)
			spec.returnComment = returnComment2021
			spec.sectionComments = map[string]string{
				portal.SectionActivities: "“青年女教师导师结对”一项请填写合作高校。",
			}
		}
		spec.timeline = tl
		if err := seedReport(ctx, tx, refs, spec); err != nil {
			return err
		}
	}
	if err := seedResponses(ctx, tx, refs, responses2022); err != nil {
		return err
	}

	open, last := cycles[2026], cycles[2021]
	for i, r := range reports2026 {
		// Started days after the cycle opened, all before the demo's
		// "today" of late November 2026.
		tl := reportTimes{created: dayAt(open.opensOn, 1+i, 10, 0)}
		switch r.status {
		case portal.ReportDraft:
			tl.saved = dayAt(open.opensOn, 20, 16, 40)
		case portal.ReportSubmitted:
			tl.saved = dayAt(open.opensOn, 15, 14, 20)
			tl.cover = dayAt(open.opensOn, 15, 15, 0)
			tl.submitted = dayAt(open.opensOn, 16, 10, 20)
		case portal.ReportReturned:
			tl.saved = dayAt(open.opensOn, 10, 17, 30)
			tl.cover = dayAt(open.opensOn, 10, 17, 45)
			tl.submitted = dayAt(open.opensOn, 11, 9, 45)
			tl.decided = dayAt(open.opensOn, 15, 11, 30)
		}
		if err := seedReport(ctx, tx, refs, reportSpec{
			cycle: open, prev: &last, n: r.ngo, status: r.status, content: r.content, timeline: tl,
			returnComment: r.returnComment, sectionComments: r.sectionComments,
		}); err != nil {
			return err
		}
	}
	return nil
}

// closedTimeline is when the i-th NGO's (0-based) accepted report of a
// closed cycle reached each step: started in the weeks after the cycle
// opened, submitted in the last days before the deadline, accepted a few
// days later.
func closedTimeline(c cycleRef, i int) reportTimes {
	return reportTimes{
		created:   dayAt(c.opensOn, 3+i%10, 9+i%4, 30),
		saved:     dayAt(c.deadline, -1-i%5, 16, 10+i),
		cover:     dayAt(c.deadline, -1-i%5, 17, 5+i),
		submitted: dayAt(c.deadline, -(i % 5), 10, 2*i),
		decided:   dayAt(c.deadline, 3+i%3, 15, 3*i),
	}
}

// answers2021 composes NGO n's answers, in its 2021 report c, to the 2021
// session's requests from what it answered after the session: the items
// linked to each request (of its 2020 report, then of its addendum) with
// the outcome c gives them, or its reason for planning nothing.
func answers2021(n int, c reportContent) map[int]string {
	items := append([]planRow(nil), reports2020[n-1].plan...)
	for _, a := range responses2021.addenda {
		if a.n == n {
			items = append(items, a.items...)
		}
	}
	out := map[int]string{}
	for q := range requests2021 {
		number := q + 1
		if reason, ok := responses2021.nothing[[2]int{n, number}]; ok {
			out[number] = "本会在答复中说明2021年没有安排相关计划：" + reason
			continue
		}
		var b strings.Builder
		for i, p := range items {
			if !slices.Contains(p.requests, number) {
				continue
			}
			fmt.Fprintf(&b, "“%s”：", p.title)
			if i < len(c.progress) {
				b.WriteString(c.progress[i].note)
			}
		}
		out[number] = "本会以以下计划回应这项要求。" + b.String()
	}
	return out
}

// cycleRef is a demo cycle and the session tied to it (0: none).
type cycleRef struct {
	id, sessionID     int64
	reviewYear        int
	opensOn, deadline time.Time
}

func readCycle(ctx context.Context, tx postgres.Tx, reviewYear int) (cycleRef, error) {
	c := cycleRef{reviewYear: reviewYear}
	err := tx.QueryRow(ctx, `
		SELECT c.id, coalesce((SELECT s.id FROM sessions s WHERE s.cycle_id = c.id), 0), c.opens_on, c.deadline
		FROM reporting_cycles c WHERE c.review_year = $1`, reviewYear).Scan(&c.id, &c.sessionID, &c.opensOn, &c.deadline)
	if err != nil {
		return c, fmt.Errorf("seed reports: cycle %d: %w", reviewYear, err)
	}
	return c, nil
}

// readRefs reads the ids of the demo NGOs, accounts, themes and key
// projects by their natural keys.
func readRefs(ctx context.Context, tx postgres.Tx) (seedRefs, error) {
	refs := seedRefs{}
	emails := []string{AdminEmail}
	for i := range ngos {
		emails = append(emails, StaffEmail(i+1))
	}
	for _, q := range []struct {
		into *map[string]int64
		sql  string
		args []any
	}{
		{&refs.ngos, `SELECT slug, id FROM ngos`, nil},
		{&refs.users, `SELECT email::text, id FROM users WHERE email = ANY($1)`, []any{emails}},
		{&refs.themes, `SELECT name_zh, id FROM themes`, nil},
		{&refs.projects, `SELECT name_zh, id FROM key_projects`, nil},
	} {
		rows, err := tx.Query(ctx, q.sql, q.args...)
		if err != nil {
			return refs, fmt.Errorf("seed reports: %w", err)
		}
		m := map[string]int64{}
		var key string
		var id int64
		if _, err := pgx.ForEachRow(rows, []any{&key, &id}, func() error { m[key] = id; return nil }); err != nil {
			return refs, fmt.Errorf("seed reports: %w", err)
		}
		*q.into = m
	}
	return refs, nil
}

// reportSpec is one report to seed: the n-th demo NGO's (1-based) in
// cycle, carrying over from prev (nil: nothing to carry over).
type reportSpec struct {
	cycle           cycleRef
	prev            *cycleRef
	n               int
	status          portal.ReportStatus
	content         reportContent
	timeline        reportTimes
	returnComment   string
	sectionComments map[string]string
}

// seedReport writes one report with its rows, cover page and history,
// unless the NGO already has a report in the cycle.
func seedReport(ctx context.Context, tx postgres.Tx, refs seedRefs, s reportSpec) error {
	ngo := ngos[s.n-1]
	ngoID, staffID, adminID := refs.ngos[ngo.slug], refs.users[StaffEmail(s.n)], refs.users[AdminEmail]
	if ngoID == 0 || staffID == 0 || adminID == 0 {
		return fmt.Errorf("seed report of %s: NGO, staff or admin missing", ngo.slug)
	}
	fail := func(err error) error {
		return fmt.Errorf("seed %d report of %s: %w", s.cycle.reviewYear, ngo.slug, err)
	}
	tl, c := s.timeline, s.content
	submitted := s.status != portal.ReportDraft
	// As the repository leaves them: one version per save and per step;
	// a return clears the declaration.
	var (
		version     int
		declared    bool
		submittedAt *time.Time
		acceptedAt  *time.Time
		updated     time.Time
	)
	switch s.status {
	case portal.ReportDraft: // created, saved twice
		version, updated = 3, tl.saved
	case portal.ReportSubmitted: // created, saved, submitted
		version, declared, submittedAt, updated = 3, true, &tl.submitted, tl.submitted
	case portal.ReportReturned: // created, saved, submitted, returned
		version, submittedAt, updated = 4, &tl.submitted, tl.decided
	case portal.ReportAccepted: // created, saved, submitted, accepted
		version, declared, submittedAt, acceptedAt, updated = 4, true, &tl.submitted, &tl.decided, tl.decided
		if !tl.returned.IsZero() { // … returned, saved, submitted again, accepted
			version, submittedAt = 7, &tl.resubmitted
		}
	default:
		return fail(fmt.Errorf("status %s", s.status))
	}
	var declaredBy any
	if declared {
		declaredBy = staffID
	}

	var id int64
	err := tx.QueryRow(ctx, `
		INSERT INTO reports (cycle_id, ngo_id, status, narrative, highlight, legal_representative,
		                     declaration, declared_by, submitted_at, accepted_at, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
		ON CONFLICT (cycle_id, ngo_id) DO NOTHING
		RETURNING id`,
		s.cycle.id, ngoID, string(s.status), c.narrative, c.highlight, c.legalRep, declared, declaredBy,
		submittedAt, acceptedAt, version, tl.created, updated).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil // the NGO has a report in this cycle: it stays as it is
	}
	if err != nil {
		return fail(err)
	}

	// What StartReport lists for staff to answer: the plan items of the
	// previous accepted report, the requests of the previous session.
	if s.prev != nil {
		if err := tx.CarryOver(ctx, id, ngoID, s.prev.id, s.prev.sessionID); err != nil {
			return fail(err)
		}
		if err := carryOverAddendum(ctx, tx, id, ngoID, s.prev.sessionID); err != nil {
			return fail(err)
		}
	}

	r, err := tx.Report(ctx, id)
	if err != nil {
		return fail(err)
	}
	allowed, err := requestsByNumber(ctx, tx, s.cycle.sessionID, ngoID)
	if err != nil {
		return fail(err)
	}
	if err := fillReport(&r, c, refs, allowed); err != nil {
		return fail(err)
	}
	if errs := r.Validate(); len(errs) > 0 {
		return fail(fmt.Errorf("invalid demo content: %v", errs))
	}
	if notes := r.Incomplete(s.cycle.reviewYear); len(notes) > 0 {
		return fail(fmt.Errorf("incomplete demo rows: %v", notes))
	}
	if err := tx.ReplaceReportRows(ctx, r); err != nil {
		return fail(err)
	}

	if !tl.cover.IsZero() {
		name := portal.SafeFilename(fmt.Sprintf("%s%d年度工作报告封面.pdf", ngo.short, s.cycle.reviewYear))
		data := coverPDF(s.cycle.reviewYear, ngo.nameEN)
		contentType, err := portal.SniffAttachment(name, data)
		if err != nil {
			return fail(err)
		}
		sum := sha256.Sum256(data)
		if _, err := tx.Exec(ctx, `
			INSERT INTO report_attachments (report_id, kind, filename, content_type, size_bytes, sha256, data,
			                                uploaded_by, uploaded_at)
			VALUES ($1, 'cover', $2, $3, $4, $5, $6, $7, $8)`,
			id, name, contentType, len(data), sum[:], data, staffID, tl.cover); err != nil {
			return fail(err)
		}
	}

	// The history, with the snapshot SubmitReport takes: the content as
	// the repository reads it back.
	saved, err := tx.Report(ctx, id)
	if err != nil {
		return fail(err)
	}
	if submitted {
		asSubmitted := saved
		asSubmitted.Declaration = true
		if missing := asSubmitted.Missing(!tl.cover.IsZero()); len(missing) > 0 {
			return fail(fmt.Errorf("submitted demo report incomplete: %v", missing))
		}
	}
	events := []portal.ReportEvent{{At: tl.created, ActorID: staffID, Action: portal.EventCreated}}
	if submitted {
		content := saved.ReportContent
		events = append(events, portal.ReportEvent{At: tl.submitted, ActorID: staffID, Action: portal.EventSubmitted,
			Snapshot: &content})
	}
	if s.status == portal.ReportAccepted && !tl.returned.IsZero() {
		// The first submission lacked what the reviewer asked for: the
		// first activity's partners.
		first := saved.ReportContent
		first.Activities = slices.Clone(first.Activities)
		first.Activities[0].Partners = ""
		events[1].Snapshot = &first
		comment, sections, err := portal.ValidateReturn(s.returnComment, s.sectionComments)
		if err != nil {
			return fail(err)
		}
		content := saved.ReportContent
		events = append(events,
			portal.ReportEvent{At: tl.returned, ActorID: adminID, Action: portal.EventReturned,
				Comment: comment, SectionComments: sections},
			portal.ReportEvent{At: tl.resubmitted, ActorID: staffID, Action: portal.EventSubmitted,
				Snapshot: &content})
	}
	switch s.status {
	case portal.ReportAccepted:
		events = append(events, portal.ReportEvent{At: tl.decided, ActorID: adminID, Action: portal.EventAccepted})
	case portal.ReportReturned:
		comment, sections, err := portal.ValidateReturn(s.returnComment, s.sectionComments)
		if err != nil {
			return fail(err)
		}
		events = append(events, portal.ReportEvent{At: tl.decided, ActorID: adminID, Action: portal.EventReturned,
			Comment: comment, SectionComments: sections})
	}
	for _, e := range events {
		e.ReportID = id
		if err := tx.AddReportEvent(ctx, e); err != nil {
			return fail(err)
		}
	}
	return nil
}

// carryOverAddendum lists on new report reportID, after the rows CarryOver
// listed, the items of NGO ngoID's plan addendum to session sessionID
// (0: none), whose outcomes the report gives as it does for the previous
// report's items. An item already listed is not listed again.
func carryOverAddendum(ctx context.Context, tx postgres.Tx, reportID, ngoID, sessionID int64) error {
	if sessionID == 0 {
		return nil
	}
	if _, err := tx.Exec(ctx, `
		INSERT INTO report_progress (report_id, position, previous_plan_item_id, title)
		SELECT $1, (SELECT coalesce(max(position), 0) FROM report_progress WHERE report_id = $1)
		           + row_number() OVER (ORDER BY p.position), p.id, p.title
		FROM report_plan_items p JOIN plan_addenda a ON a.id = p.addendum_id
		WHERE a.session_id = $2 AND a.ngo_id = $3
		  AND NOT EXISTS (SELECT 1 FROM report_progress g WHERE g.report_id = $1 AND g.previous_plan_item_id = p.id)`,
		reportID, sessionID, ngoID); err != nil {
		return fmt.Errorf("carry over the addendum's items to report %d: %w", reportID, err)
	}
	return nil
}

// requestsByNumber returns the ids of the requests of session sessionID
// (0: none) addressed to NGO ngoID, by number.
func requestsByNumber(ctx context.Context, tx postgres.Tx, sessionID, ngoID int64) (map[int]int64, error) {
	out := map[int]int64{}
	if sessionID == 0 {
		return out, nil
	}
	reqs, err := tx.RequestsForNGO(ctx, sessionID, ngoID)
	if err != nil {
		return nil, err
	}
	for _, q := range reqs {
		out[q.Number] = q.ID
	}
	return out, nil
}

// fillReport puts the demo content c into report r, whose progress rows and
// answers are already listed, resolving names to ids; allowed are the
// requests plan items may answer, by number.
func fillReport(r *portal.Report, c reportContent, refs seedRefs, allowed map[int]int64) error {
	ids := func(kind string, m map[string]int64, names []string) ([]int64, error) {
		var out []int64
		for _, name := range names {
			id, ok := m[name]
			if !ok {
				return nil, fmt.Errorf("%s %q missing", kind, name)
			}
			out = append(out, id)
		}
		return out, nil
	}
	day := func(s string) (time.Time, error) { return time.Parse(time.DateOnly, s) }

	r.Activities = nil
	for _, a := range c.activities {
		from, err := day(a.from)
		if err != nil {
			return err
		}
		to, err := day(a.to)
		if err != nil {
			return err
		}
		themes, err := ids("theme", refs.themes, a.themes)
		if err != nil {
			return err
		}
		r.Activities = append(r.Activities, portal.Activity{Title: a.title, Kind: a.kind, Mode: a.mode,
			StartsOn: from, EndsOn: to, PeopleReached: a.people, WomenReached: a.women, Partners: a.partners,
			ThemeIDs: themes})
	}
	r.Media = nil
	for _, m := range c.media {
		r.Media = append(r.Media, portal.MediaWork{Channel: m.channel, Items: m.items, Reads: m.reads})
	}
	r.PlanItems = nil
	for _, p := range c.plan {
		themes, err := ids("theme", refs.themes, p.themes)
		if err != nil {
			return err
		}
		item := portal.PlanItem{Title: p.title, Description: p.desc, Quarter: p.quarter, ThemeIDs: themes}
		if p.project != "" {
			if item.KeyProjectID = refs.projects[p.project]; item.KeyProjectID == 0 {
				return fmt.Errorf("key project %q missing", p.project)
			}
		}
		for _, number := range p.requests {
			id, ok := allowed[number]
			if !ok {
				return fmt.Errorf("plan item %q answers request %d, not addressed to the NGO", p.title, number)
			}
			item.RequestIDs = append(item.RequestIDs, id)
		}
		r.PlanItems = append(r.PlanItems, item)
	}
	// Progress rows in order; when the carried-over rows outnumber the
	// demo's answers, the last ones stay unanswered (the draft's case).
	if len(c.progress) > len(r.Progress) {
		return fmt.Errorf("%d progress answers for %d carried-over plan items", len(c.progress), len(r.Progress))
	}
	for i := range r.Progress {
		if i < len(c.progress) {
			r.Progress[i].Status, r.Progress[i].Note = c.progress[i].status, c.progress[i].note
		}
	}
	for i := range r.Answers {
		r.Answers[i].Answer = c.answers[r.Answers[i].Number]
	}
	return nil
}

// coverPDF is a one-page PDF standing in for a signed and sealed cover
// page: a frame, the report's title and NGO in Helvetica (ASCII only, so no
// font needs embedding) and a red ring where the seal goes. Deterministic:
// the same arguments give the same bytes.
func coverPDF(reviewYear int, ngoNameEN string) []byte {
	esc := strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`)
	var content bytes.Buffer
	content.WriteString("0.6 w 48 48 499 746 re S\n")
	line := func(size, y int, text string) {
		fmt.Fprintf(&content, "BT /F1 %d Tf 80 %d Td (%s) Tj ET\n", size, y, esc.Replace(text))
	}
	line(22, 700, fmt.Sprintf("Annual Work Report %d", reviewYear))
	line(13, 672, fmt.Sprintf("Work of %d, plans for %d", reviewYear, reviewYear+1))
	line(13, 600, ngoNameEN)
	line(11, 572, "Submitted to the Shanghai Women's Federation")
	line(11, 220, "Legal representative (signature):")
	line(11, 196, "Seal of the organisation:")
	// A ring of radius 48 around (420, 200), four Bezier quarters.
	const cx, cy, r, k = 420.0, 200.0, 48.0, 48.0 * 0.5523
	fmt.Fprintf(&content, "0.8 0 0 RG 2.5 w %.1f %.1f m\n", cx+r, cy)
	fmt.Fprintf(&content, "%.1f %.1f %.1f %.1f %.1f %.1f c\n", cx+r, cy+k, cx+k, cy+r, cx, cy+r)
	fmt.Fprintf(&content, "%.1f %.1f %.1f %.1f %.1f %.1f c\n", cx-k, cy+r, cx-r, cy+k, cx-r, cy)
	fmt.Fprintf(&content, "%.1f %.1f %.1f %.1f %.1f %.1f c\n", cx-r, cy-k, cx-k, cy-r, cx, cy-r)
	fmt.Fprintf(&content, "%.1f %.1f %.1f %.1f %.1f %.1f c S\n", cx+k, cy-r, cx+r, cy-k, cx+r, cy)

	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", content.Len(), content.String()),
	}
	var pdf bytes.Buffer
	pdf.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = pdf.Len()
		fmt.Fprintf(&pdf, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := pdf.Len()
	fmt.Fprintf(&pdf, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&pdf, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&pdf, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return pdf.Bytes()
}
