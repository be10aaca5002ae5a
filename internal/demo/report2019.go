package demo

import "ngoportal/internal/portal"

// The 2019 cycle (work of 2019, plans for 2020), tied to the session of
// January 2020. Invented for the demo, so that the 2020 figures have a year
// before them: a year without the epidemic, its activities mostly offline.
// The NGOs invited to that session (the first 16) have accepted reports,
// women-mental-health's submitted after the deadline; the two NGOs founded
// last have none. Their plan items answer the January 2020 session's
// requests (requests2020).

// The chair's requests at the January 2020 session, by number.
const (
	req2020Community = 1 // services close to home, to all
	req2020Delta     = 2 // the Yangtze River Delta, to a few
)

// late2019 is the demo NGO (1-based) whose 2019 report came in after the
// deadline.
const late2019 = 12

// reports2019 are the accepted 2019 reports, one per NGO 1…16 in seed
// order.
var reports2019 = []reportContent{
	{ // women-entrepreneurship
		narrative: "2019年，本会开办“女性创业大讲堂”线下课程，组织创业导师与初创期女性创业者结对，并首次走进社区开设创业咨询点。本会还组团赴苏州、杭州考察女性创业园区。",
		highlight: "“女性创业大讲堂”全年开课24期，服务女性创业者2600余人次。",
		activities: []activityRow{
			{"“女性创业大讲堂”线下课程", portal.KindLecture, portal.ModeOffline, "2019-03-15", "2019-12-13", 2600, 2380, "上海财经大学创业学院", tags(thCareer, thEvents)},
			{"苏杭女性创业园区考察", portal.KindThemedActivity, portal.ModeOffline, "2019-10-24", "2019-10-26", 45, 42, "", tags(thYRD, thCareer)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 60, 72000}},
		plan: []planRow{
			{"社区女性创业咨询点", "在10个社区设立女性创业咨询点，每月由创业导师坐诊。", 2, kpMentor, tags(thCareer), []int{req2020Community}},
			{"长三角女性创业交流营", "联合苏浙皖女性创业组织举办创业交流营。", 3, kpYRD, tags(thYRD), []int{req2020Delta}},
		},
	},
	{ // women-in-science
		narrative: "2019年，本会举办青年女科技工作者学术沙龙和“科学家妈妈讲科学”进校园活动，组织会员参加全国女科技工作者交流会。",
		highlight: "“科学家妈妈讲科学”走进42所中小学，服务学生和家长5000余人次。",
		activities: []activityRow{
			{"青年女科技工作者学术沙龙", portal.KindLecture, portal.ModeOffline, "2019-04-12", "2019-11-22", 380, 350, "中国科学院上海分院", tags(thCareer)},
			{"“科学家妈妈讲科学”进校园", portal.KindThemedActivity, portal.ModeOffline, "2019-03-01", "2019-12-20", 5200, 2900, "上海科技馆", tags(thEvents)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 48, 51000}},
		plan: []planRow{
			{"社区科普课堂", "会员专家每月走进社区，为妇女和儿童开设科普课堂。", 0, "", tags(thEvents), []int{req2020Community}},
			{"青年女科技工作者职业发展讲座", "举办四场职业发展讲座。", 2, kpMentor, tags(thCareer), nil},
		},
	},
	{ // women-physicians
		narrative: "2019年，本会开展“健康进社区”义诊和妇女健康讲座，组织青年女医师参加学术交流，并在新媒体开设健康科普专栏。",
		highlight: "“健康进社区”义诊和讲座全年服务妇女7000余人次。",
		activities: []activityRow{
			{"“健康进社区”公益义诊", portal.KindService, portal.ModeOffline, "2019-03-09", "2019-11-23", 4600, 4200, "各区妇联", tags(thEvents)},
			{"妇女健康讲座", portal.KindLecture, portal.ModeOffline, "2019-05-10", "2019-12-06", 2500, 2300, "", tags(thEvents)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 52, 68000}},
		plan: []planRow{
			{"社区妇女两癌筛查咨询", "在郊区社区开展两癌筛查咨询和健康宣教。", 2, "", tags(thEvents), []int{req2020Community}},
			{"青年女医师学术交流会", "举办两场跨医院的青年女医师学术交流会。", 3, kpMentor, tags(thCareer), nil},
		},
	},
	{ // women-lawyers
		narrative: "2019年，本会会员律师在各区妇女维权站值班，为妇女提供公益法律咨询；本会还开展婚姻家庭法律讲座，参与《民法典》草案婚姻家庭编的意见征集。",
		highlight: "会员律师在妇女维权站值班200余次，提供公益法律咨询900余人次。",
		activities: []activityRow{
			{"妇女维权站公益法律咨询", portal.KindService, portal.ModeOffline, "2019-01-07", "2019-12-27", 920, 810, "各区妇联", tags(thEvents)},
			{"婚姻家庭法律讲座", portal.KindLecture, portal.ModeOffline, "2019-06-14", "2019-11-29", 1300, 1100, "", tags(thEvents)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 36, 33000}},
		plan: []planRow{
			{"社区妇女法律服务日", "每月在一个社区举办法律服务日。", 0, "", tags(thEvents), []int{req2020Community}},
			{"青年女律师执业交流", "为青年女律师举办执业经验交流会。", 3, kpMentor, tags(thCareer), nil},
		},
	},
	{ // women-professors
		narrative: "2019年，本会举办“女教授学术沙龙”，组织资深女教授指导青年女教师，并走进社区开设家庭科学素养讲座。",
		highlight: "“女教授学术沙龙”全年举办12期，青年女教师导师结对60组。",
		activities: []activityRow{
			{"“女教授学术沙龙”", portal.KindLecture, portal.ModeOffline, "2019-03-22", "2019-12-20", 520, 470, "复旦大学、华东师范大学", tags(thCareer)},
			{"青年女教师导师结对", portal.KindTraining, portal.ModeOffline, "2019-09-10", "2019-12-31", 120, 120, "", tags(thCareer)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 30, 29000}},
		plan: []planRow{
			{"女教授社区讲堂", "组织女教授走进社区，为家长开设科学素养讲座。", 2, "", tags(thEvents), []int{req2020Community}},
			{"青年女教师导师结对（第二期）", "扩大导师结对规模。", 3, kpMentor, tags(thCareer), nil},
		},
	},
	{ // family-education
		narrative: "2019年，本会在社区开展家庭教育讲座和家长沙龙，开展“好家风”故事征集，并为家庭教育指导师开展培训。",
		highlight: "社区家庭教育讲座全年120场，服务家长9000余人次。",
		activities: []activityRow{
			{"社区家庭教育讲座", portal.KindLecture, portal.ModeOffline, "2019-02-25", "2019-12-16", 9100, 7200, "各区妇联", tags(thEvents)},
			{"家庭教育指导师培训", portal.KindTraining, portal.ModeOffline, "2019-07-08", "2019-07-12", 160, 150, "", tags(thCareer)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 70, 96000}},
		plan: []planRow{
			{"社区家长学校", "在30个社区开办家长学校。", 0, kpFamily, tags(thEvents), []int{req2020Community}},
			{"“好家风”故事汇编", "汇编年度“好家风”故事。", 4, "", tags(thMedia), nil},
		},
	},
	{ // women-volunteers
		narrative: "2019年，本会组织巾帼志愿者参与进博会城市志愿服务、社区关爱老人和垃圾分类宣传，全年新注册志愿者1200余人。",
		highlight: "巾帼志愿者参与进博会城市志愿服务和垃圾分类宣传，全年服务时长逾5万小时。",
		activities: []activityRow{
			{"垃圾分类巾帼志愿宣传", portal.KindCampaign, portal.ModeOffline, "2019-06-01", "2019-12-31", 12000, 8400, "各街道社区", tags(thEvents)},
			{"进博会城市志愿服务", portal.KindService, portal.ModeOffline, "2019-11-04", "2019-11-11", 600, 560, "", tags(thEvents)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 58, 61000}},
		plan: []planRow{
			{"社区关爱老人志愿服务", "组织志愿者结对社区独居老人，定期探访。", 0, "", tags(thEvents), []int{req2020Community}},
			{"志愿者骨干培训", "开展两期志愿者骨干培训。", 2, "", tags(thCareer), nil},
		},
	},
	{ // women-journalists
		narrative: "2019年，本会推出“她的力量”人物报道专栏，举办媒介素养进社区讲座，并为女性社会组织开设宣传写作培训。",
		highlight: "“她的力量”专栏全年发布人物报道80余篇。",
		activities: []activityRow{
			{"媒介素养进社区讲座", portal.KindLecture, portal.ModeOffline, "2019-04-18", "2019-11-28", 720, 560, "", tags(thEvents, thMedia)},
			{"女性社会组织宣传写作培训", portal.KindTraining, portal.ModeOffline, "2019-09-05", "2019-09-06", 130, 122, "", tags(thMedia)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 90, 1200000}, {portal.ChannelWeibo, 120, 800000}},
		plan: []planRow{
			{"社区女性故事采写", "组织女记者走进社区，采写普通女性的故事。", 2, kpStories, tags(thMedia), []int{req2020Community}},
			{"青年女记者业务交流会", "举办青年女记者业务交流会。", 3, kpMentor, tags(thCareer), nil},
		},
	},
	{ // women-architects
		narrative: "2019年，本会组织女建筑师参与社区微更新公益设计，举办专业讲座和作品展。",
		highlight: "完成4个社区微更新公益设计。",
		activities: []activityRow{
			{"社区微更新公益设计", portal.KindService, portal.ModeOffline, "2019-04-01", "2019-11-30", 900, 520, "徐汇区部分街道", tags(thEvents)},
			{"女建筑师作品展", portal.KindThemedActivity, portal.ModeOffline, "2019-10-12", "2019-10-20", 2100, 1300, "同济大学建筑与城市规划学院", tags(thCareer)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 24, 22000}},
		plan: []planRow{
			{"社区公共空间改造", "为3个老旧小区设计公共空间改造方案。", 0, "", tags(thEvents), []int{req2020Community}},
			{"女建筑师专业讲座", "举办四场专业讲座。", 3, kpMentor, tags(thCareer), nil},
		},
	},
	{ // women-children-foundation
		narrative: "2019年，本会资助困境女性就业和儿童关爱项目，在“99公益日”开展募捐，并定期公开项目进展。",
		highlight: "全年募集善款680万元，资助公益项目32个。",
		activities: []activityRow{
			{"“99公益日”募捐", portal.KindCampaign, portal.ModeOnline, "2019-09-07", "2019-09-09", 18000, 10800, "", tags(thMedia)},
			{"困境儿童关爱项目", portal.KindService, portal.ModeOffline, "2019-03-01", "2019-12-31", 1200, 560, "", tags(thEvents)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 44, 52000}},
		plan: []planRow{
			{"社区妇女儿童公益微项目", "资助20个社区妇女儿童公益微项目。", 0, kpFamily, tags(thEvents), []int{req2020Community}},
			{"困境女性技能培训资助", "资助困境女性参加职业技能培训。", 2, kpMentor, tags(thCareer), nil},
		},
	},
	{ // women-org-service-centre
		narrative: "2019年，本中心孵化新成立的女性社会组织，开展项目设计和财务管理培训，并举办公益项目展示会。",
		highlight: "全年孵化女性社会组织11家，培训骨干500余人次。",
		activities: []activityRow{
			{"女性社会组织能力建设培训", portal.KindTraining, portal.ModeOffline, "2019-03-20", "2019-11-20", 520, 480, "", tags(thCareer)},
			{"公益项目展示会", portal.KindThemedActivity, portal.ModeOffline, "2019-12-06", "2019-12-06", 260, 220, "", tags(thEvents)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 30, 18000}},
		plan: []planRow{
			{"社区女性社会组织培育", "在10个街道培育社区女性社会组织。", 0, "", tags(thEvents), []int{req2020Community}},
			{"女性社会组织负责人培训", "举办负责人培训班。", 2, kpMentor, tags(thCareer), nil},
		},
	},
	{ // women-mental-health (submitted after the deadline)
		narrative: "2019年，本会开展心理健康讲座和女性互助小组，为社区妇女提供心理咨询，并培训社区心理服务志愿者。",
		highlight: "社区心理咨询和互助小组全年服务妇女1800余人次。",
		activities: []activityRow{
			{"社区女性心理咨询", portal.KindService, portal.ModeOffline, "2019-02-18", "2019-12-20", 1800, 1620, "", tags(thEvents)},
			{"心理服务志愿者培训", portal.KindTraining, portal.ModeOffline, "2019-08-12", "2019-08-16", 90, 84, "", tags(thCareer)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 40, 45000}},
		plan: []planRow{
			{"社区心理服务站", "在5个社区设立心理服务站。", 2, "", tags(thEvents), []int{req2020Community}},
			{"职场女性减压讲座", "在商务楼宇开设减压讲座。", 3, kpMentor, tags(thCareer), nil},
		},
	},
	{ // women-in-finance
		narrative: "2019年，本会举办金融知识普及讲座和金融女性职业发展论坛，组织会员与苏浙女金融家交流。",
		highlight: "金融知识普及讲座走进社区40余场。",
		activities: []activityRow{
			{"金融知识普及进社区", portal.KindLecture, portal.ModeOffline, "2019-04-10", "2019-12-11", 3200, 2700, "上海市银行同业公会", tags(thEvents)},
			{"金融女性职业发展论坛", portal.KindLecture, portal.ModeOffline, "2019-10-25", "2019-10-25", 240, 220, "", tags(thCareer)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 28, 30000}},
		plan: []planRow{
			{"社区老年妇女防诈骗讲座", "为社区老年妇女开设防范金融诈骗讲座。", 2, "", tags(thEvents), []int{req2020Community}},
			{"长三角女金融家交流会", "与苏浙皖女金融家组织举办交流会。", 4, kpYRD, tags(thYRD), []int{req2020Delta}},
		},
	},
	{ // women-artists
		narrative: "2019年，本会举办女艺术家作品展和公益演出，走进社区开设艺术课堂。",
		highlight: "公益演出和展览全年观众逾2万人次。",
		activities: []activityRow{
			{"女艺术家作品展", portal.KindThemedActivity, portal.ModeOffline, "2019-09-20", "2019-10-10", 9800, 6200, "上海市群众艺术馆", tags(thEvents)},
			{"社区公益演出", portal.KindThemedActivity, portal.ModeOffline, "2019-05-18", "2019-12-21", 11000, 7000, "", tags(thEvents)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 32, 40000}},
		plan: []planRow{
			{"社区公益艺术课堂", "在社区开设面向妇女和儿童的艺术课堂。", 0, "", tags(thEvents), []int{req2020Community}},
			{"女艺术家作品年展", "举办年度作品展。", 3, "", tags(thEvents), nil},
		},
	},
	{ // returned-women-scholars
		narrative: "2019年，本会举办海归女性职业发展沙龙，组织会员参与国际交流接待，并与苏浙海归组织建立联系。",
		highlight: "全年接待海外女性代表团6批，举办职业发展沙龙10期。",
		activities: []activityRow{
			{"海归女性职业发展沙龙", portal.KindLecture, portal.ModeOffline, "2019-03-16", "2019-12-14", 520, 460, "", tags(thCareer)},
			{"海外女性代表团接待交流", portal.KindThemedActivity, portal.ModeOffline, "2019-05-08", "2019-11-15", 180, 150, "", tags(thMedia)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 40, 42000}},
		plan: []planRow{
			{"海归女性社区志愿服务", "组织海归女性为社区提供外语和国际教育咨询。", 2, "", tags(thEvents), []int{req2020Community}},
			{"长三角海归女性交流会", "与苏浙皖海归组织联合举办交流会。", 3, kpYRD, tags(thYRD), []int{req2020Delta}},
		},
	},
	{ // women-sports
		narrative: "2019年，本会在社区推广女性健身项目，举办健身操比赛和健步走活动。",
		highlight: "社区健身活动全年参与女性2万余人次。",
		activities: []activityRow{
			{"社区女性健身操比赛", portal.KindThemedActivity, portal.ModeOffline, "2019-05-11", "2019-10-19", 8200, 7600, "市民体育健身中心", tags(thEvents)},
			{"女性健步走活动", portal.KindThemedActivity, portal.ModeOffline, "2019-04-20", "2019-11-16", 12500, 10800, "", tags(thEvents)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 26, 24000}},
		plan: []planRow{
			{"社区健身指导站", "在社区设立女性健身指导站，每周开展健身指导。", 0, "", tags(thEvents), []int{req2020Community}},
			{"职场女性工间操推广", "在商务楼宇推广工间操。", 3, kpMentor, tags(thCareer), nil},
		},
	},
}
