package demo

import "ngoportal/internal/portal"

// The 2021 cycle (work of 2021, plans for 2022), tied to the session of
// January 2022. Invented for the demo, so that the 2021 session's plans
// have their outcomes: every NGO's accepted report gives the outcome of each
// plan item of its 2020 report and of its plan addendum (the items it added
// after the session, response.go), in that order, and answers the 2021
// session's two requests. Activities move back offline after 2020. The plan
// items for 2022 answer the January 2022 session's requests (requests2022),
// except those of the NGOs that have not answered them yet.

// The chair's requests at the January 2022 session, by number.
const (
	req2022Digital = 1 // women in the digital economy
	req2022Care    = 2 // older people and children
)

// The 2021 cycle's exceptions: the report that came in after the
// deadline and the one returned once before it was accepted (1-based).
const (
	late2021     = 18
	returned2021 = 5
)

// reports2021 are the accepted 2021 reports, one per demo NGO in seed
// order. Their progress rows follow the NGO's 2020 plan items and then its
// addendum items; their answers to the 2021 requests are composed from the
// items that answer them (answers2021).
var reports2021 = []reportContent{
	{ // women-entrepreneurship
		narrative: "2021年，本会围绕建党百年推出女性创业者口述史，巾帼创业导师结对扩大到30组；9月与苏浙皖女性创业组织在嘉兴联合举办长三角女性创业项目路演，“女性创业大讲堂”恢复线下开课。",
		highlight: "巾帼创业导师结对30组，长三角女性创业项目路演促成投资意向12项。",
		activities: []activityRow{
			{"“女性创业大讲堂”", portal.KindLecture, portal.ModeHybrid, "2021-03-12", "2021-12-10", 3600, 3250, "上海财经大学创业学院", tags(thCareer, thEvents)},
			{"长三角女性创业项目路演", portal.KindThemedActivity, portal.ModeOffline, "2021-09-23", "2021-09-24", 260, 228, "苏浙皖女性创业组织", tags(thYRD, thCareer)},
			{"建党百年女性创业者口述史", portal.KindCampaign, portal.ModeOnline, "2021-05-01", "2021-07-31", 42000, 26000, "", tags(thCPC, thMedia)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 104, 236000}, {portal.ChannelDouyin, 30, 180000}},
		plan: []planRow{
			{"女性数字创业训练营", "为女性创业者开设电商、直播和数字营销训练营。", 2, kpMentor, tags(thCareer), []int{req2022Digital}},
			{"社区托育创业扶持", "为创办社区托育机构的女性提供创业辅导。", 3, kpFamily, tags(thCareer), []int{req2022Care}},
			{"长三角女性创业项目路演（第二届）", "与苏浙皖女性创业组织轮流主办第二届路演。", 3, kpYRD, tags(thYRD), nil},
		},
		progress: []progressRow{
			{portal.ProgressDone, "30组导师结对全部完成，全年举办导师沙龙12场。"},
			{portal.ProgressDone, "9月在嘉兴举办路演，28个项目参加。"},
			{portal.ProgressDone, "采访十位女性创业者，口述史系列在公众号和抖音发布。"},
		},
	},
	{ // women-in-science
		narrative: "2021年，本会举办四场女科技工作者职业发展论坛，建立线上交流社群；“科学家精神”宣讲走进30所中小学；与苏浙皖女科学家的合作交流因疫情改在线上进行。",
		highlight: "科学家精神宣讲走进30所中小学，女科技工作者线上社群会员达600人。",
		activities: []activityRow{
			{"女科技工作者职业发展论坛", portal.KindLecture, portal.ModeOffline, "2021-04-16", "2021-11-19", 720, 660, "中国科学院上海分院", tags(thCareer)},
			{"科学家精神宣讲进校园", portal.KindThemedActivity, portal.ModeOffline, "2021-03-05", "2021-12-17", 9600, 5100, "", tags(thCPC, thEvents)},
			{"长三角女科学家线上交流会", portal.KindLecture, portal.ModeOnline, "2021-10-15", "2021-10-15", 210, 190, "", tags(thYRD)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 80, 120000}, {portal.ChannelDouyin, 44, 560000}},
		plan: []planRow{
			{"女性数字科技人才培养", "为青年女科技工作者开设人工智能和数据科学短训班。", 2, kpMentor, tags(thCareer), []int{req2022Digital}},
			{"“一老一小”社区科普", "为社区老人和儿童开设科普课堂。", 3, "", tags(thEvents), []int{req2022Care}},
			{"长三角女科学家科研合作对接", "把推迟的科研合作对接会办起来。", 3, kpYRD, tags(thYRD), nil},
		},
		progress: []progressRow{
			{portal.ProgressDone, "四场论坛全部举办，线上社群会员600人。"},
			{portal.ProgressPartly, "受疫情影响只举办了一场线上交流，科研合作对接推迟到2022年。"},
			{portal.ProgressDone, "宣讲走进30所学校，双语短视频发布12部。"},
		},
	},
	{ // women-physicians
		narrative: "2021年，本会为青年女医师举办职业成长工作坊，建党百年之际组织专家赴郊区乡村义诊；会员抗疫故事在两次国际医学会议上分享。",
		highlight: "建党百年义诊走进20个乡村，服务妇女4000余人次。",
		activities: []activityRow{
			{"建党百年健康义诊进乡村", portal.KindService, portal.ModeOffline, "2021-05-08", "2021-10-30", 4300, 3900, "奉贤区、金山区、崇明区妇联", tags(thCPC, thEvents)},
			{"青年女医师职业成长工作坊", portal.KindTraining, portal.ModeOffline, "2021-07-09", "2021-09-17", 180, 176, "", tags(thCareer)},
			{"妇女健康讲堂", portal.KindLecture, portal.ModeHybrid, "2021-03-08", "2021-12-06", 5200, 4700, "", tags(thEvents, thMedia)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 70, 150000}, {portal.ChannelWeibo, 36, 96000}},
		plan: []planRow{
			{"基层女医务人员数字健康培训", "培训基层女医务人员使用互联网诊疗和健康管理平台。", 2, kpMentor, tags(thCareer), []int{req2022Digital}},
			{"老年妇女慢病管理服务", "在社区为老年妇女开展慢病筛查和管理。", 0, "", tags(thEvents), []int{req2022Care}},
			{"女医师健康科普短视频", "每月发布两期健康科普短视频。", 0, "", tags(thMedia), nil},
		},
		progress: []progressRow{
			{portal.ProgressDone, "举办两期工作坊，来自26家医院的青年女医师参加。"},
			{portal.ProgressDone, "义诊走进20个乡村。"},
			{portal.ProgressPartly, "已在两次国际会议上分享，英文文集尚在编辑。"},
		},
	},
	{ // women-lawyers
		narrative: "2021年，本会在8个产业园区设立职业女性法律服务站，编写中英双语妇女权益法律指南；与苏浙皖女律师组织的协作机制已建立，案件协作仍在起步。",
		highlight: "8个职业女性法律服务站全年接待咨询1500余人次。",
		activities: []activityRow{
			{"职业女性法律服务站", portal.KindService, portal.ModeOffline, "2021-03-01", "2021-12-31", 1520, 1380, "各产业园区", tags(thCareer)},
			{"中英双语妇女权益法律指南发布", portal.KindCampaign, portal.ModeHybrid, "2021-09-15", "2021-11-30", 8600, 5200, "", tags(thMedia)},
			{"民法典进社区宣讲", portal.KindLecture, portal.ModeOffline, "2021-04-10", "2021-12-10", 3100, 2600, "各区妇联", tags(thEvents)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 62, 82000}, {portal.ChannelDouyin, 36, 430000}},
		plan: []planRow{
			{"新就业形态女性劳动权益服务", "为外卖、网约车和直播等新业态的女性从业者提供劳动权益法律服务。", 2, kpMentor, tags(thCareer), []int{req2022Digital}},
			{"老年人和儿童法律援助", "在社区为老年人和儿童家庭提供法律援助。", 0, "", tags(thEvents), []int{req2022Care}},
			{"长三角女律师维权协作", "扩大跨省维权案件协作。", 0, kpYRD, tags(thYRD), nil},
		},
		progress: []progressRow{
			{portal.ProgressDone, "在8个产业园区设立服务站。"},
			{portal.ProgressPartly, "协作机制已签约，跨省案件协作只办理了3件。"},
			{portal.ProgressDone, "双语法律指南印发3000册，并在国际交流活动中赠送。"},
		},
	},
	{ // women-professors
		narrative: "2021年，本会组织50位女教授与青年女教师结对，举办百年党史与高校女性成长讲座，并邀请海外女学者参加线上学术论坛。",
		highlight: "女教授与青年女教师结对50组，线上国际学术论坛吸引海内外学者600余人。",
		activities: []activityRow{
			{"青年女教师导师结对", portal.KindTraining, portal.ModeOffline, "2021-02-26", "2021-12-31", 100, 100, "复旦大学、同济大学等12所高校", tags(thCareer)},
			{"百年党史与高校女性成长讲座", portal.KindLecture, portal.ModeOffline, "2021-06-18", "2021-06-18", 300, 260, "", tags(thCPC)},
			{"女学者线上国际学术论坛", portal.KindLecture, portal.ModeOnline, "2021-11-12", "2021-11-13", 620, 480, "", tags(thMedia)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 44, 61000}},
		plan: []planRow{
			{"女大学生数字技能就业指导", "组织女教授为女大学生开设数字技能和就业指导课程。", 2, kpMentor, tags(thCareer), []int{req2022Digital}},
			{"青年女教师科研沙龙", "每月举办一期科研沙龙。", 0, "", tags(thCareer), nil},
			{"女学者国际学术论坛（第二届）", "继续邀请海外女学者参加线上学术论坛。", 4, kpStories, tags(thMedia), nil},
		},
		progress: []progressRow{
			{portal.ProgressDone, "50组结对全部完成。"},
			{portal.ProgressDone, "6月举办讲座。"},
			{portal.ProgressDone, "11月举办线上国际学术论坛。"},
		},
	},
	{ // family-education
		narrative: "2021年，本会在38个社区设立家庭教育指导站，为职业母亲开设支持小组，组织亲子寻访红色足迹；原定的双语家风故事绘本因疫情推迟。",
		highlight: "38个社区家庭教育指导站全年开展讲座和咨询500余场。",
		activities: []activityRow{
			{"社区家庭教育指导站", portal.KindService, portal.ModeOffline, "2021-03-01", "2021-12-31", 14800, 11200, "各区妇联", tags(thEvents)},
			{"职业母亲家庭教育支持小组", portal.KindLecture, portal.ModeHybrid, "2021-04-09", "2021-11-26", 1200, 1120, "", tags(thCareer)},
			{"亲子寻访红色足迹", portal.KindThemedActivity, portal.ModeOffline, "2021-06-05", "2021-07-31", 2400, 1500, "", tags(thCPC)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 96, 240000}},
		plan: []planRow{
			{"居家灵活就业妈妈数字技能课堂", "为居家带娃的妈妈开设线上数字技能和灵活就业课堂。", 2, kpFamily, tags(thCareer), []int{req2022Digital}},
			{"社区“一老一小”隔代教育讲座", "为祖辈家长开设隔代教育讲座。", 3, kpFamily, tags(thEvents), []int{req2022Care}},
			{"“上海家风故事”双语绘本", "完成2021年推迟的双语绘本。", 2, kpStories, tags(thMedia), nil},
		},
		progress: []progressRow{
			{portal.ProgressPartly, "设立38个指导站，其余12个推迟到2022年。"},
			{portal.ProgressDone, "开设6个支持小组，每组活动10次。"},
			{portal.ProgressDone, "亲子寻访红色足迹活动在暑期举办。"},
			{portal.ProgressNotDone, "原定赠书的外国驻沪机构和国际学校活动因疫情暂停，绘本推迟到2022年。"},
		},
	},
	{ // women-volunteers
		narrative: "2021年七月，本会组织全市巾帼志愿者开展百场社区志愿服务；以中英双语短视频讲述巾帼志愿者的故事；组建职场女性志愿者分队。与苏浙皖志愿者组织的跨区域活动因疫情取消。",
		highlight: "建党百年巾帼志愿服务月开展社区志愿服务120场。",
		activities: []activityRow{
			{"建党百年巾帼志愿服务月", portal.KindService, portal.ModeOffline, "2021-07-01", "2021-07-31", 16000, 11500, "各街道社区", tags(thCPC, thEvents)},
			{"巾帼志愿者故事双语短视频", portal.KindCampaign, portal.ModeOnline, "2021-09-01", "2021-12-15", 52000, 31000, "", tags(thMedia)},
			{"职场女性志愿服务交流会", portal.KindThemedActivity, portal.ModeOffline, "2021-04-22", "2021-12-09", 480, 460, "", tags(thCareer)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 82, 110000}, {portal.ChannelDouyin, 48, 420000}},
		plan: []planRow{
			{"巾帼志愿者数字技能帮扶", "组织懂数字技能的志愿者帮助待业女性学习网店运营。", 2, "", tags(thCareer), []int{req2022Digital}},
			{"“一老一小”志愿服务", "组织志愿者为独居老人和双职工家庭儿童提供服务。", 0, "", tags(thEvents), []int{req2022Care}},
			{"长三角巾帼志愿服务交流", "与苏浙皖志愿者组织开展线上线下交流。", 3, kpYRD, tags(thYRD), nil},
		},
		progress: []progressRow{
			{portal.ProgressDone, "七月开展社区志愿服务120场。"},
			{portal.ProgressNotDone, "跨省活动因疫情取消，改为线上经验交流一次。"},
			{portal.ProgressDone, "双语短视频发布20部，海外播放逾5万次。"},
			{portal.ProgressDone, "职场女性志愿者分队成立，举办交流会4次。"},
		},
	},
	{ // women-journalists
		narrative: "2021年，本会推出中英双语“上海女性故事”人物报道，组织女记者寻访上海红色地标，并为青年女记者举办职业交流会。",
		highlight: "双语“上海女性故事”报道60篇，被海外媒体转载15篇。",
		activities: []activityRow{
			{"“上海女性故事”双语人物报道", portal.KindCampaign, portal.ModeOnline, "2021-02-01", "2021-12-31", 260000, 150000, "", tags(thMedia)},
			{"女记者寻访红色地标", portal.KindThemedActivity, portal.ModeOffline, "2021-04-15", "2021-06-30", 120, 110, "", tags(thCPC)},
			{"青年女记者职业交流会", portal.KindLecture, portal.ModeOffline, "2021-10-21", "2021-10-21", 150, 140, "", tags(thCareer)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 170, 4200000}, {portal.ChannelWeibo, 230, 2900000}},
		plan: []planRow{
			{"女性新媒体创业培训", "为有意从事新媒体创业的女性开设写作和短视频培训。", 2, kpMentor, tags(thMedia, thCareer), []int{req2022Digital}},
			{"“一老一小”民生报道", "推出关注社区养老和托育的系列报道。", 3, kpStories, tags(thMedia), []int{req2022Care}},
			{"“上海女性故事”双语报道", "继续推出双语人物报道。", 0, kpStories, tags(thMedia), nil},
		},
		progress: []progressRow{
			{portal.ProgressDone, "全年发布双语报道60篇。"},
			{portal.ProgressDone, "寻访报道12篇。"},
			{portal.ProgressDone, "10月举办交流会。"},
		},
	},
	{ // women-architects
		narrative: "2021年，本会每季度举办女建筑师项目分享会；长三角城市更新论坛改为线上举办；原定在国际建筑论坛上分享社区微更新案例的计划因论坛停办未能实现。",
		highlight: "完成8个老旧小区微更新公益设计。",
		activities: []activityRow{
			{"女建筑师项目分享会", portal.KindLecture, portal.ModeOffline, "2021-03-25", "2021-12-16", 420, 360, "", tags(thCareer)},
			{"老旧小区微更新公益设计", portal.KindService, portal.ModeOffline, "2021-04-01", "2021-11-30", 2100, 1200, "", tags(thEvents)},
			{"长三角城市更新线上论坛", portal.KindLecture, portal.ModeOnline, "2021-11-26", "2021-11-26", 380, 260, "", tags(thYRD)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 36, 48000}},
		plan: []planRow{
			{"适老化和儿童友好社区设计", "为社区设计适老化改造和儿童友好空间。", 0, "", tags(thEvents), []int{req2022Care}},
			{"女建筑师项目分享会", "每季度一次。", 0, kpMentor, tags(thCareer), nil},
			{"社区微更新案例国际分享", "在国际建筑论坛复办后分享案例。", 4, kpStories, tags(thMedia), nil},
		},
		progress: []progressRow{
			{portal.ProgressDone, "全年举办分享会4次。"},
			{portal.ProgressPartly, "论坛改为线上举办，规模小于计划。"},
			{portal.ProgressNotDone, "国际建筑论坛2021年停办，案例分享未能进行。"},
		},
	},
	{ // women-children-foundation
		narrative: "2021年，本会资助200名困境女性参加职业技能培训，资助社区家庭教育指导项目，并举办建党百年“她公益”项目展示。",
		highlight: "资助200名困境女性参加职业技能培训，其中150人实现就业。",
		activities: []activityRow{
			{"女性职业技能提升资助", portal.KindService, portal.ModeOffline, "2021-02-01", "2021-12-31", 200, 200, "", tags(thCareer)},
			{"建党百年“她公益”项目展示", portal.KindThemedActivity, portal.ModeOffline, "2021-06-25", "2021-07-10", 5200, 3600, "", tags(thCPC, thMedia)},
			{"“99公益日”募捐", portal.KindCampaign, portal.ModeOnline, "2021-09-07", "2021-09-09", 24000, 14800, "", tags(thMedia)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 58, 92000}, {portal.ChannelWeibo, 40, 130000}},
		plan: []planRow{
			{"困境女性数字就业资助", "资助困境女性参加数字技能培训。", 2, kpMentor, tags(thCareer), nil},
			{"儿童关爱项目", "资助社区儿童关爱项目。", 0, "", tags(thEvents), nil},
			{"“99公益日”线上募捐", "为妇女儿童项目开展线上募捐。", 3, "", tags(thMedia), nil},
		},
		progress: []progressRow{
			{portal.ProgressDone, "200人全部完成培训，150人就业。"},
			{portal.ProgressDone, "资助12个社区家庭教育项目。"},
			{portal.ProgressDone, "7月举办展示活动，双语展册赠送海外捐赠人。"},
		},
	},
	{ // women-org-service-centre
		narrative: "2021年，本中心每季度举办女性社会组织负责人沙龙，汇编中英双语案例集；与苏浙皖女性社会组织的协作网络已有21家成员，联合项目仍在筹备。",
		highlight: "负责人沙龙全年4期，双语案例集收录案例20个。",
		activities: []activityRow{
			{"女性社会组织负责人沙龙", portal.KindLecture, portal.ModeOffline, "2021-03-19", "2021-12-17", 240, 220, "", tags(thCareer)},
			{"社会组织能力建设培训", portal.KindTraining, portal.ModeHybrid, "2021-04-14", "2021-11-17", 860, 790, "", tags(thEvents)},
			{"公益项目展示交流会", portal.KindThemedActivity, portal.ModeOffline, "2021-12-03", "2021-12-03", 260, 220, "", tags(thEvents)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 50, 46000}},
		plan: []planRow{
			{"女性社会组织数字化能力提升", "培训社会组织使用线上平台开展服务和募捐。", 2, "", tags(thCareer), []int{req2022Digital}},
			{"孵化“一老一小”社区组织", "孵化10家服务老人和儿童的社区女性组织。", 0, "", tags(thEvents), []int{req2022Care}},
			{"长三角女性社会组织联合项目", "启动协作网络的首个联合项目。", 3, kpYRD, tags(thYRD), nil},
		},
		progress: []progressRow{
			{portal.ProgressDone, "举办沙龙4期。"},
			{portal.ProgressPartly, "网络有21家成员，联合项目推迟到2022年。"},
			{portal.ProgressDone, "双语案例集12月发布。"},
		},
	},
	{ // women-mental-health
		narrative: "2021年，本会在商务楼宇开设职场女性心理支持小组，在社区开展亲子沟通讲座，并在线上国际会议上分享疫情期间的心理援助经验。",
		highlight: "职场女性心理支持小组覆盖20栋商务楼宇。",
		activities: []activityRow{
			{"职场女性心理支持小组", portal.KindService, portal.ModeOffline, "2021-03-10", "2021-12-15", 1600, 1500, "", tags(thCareer)},
			{"家庭心理健康进社区", portal.KindLecture, portal.ModeOffline, "2021-05-14", "2021-11-19", 2300, 1900, "", tags(thEvents)},
			{"女性心理援助热线", portal.KindService, portal.ModeOnline, "2021-01-01", "2021-12-31", 900, 760, "", tags(thEvents)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 76, 140000}},
		plan: []planRow{
			{"灵活就业女性心理支持", "为灵活就业和新业态就业的女性提供线上心理支持。", 2, kpMentor, tags(thCareer), []int{req2022Digital}},
			{"老人和儿童心理关爱", "在社区开展老年人和留守儿童心理关爱活动。", 3, "", tags(thEvents), []int{req2022Care}},
			{"职场女性心理支持平台", "把心理支持小组扩展到40栋楼宇。", 0, kpMentor, tags(thCareer), nil},
		},
		progress: []progressRow{
			{portal.ProgressDone, "覆盖20栋楼宇。"},
			{portal.ProgressDone, "社区讲座40场。"},
			{portal.ProgressPartly, "在一次国际会议上作了报告，原定的第二次交流因会议延期未能进行。"},
		},
	},
	{ // women-in-finance
		narrative: "2021年，本会与苏浙皖女金融家组织在上海举办长三角女性金融人才交流会，组织会员走进社区普及金融知识，并在陆家嘴论坛期间组织女金融家与外国同行交流。",
		highlight: "长三角女性金融人才交流会吸引四省市金融女性300余人。",
		activities: []activityRow{
			{"长三角女性金融人才交流会", portal.KindThemedActivity, portal.ModeOffline, "2021-05-21", "2021-05-21", 320, 290, "苏浙皖女金融家组织", tags(thYRD, thCareer)},
			{"建党百年金融知识进社区", portal.KindLecture, portal.ModeOffline, "2021-07-02", "2021-11-26", 4100, 3500, "上海市银行同业公会", tags(thCPC, thEvents)},
			{"女金融家国际交流活动", portal.KindThemedActivity, portal.ModeOffline, "2021-06-10", "2021-06-11", 80, 64, "", tags(thMedia)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 42, 70000}},
		plan: []planRow{
			{"女性数字金融知识课堂", "为女性小微企业主普及数字支付和线上融资知识。", 2, "", tags(thCareer), []int{req2022Digital}},
			{"老年人防范金融诈骗", "为社区老年人开展反诈宣传。", 0, "", tags(thEvents), []int{req2022Care}},
			{"长三角女性金融人才交流会", "与苏浙皖女金融家组织轮流主办交流会。", 2, kpYRD, tags(thYRD), nil},
		},
		progress: []progressRow{
			{portal.ProgressDone, "5月举办交流会。"},
			{portal.ProgressDone, "社区讲座45场。"},
			{portal.ProgressPartly, "组织了一次交流，原定的海外路演因出入境限制取消。"},
		},
	},
	{ // women-artists
		narrative: "2021年，本会举办建党百年女艺术家主题创作展，与海外友好城市合作举办线上作品展，并为青年女艺术家举办职业发展沙龙。",
		highlight: "建党百年主题创作展展出作品120件，观众1.5万人次。",
		activities: []activityRow{
			{"建党百年女艺术家主题创作展", portal.KindThemedActivity, portal.ModeOffline, "2021-06-20", "2021-07-20", 15000, 9200, "上海市群众艺术馆", tags(thCPC)},
			{"上海女性艺术海外线上展", portal.KindThemedActivity, portal.ModeOnline, "2021-10-10", "2021-11-10", 36000, 20000, "", tags(thMedia)},
			{"青年女艺术家职业发展沙龙", portal.KindLecture, portal.ModeOffline, "2021-08-14", "2021-12-11", 220, 210, "", tags(thCareer)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 58, 86000}, {portal.ChannelDouyin, 34, 260000}},
		plan: []planRow{
			{"社区公益艺术课堂", "在社区开设面向妇女和儿童的艺术课堂。", 0, "", tags(thEvents), nil},
			{"女艺术家作品年展", "举办年度作品展。", 3, "", tags(thEvents), nil},
			{"上海女性艺术海外交流展", "继续与友好城市合作举办线上展。", 4, kpStories, tags(thMedia), nil},
		},
		progress: []progressRow{
			{portal.ProgressDone, "7月展出120件作品。"},
			{portal.ProgressDone, "与两个友好城市合作举办线上展。"},
			{portal.ProgressDone, "举办沙龙4期。"},
		},
	},
	{ // returned-women-scholars
		narrative: "2021年，本会建立海归女性人才线上社群，组织长三角海归女性创新创业交流；“走进上海社区”国际交流活动受疫情影响只举办了两场。",
		highlight: "海归女性人才社群会员超过1000人。",
		activities: []activityRow{
			{"“走进上海社区”国际交流活动", portal.KindThemedActivity, portal.ModeOffline, "2021-05-15", "2021-10-16", 90, 72, "外国驻沪机构", tags(thMedia)},
			{"海归女性职业交流活动", portal.KindLecture, portal.ModeHybrid, "2021-03-20", "2021-12-18", 860, 770, "", tags(thCareer)},
			{"长三角海归女性创新创业交流", portal.KindThemedActivity, portal.ModeOffline, "2021-11-05", "2021-11-06", 160, 140, "", tags(thYRD)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 70, 130000}, {portal.ChannelWebsite, 30, 42000}},
		plan: []planRow{
			{"海归女性数字创业交流", "组织海归女性分享数字经济领域的创业经验。", 2, kpMentor, tags(thCareer), []int{req2022Digital}},
			{"社区儿童外语阅读志愿服务", "组织海归女性为社区儿童开设外语绘本阅读。", 3, "", tags(thEvents), []int{req2022Care}},
			{"“走进上海社区”国际交流活动", "恢复每季度一场的国际交流活动。", 2, kpStories, tags(thMedia), nil},
		},
		progress: []progressRow{
			{portal.ProgressPartly, "受疫情影响只举办了两场，计划四场。"},
			{portal.ProgressDone, "线上社群会员超过1000人。"},
			{portal.ProgressDone, "11月举办交流。"},
		},
	},
	{ // women-sports
		narrative: "2021年，本会组织社区女性健身团队举办百人健身操展演，在企业和楼宇推广工间操。",
		highlight: "建党百年女性健身展演参加者逾千人。",
		activities: []activityRow{
			{"建党百年女性健身展演", portal.KindThemedActivity, portal.ModeOffline, "2021-06-26", "2021-06-26", 1200, 1150, "市民体育健身中心", tags(thCPC, thEvents)},
			{"职场女性工间操推广", portal.KindTraining, portal.ModeOffline, "2021-04-08", "2021-11-25", 2600, 2300, "", tags(thCareer)},
			{"居家健身直播课", portal.KindTraining, portal.ModeOnline, "2021-01-04", "2021-03-31", 9000, 8100, "", tags(thEvents)},
		},
		media: []mediaRow{{portal.ChannelDouyin, 96, 520000}},
		plan: []planRow{
			{"社区女性健身团队培育", "培育50支社区女性健身团队。", 0, "", tags(thEvents), nil},
			{"女性健步走活动", "举办全市女性健步走。", 4, "", tags(thEvents), nil},
			{"职场女性健身社群", "组建职场女性健身社群。", 2, kpMentor, tags(thCareer), nil},
		},
		progress: []progressRow{
			{portal.ProgressDone, "6月举办展演。"},
			{portal.ProgressPartly, "工间操在30家企业推广，健身社群尚未组建。"},
		},
	},
	{ // yrd-women-development
		narrative: "2021年，本会编印长三角女性创业创新故事双语画册，举办长三角女性精英联谊年会；赴苏浙皖的产业合作考察因疫情未能成行，改为线上对接。",
		highlight: "长三角女性精英联谊年会汇聚四省市女性代表280人。",
		activities: []activityRow{
			{"长三角女性精英联谊年会", portal.KindThemedActivity, portal.ModeOffline, "2021-12-10", "2021-12-11", 280, 250, "江苏、浙江、安徽省女企业家协会", tags(thYRD)},
			{"长三角女性产业线上对接会", portal.KindThemedActivity, portal.ModeOnline, "2021-06-17", "2021-06-17", 300, 260, "", tags(thYRD, thCareer)},
			{"长三角女性故事双语画册发布", portal.KindCampaign, portal.ModeHybrid, "2021-09-28", "2021-10-31", 6000, 3800, "", tags(thMedia)},
		},
		media: []mediaRow{{portal.ChannelWeChat, 52, 76000}},
		plan: []planRow{
			{"长三角女性数字经济交流", "组织区域女性企业家交流数字化转型经验。", 2, kpYRD, tags(thYRD, thCareer), []int{req2022Digital}},
			{"长三角女性精英联谊年会", "举办年度联谊会。", 4, kpYRD, tags(thYRD), nil},
			{"长三角女性产业合作考察", "疫情允许时赴苏浙皖考察。", 2, kpYRD, tags(thYRD), nil},
		},
		progress: []progressRow{
			{portal.ProgressNotDone, "跨省考察因疫情未能成行，改为一次线上对接会。"},
			{portal.ProgressDone, "双语画册印发2000册。"},
			{portal.ProgressDone, "12月举办年会。"},
		},
	},
	{ // women-digital-skills (submitted after the deadline)
		narrative: "2021年，本中心开设四期数字就业技能培训班并对接用人单位，“数字助老”辅导走进社区；与苏浙皖培训机构共享了部分课程。",
		highlight: "四期数字就业技能培训班结业学员680人，就业率72%。",
		activities: []activityRow{
			{"女性数字就业技能培训班", portal.KindTraining, portal.ModeHybrid, "2021-03-08", "2021-11-26", 680, 660, "", tags(thCareer)},
			{"“数字助老”社区辅导", portal.KindService, portal.ModeOffline, "2021-04-12", "2021-12-20", 3100, 2200, "闵行区各街道", tags(thEvents)},
			{"数字技能小课堂短视频", portal.KindCampaign, portal.ModeOnline, "2021-02-01", "2021-12-31", 30000, 21000, "", tags(thMedia)},
		},
		media: []mediaRow{{portal.ChannelDouyin, 110, 480000}, {portal.ChannelWeChat, 46, 36000}},
		plan: []planRow{
			{"女性数字就业技能培训计划", "全年开设六期培训班。", 0, kpMentor, tags(thCareer), []int{req2022Digital}},
			{"“数字助老”进社区", "在50个社区开展智能手机使用辅导。", 0, "", tags(thEvents), []int{req2022Care}},
			{"长三角女性数字技能培训联动", "与苏浙皖培训机构联合开班。", 3, kpYRD, tags(thYRD), nil},
		},
		progress: []progressRow{
			{portal.ProgressDone, "四期培训班全部结业。"},
			{portal.ProgressPartly, "与两家培训机构共享课程，联合培训尚未开展。"},
		},
	},
}

// returnComment2021 is the reviewer's comment on the 2021 report returned
// once before it was accepted.
const returnComment2021 = "请在“开展活动”中补充青年女教师导师结对的合作高校，并核对女性参与人数。"
