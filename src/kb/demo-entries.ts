import type { Db } from '../db/index.js';
import { systemActor } from '../shared/actor.js';
import { EntryService, type EntryInput } from './entries.js';
import { KbSearchIndex } from './search-index.js';
import { SynonymStore } from './synonyms.js';
import { CIVIL_AFFAIRS_VOCABULARY } from './vocabulary-seed.js';

/**
 * Demo knowledge base for `npm run seed:demo`: published entries across the five
 * consultation areas and community life, written for this project. Amounts and
 * deadlines are left to "the figures the city publishes", since they change yearly.
 */
type DemoEntry = EntryInput & { ref: string };

const CIVIL = '市民政局';
const DISTRICT = '区民政局';
const VETERANS = '区退役军人事务局';
const MARRIAGE = '区婚姻登记处';
const CENTER = '962200热线中心';

export const DEMO_ENTRIES: DemoEntry[] = [
  // —— 社会救助 social assistance ——
  {
    ref: 'demo-sa-001', type: 'guide', category: 'social_assistance', sourceDepartment: DISTRICT,
    title: '最低生活保障（低保）申请指南',
    keywords: ['低保', '最低生活保障', '申请', '社区事务受理服务中心'],
    body: '本市户籍居民，家庭人均收入低于本市最低生活保障标准、且家庭财产符合规定的，可以申请最低生活保障。申请以家庭为单位，由户主或家庭成员向户籍所在地街道（乡镇）社区事务受理服务中心提出。受理后，街镇会通过入户调查、信息核对和民主评议等方式审核，审核通过并公示无异议的，由区民政局审批，从批准的次月起按月发放低保金。审核期间可拨打962200查询办理进度。',
  },
  {
    ref: 'demo-sa-002', type: 'qa', category: 'social_assistance', sourceDepartment: DISTRICT,
    title: '申请低保需要准备哪些材料？',
    keywords: ['低保', '材料', '户口簿', '收入证明'],
    body: '一般需要：申请人及共同生活家庭成员的身份证和户口簿；家庭成员的收入情况说明或收入证明；住房情况证明；本人签署的家庭经济状况核对授权书。因病、因残的，还需提供病历或残疾人证。材料不全的，受理窗口会一次性告知需要补充的内容。',
  },
  {
    ref: 'demo-sa-003', type: 'interpretation', category: 'social_assistance', sourceDepartment: CIVIL,
    title: '最低生活保障标准调整解读',
    keywords: ['低保标准', '调整', '最低生活保障'],
    body: '本市最低生活保障标准每年根据居民消费水平和物价变化研究调整，调整后的标准从公布之日所定的月份起执行，已在册的低保家庭由系统自动按新标准重新计算，不需要重新申请。具体标准以市政府当年公布的数字为准，可在市民政局网站或拨打962200咨询。',
    effectiveFrom: '2024-07-01',
  },
  {
    ref: 'demo-sa-004', type: 'guide', category: 'social_assistance', sourceDepartment: DISTRICT,
    title: '特困人员救助供养申请',
    keywords: ['特困人员', '救助供养', '五保', '集中供养', '分散供养'],
    body: '无劳动能力、无生活来源、且无法定赡养抚养扶养义务人（或其没有履行能力）的老年人、残疾人和未成年人，可以申请特困人员救助供养。本人或委托他人向户籍所在地街镇社区事务受理服务中心提出申请。供养形式分为在家分散供养和到养老机构集中供养，本人可以选择。',
  },
  {
    ref: 'demo-sa-005', type: 'guide', category: 'social_assistance', sourceDepartment: DISTRICT,
    title: '临时救助怎么申请',
    keywords: ['临时救助', '急难', '突发困难'],
    body: '因火灾、交通事故、突发重病等意外原因，导致基本生活暂时出现严重困难的家庭或个人，可以向户籍地或居住地街镇申请临时救助。情况紧急的，街镇可以先行救助，再补办手续。在本市遇困的外来人员，可以向救助管理站求助。',
  },
  {
    ref: 'demo-sa-006', type: 'qa', category: 'social_assistance', sourceDepartment: CIVIL,
    title: '低保家庭还能享受哪些专项救助？',
    keywords: ['低保家庭', '医疗救助', '教育救助', '住房救助', '专项救助'],
    body: '纳入低保的家庭，按规定还可以申请医疗救助（门急诊、住院自负费用按比例救助）、教育救助（子女就学费用减免或补助）、住房救助（廉租住房等）以及冬令、节日帮困等。各项救助由相关部门分别办理，可以在街镇社区事务受理服务中心统一咨询。',
  },
  {
    ref: 'demo-sa-007', type: 'policy', category: 'social_assistance', sourceDepartment: CIVIL,
    title: '支出型贫困家庭生活救助',
    keywords: ['支出型贫困', '因病支出', '大病', '生活救助'],
    body: '家庭收入虽高于低保标准，但因重病、重残等刚性支出过大，导致实际生活水平低于低保标准的，可以申请支出型贫困家庭生活救助。申请时需提供近一段时期的医疗费用票据等支出凭证，由街镇调查核实后报区民政局审批。',
  },
  // —— 社会福利 social welfare ——
  {
    ref: 'demo-sw-001', type: 'guide', category: 'social_welfare', sourceDepartment: CIVIL,
    title: '老年综合津贴（高龄津贴）申领',
    keywords: ['老年综合津贴', '高龄津贴', '老人', '65周岁'],
    body: '本市户籍、年满65周岁的老年人可以申领老年综合津贴，津贴按年龄段分档发放，年龄越大标准越高，具体金额以本市公布的标准为准。本人持身份证、户口簿和本人社保卡（或银行卡）到户籍地街镇社区事务受理服务中心申请，也可以在“随申办”上办理。审核通过后按月发放到本人账户。',
  },
  {
    ref: 'demo-sw-002', type: 'qa', category: 'social_welfare', sourceDepartment: CIVIL,
    title: '老年综合津贴什么时候到账？怎么查询？',
    keywords: ['老年综合津贴', '到账', '查询', '发放'],
    body: '津贴一般每月固定时间发放到申领时登记的账户。没有按时到账的，可以先查询银行账户流水，再拨打962200或到街镇社区事务受理服务中心查询发放记录。老人户籍迁出本市、去世或账户变更的，家属应当及时办理变更或停发手续。',
  },
  {
    ref: 'demo-sw-003', type: 'guide', category: 'social_welfare', sourceDepartment: CIVIL,
    title: '老年照护统一需求评估申请',
    keywords: ['照护评估', '长护险', '养老服务', '居家照护'],
    body: '60周岁及以上、需要养老照护服务的老年人，可以申请老年照护统一需求评估。评估结果分为不同照护等级，是享受居家照护、社区日间照护和入住养老机构等服务的依据。可由本人或家属到街镇社区事务受理服务中心申请，评估机构会上门评估。',
  },
  {
    ref: 'demo-sw-004', type: 'service', category: 'social_welfare', sourceDepartment: DISTRICT,
    title: '社区长者食堂和助餐点',
    keywords: ['助餐', '长者食堂', '老年人', '送餐'],
    body: '各街镇设有社区长者食堂和助餐点，为老年人提供价格实惠的午餐，行动不便的老人还可以预约送餐上门。具体地点、开放时间和预约方式，可以咨询居委会或拨打962200查询所在街镇的助餐服务。',
  },
  {
    ref: 'demo-sw-005', type: 'guide', category: 'social_welfare', sourceDepartment: DISTRICT,
    title: '困难残疾人生活补贴和重度残疾人护理补贴',
    keywords: ['残疾人两项补贴', '残疾人', '生活补贴', '护理补贴', '残疾人证'],
    body: '持有残疾人证、符合条件的困难残疾人可以申请生活补贴，重度残疾人可以申请护理补贴。申请人持残疾人证、身份证和户口簿，向户籍地街镇社区事务受理服务中心提出申请，经审核后按月发放。',
  },
  {
    ref: 'demo-sw-006', type: 'agency', category: 'social_welfare', sourceDepartment: CIVIL,
    title: '养老机构查询与入住咨询',
    keywords: ['养老院', '养老机构', '入住', '床位'],
    body: '本市养老机构的地址、床位、收费和服务等级等信息，可以在市民政局公布的养老服务平台查询。入住前一般需要完成老年照护统一需求评估，并与机构签订服务合同。对养老机构服务有意见的，可以拨打962200反映。',
  },
  // —— 优抚安置 special care and resettlement ——
  {
    ref: 'demo-sc-001', type: 'guide', category: 'special_care', sourceDepartment: VETERANS,
    title: '优抚对象抚恤补助申领',
    keywords: ['优抚', '抚恤', '定期补助', '优抚对象'],
    body: '残疾军人、烈士遗属、因公牺牲军人遗属、病故军人遗属、在乡复员军人等优抚对象，可以按规定享受抚恤金或定期生活补助。新认定的优抚对象，由本人持相关证件和证明材料到户籍地区退役军人事务局或街镇退役军人服务站申请。',
  },
  {
    ref: 'demo-sc-002', type: 'qa', category: 'special_care', sourceDepartment: VETERANS,
    title: '退役军人优待证怎么办理？',
    keywords: ['优待证', '退役军人', '申领'],
    body: '退役军人和其他优抚对象可以申领优待证，凭证享受交通、游览参观等方面的优待。本人可以通过“随申办”线上申请，也可以持身份证和退役证明到街镇退役军人服务站申请，制证完成后领取。',
  },
  {
    ref: 'demo-sc-003', type: 'guide', category: 'special_care', sourceDepartment: VETERANS,
    title: '烈士遗属待遇申请',
    keywords: ['烈士', '烈士遗属', '褒扬', '抚恤金'],
    body: '烈士遗属可以按规定享受一次性抚恤金、定期抚恤金以及就业、教育、住房等方面的优待。申请人持烈士证明书、亲属关系证明和本人证件，到区退役军人事务局办理。',
  },
  {
    ref: 'demo-sc-004', type: 'agency', category: 'special_care', sourceDepartment: VETERANS,
    title: '区退役军人服务中心和街镇服务站',
    keywords: ['退役军人服务中心', '服务站', '退役军人事务'],
    body: '每个区设有退役军人服务中心，每个街镇设有退役军人服务站，负责退役军人的接收安置、就业创业扶持、优抚帮扶和政策咨询。工作日可以到服务站当面咨询，也可以拨打962200转接。',
  },
  // —— 婚姻登记 marriage registration ——
  {
    ref: 'demo-mr-001', type: 'guide', category: 'marriage', sourceDepartment: MARRIAGE,
    title: '结婚登记办理指南',
    keywords: ['结婚登记', '婚姻登记', '领证', '材料'],
    body: '男女双方须共同到婚姻登记机关办理结婚登记。需要携带：本人有效居民身份证；本人户口簿；三张两寸近期半身免冠合影照片（也可以在登记处现场拍摄）。双方填写申请结婚登记声明书，并在登记员面前签名。符合条件的，当场发给结婚证。',
  },
  {
    ref: 'demo-mr-002', type: 'qa', category: 'marriage', sourceDepartment: MARRIAGE,
    title: '婚姻登记需要提前预约吗？',
    keywords: ['婚姻登记', '预约', '结婚登记', '随申办'],
    body: '本市婚姻登记实行预约办理，可以通过“随申办”或区婚姻登记处公布的渠道预约日期和时段。特殊日期预约人数较多，请尽早预约。未预约的，登记处会视当天情况安排。',
  },
  {
    ref: 'demo-mr-003', type: 'guide', category: 'marriage', sourceDepartment: MARRIAGE,
    title: '离婚登记办理流程（含冷静期）',
    keywords: ['离婚登记', '离婚冷静期', '离婚协议'],
    body: '自愿离婚的，双方共同到婚姻登记机关申请离婚登记，需携带身份证、户口簿、结婚证和双方签名的离婚协议书。登记机关收到申请之日起三十日内，任何一方不愿意离婚的，可以撤回申请；期满后三十日内，双方应当亲自到登记机关申请发给离婚证，未申请的视为撤回离婚登记申请。',
  },
  {
    ref: 'demo-mr-004', type: 'guide', category: 'marriage', sourceDepartment: MARRIAGE,
    title: '结婚证遗失了怎么补领',
    keywords: ['补领结婚证', '结婚证遗失', '婚姻登记档案'],
    body: '结婚证遗失或损毁的，当事人可以持身份证、户口簿和照片，到原办理登记的婚姻登记机关或本市其他婚姻登记机关申请补领。登记机关会查询婚姻登记档案，确认登记事实后补发。',
  },
  {
    ref: 'demo-mr-005', type: 'qa', category: 'marriage', sourceDepartment: MARRIAGE,
    title: '户口不在上海可以在上海办婚姻登记吗？',
    keywords: ['婚姻登记', '跨省通办', '外地户口', '居住证'],
    body: '本市已开展婚姻登记“跨省通办”，符合条件的，一方在本市有常住户口或持有本市居住证，可以在本市办理结婚登记或离婚登记。具体适用条件和所需材料，请在预约前向区婚姻登记处或962200确认。',
  },
  {
    ref: 'demo-mr-006', type: 'agency', category: 'marriage', sourceDepartment: CIVIL,
    title: '各区婚姻登记处地址和办公时间',
    keywords: ['婚姻登记处', '地址', '办公时间'],
    body: '本市每个区都设有婚姻登记处，工作日办公，部分登记处在特殊日期延长服务时间。各登记处地址、交通和咨询电话可以在区政府网站查询，或拨打962200由话务员告知。',
  },
  // —— 收养登记 adoption registration ——
  {
    ref: 'demo-ad-001', type: 'guide', category: 'adoption', sourceDepartment: CIVIL,
    title: '收养登记办理指南',
    keywords: ['收养登记', '收养', '送养'],
    body: '收养应当向县级以上人民政府民政部门登记，收养关系自登记之日起成立。收养人、送养人应当亲自到登记机关办理，提交收养申请书、身份证件、户口簿、婚姻状况证明以及收养能力和健康状况等证明材料。登记机关会进行收养评估，符合条件的予以登记。',
  },
  {
    ref: 'demo-ad-002', type: 'qa', category: 'adoption', sourceDepartment: CIVIL,
    title: '收养人需要满足哪些条件？',
    keywords: ['收养人', '收养条件', '民法典'],
    body: '按照民法典，收养人应当同时具备：无子女或者只有一名子女；有抚养、教育和保护被收养人的能力；未患有在医学上认为不应当收养子女的疾病；无不利于被收养人健康成长的违法犯罪记录；年满三十周岁。收养孤儿、残疾未成年人等另有规定的，从其规定。',
  },
  {
    ref: 'demo-ad-003', type: 'guide', category: 'adoption', sourceDepartment: CIVIL,
    title: '解除收养关系登记',
    keywords: ['解除收养', '收养关系', '协议解除'],
    body: '收养人与送养人（或已成年的被收养人）协议解除收养关系的，应当共同到民政部门办理解除收养关系登记，携带身份证件、户口簿、收养登记证和解除收养关系的书面协议。',
  },
  // —— 社区生活 community life ——
  {
    ref: 'demo-cl-001', type: 'service', category: 'community_life', sourceDepartment: CENTER,
    title: '家电维修服务预约',
    keywords: ['家电维修', '冰箱', '洗衣机', '空调', '电视机', '上门维修'],
    body: '冰箱、洗衣机、空调、电视机、热水器等家电出现故障，可以拨打962200预约上门维修。话务员会登记您的地址和故障情况，派单给就近街镇的签约服务商，服务人员一般会先电话联系确认上门时间。维修前会说明收费项目，请在维修完成后核对并索要票据。',
  },
  {
    ref: 'demo-cl-002', type: 'service', category: 'community_life', sourceDepartment: CENTER,
    title: '水电维修报修',
    keywords: ['水电维修', '水管', '漏水', '跳闸', '电路', '报修'],
    body: '家中水管漏水、下水堵塞、电路跳闸、插座损坏等，可以拨打962200报修水电维修。公共部位（楼道、总水管、小区管网）的问题，请联系物业或居委会；户内维修由街镇签约服务商上门处理，按公示标准收费。',
  },
  {
    ref: 'demo-cl-003', type: 'service', category: 'community_life', sourceDepartment: CENTER,
    title: '家政服务（保洁、育儿、养老护理）',
    keywords: ['家政服务', '家政', '保洁', '育儿嫂', '保姆', '护工'],
    body: '需要钟点保洁、育儿嫂、居家养老护理等家政服务的，可以拨打962200说明需求，热线会转给所在街镇的社区服务坐席，推荐经过登记的家政服务机构。请与服务机构签订书面合同，写明服务内容、时间和费用。',
  },
  {
    ref: 'demo-cl-004', type: 'qa', category: 'community_life', sourceDepartment: CENTER,
    title: '上门维修怎么收费？对收费有异议怎么办？',
    keywords: ['维修收费', '上门费', '收费标准', '投诉'],
    body: '签约服务商按照公示的收费标准收费，一般包括上门服务费和材料费，更换配件前应当征得您同意。对收费或维修质量有异议的，可以拨打962200反映，热线会登记工单并督促服务商处理，处理结果会回访告知您。',
  },
  {
    ref: 'demo-cl-005', type: 'agency', category: 'community_life', sourceDepartment: DISTRICT,
    title: '街镇社区事务受理服务中心',
    keywords: ['社区事务受理服务中心', '受理中心', '一门式', '办事地点'],
    body: '每个街道、乡镇都设有社区事务受理服务中心，集中办理低保、老年综合津贴、残疾人补贴、居住证等社区事务，实行“一门式”受理。办公时间一般为工作日，部分中心周六上午提供服务，出发前可以先电话确认。',
  },
  {
    ref: 'demo-cl-006', type: 'service', category: 'community_life', sourceDepartment: DISTRICT,
    title: '为老服务：助浴、理发、陪医',
    keywords: ['助浴', '理发', '陪医', '为老服务', '居家养老'],
    body: '行动不便的老年人可以通过居委会或962200预约社区助浴、上门理发和陪同就医等为老服务。部分项目对经济困难、高龄独居老人有补贴，具体以所在街镇公布的为准。',
  },
  // —— 其他 other ——
  {
    ref: 'demo-ot-001', type: 'qa', category: 'other', sourceDepartment: CENTER,
    title: '962200热线受理哪些事情？',
    keywords: ['962200', '社区服务热线', '受理范围', '服务时间'],
    body: '962200社区服务热线受理社会救助、社会福利、优抚安置、婚姻登记、收养登记等民政政策咨询，家电维修、水电维修、家政服务等社区生活服务，以及对民政工作的投诉和建议。下班时间可以留言，工作人员会在工作日回电。',
  },
  {
    ref: 'demo-ot-002', type: 'guide', category: 'other', sourceDepartment: CENTER,
    title: '如何查询工单办理进度',
    keywords: ['工单', '查询', '办理进度', '回访'],
    body: '来电或网上留言登记后，您会得到一个工单号（962200开头）。凭工单号拨打962200即可查询办理进度。转给部门办理的工单，部门会在规定的工作日内联系您，办结后热线会进行回访。',
  },
  {
    ref: 'demo-ot-003', type: 'interpretation', category: 'other', sourceDepartment: CENTER,
    title: '962200和12345热线是什么关系？',
    keywords: ['12345', '962200', '转办', '流转工单'],
    body: '12345是本市的市民服务热线，962200是民政系统的社区服务热线，两条热线已经对接。拨打12345反映的民政类问题，会转给962200办理，办理结果再反馈给12345，市民不需要重复反映。',
  },
  // —— added for the answering evaluation ——
  {
    ref: 'demo-sa-008', type: 'qa', category: 'social_assistance', sourceDepartment: DISTRICT,
    title: '低保金每月几号发放？',
    keywords: ['低保金', '发放时间', '到账'],
    body: '低保金按月发放，一般在每月上旬打入低保家庭登记的银行账户或社保卡。遇节假日可能顺延。到期未到账的，请先核对账户是否变更或冻结，再向街镇社区事务受理服务中心或拨打962200查询。',
  },
  {
    ref: 'demo-sa-009', type: 'guide', category: 'social_assistance', sourceDepartment: DISTRICT,
    title: '医疗救助怎么申请',
    keywords: ['医疗救助', '住院', '门急诊', '自负费用'],
    body: '低保、特困、低收入等困难家庭成员，在基本医疗保险报销后个人负担的门急诊和住院费用，可以按比例申请医疗救助。持身份证、医疗费用票据和结算清单，向户籍地街镇社区事务受理服务中心申请；部分医院可以“一站式”直接结算。',
  },
  {
    ref: 'demo-sa-010', type: 'agency', category: 'social_assistance', sourceDepartment: CIVIL,
    title: '流浪乞讨人员救助（救助管理站）',
    keywords: ['救助管理站', '流浪乞讨人员', '寻亲', '返乡'],
    body: '在本市生活无着的流浪乞讨人员，可以到各区救助管理站求助，救助站提供临时食宿、急病救治和协助返乡。市民发现街头露宿、需要帮助的人员，可以拨打962200或110，救助站会派人前往劝导救助。',
  },
  {
    ref: 'demo-sw-007', type: 'guide', category: 'social_welfare', sourceDepartment: DISTRICT,
    title: '居家养老服务补贴申请',
    keywords: ['居家养老服务补贴', '居家养老', '养老服务补贴'],
    body: '经老年照护统一需求评估达到相应照护等级、且经济困难的老年人，可以申请居家养老服务补贴，用于购买上门生活照料、护理等服务。向户籍地街镇社区事务受理服务中心申请，补贴标准按照护等级和家庭经济状况确定。',
  },
  {
    ref: 'demo-sw-008', type: 'guide', category: 'social_welfare', sourceDepartment: DISTRICT,
    title: '残疾人证怎么办理',
    keywords: ['残疾人证', '残疾评定', '换证'],
    body: '申请残疾人证，本人持身份证、户口簿和照片，到户籍地街镇社区事务受理服务中心申请，再到指定医疗机构进行残疾评定。评定合格的，由区残联核发残疾人证。证件到期、残疾等级变化或遗失的，可以申请换证或补证。',
  },
  {
    ref: 'demo-sw-009', type: 'policy', category: 'social_welfare', sourceDepartment: CIVIL,
    title: '孤儿和事实无人抚养儿童基本生活保障',
    keywords: ['孤儿', '事实无人抚养儿童', '基本生活费', '儿童福利'],
    body: '父母双方死亡或下落不明的孤儿，以及父母重残、重病、服刑、失联等原因造成事实上无人抚养的儿童，可以由监护人向户籍地街镇申请基本生活保障，按月发放基本生活费。',
  },
  {
    ref: 'demo-sw-010', type: 'service', category: 'social_welfare', sourceDepartment: DISTRICT,
    title: '家庭适老化改造',
    keywords: ['适老化改造', '扶手', '防滑', '居家安全'],
    body: '为方便老年人居家生活，本市开展家庭适老化改造，项目包括卫生间扶手、防滑地面、淋浴椅、夜间感应灯等。符合条件的老年人家庭可以享受补贴，由居委会或街镇受理中心受理申请，服务商上门评估后施工。',
  },
  {
    ref: 'demo-sc-005', type: 'policy', category: 'special_care', sourceDepartment: VETERANS,
    title: '退役军人就业创业扶持',
    keywords: ['退役军人', '就业', '创业', '职业技能培训', '创业贷款'],
    body: '退役军人可以参加免费的职业技能培训，享受就业推荐、招聘会和岗位信息服务；自主创业的，可以按规定申请创业担保贷款和贴息、税收优惠。具体可以咨询区退役军人服务中心或街镇退役军人服务站。',
  },
  {
    ref: 'demo-sc-006', type: 'policy', category: 'special_care', sourceDepartment: VETERANS,
    title: '义务兵家庭优待金',
    keywords: ['义务兵', '优待金', '家庭优待金', '参军'],
    body: '本市入伍的义务兵服役期间，其家庭按规定享受义务兵家庭优待金，按年度发放。入伍后由区退役军人事务局会同街镇核实发放，家属可以向户籍地街镇退役军人服务站查询。',
  },
  {
    ref: 'demo-mr-007', type: 'guide', category: 'marriage', sourceDepartment: MARRIAGE,
    title: '婚姻登记档案查询',
    keywords: ['婚姻登记档案', '婚姻状况证明', '档案查询', '婚姻记录'],
    body: '当事人需要证明本人婚姻登记情况的，可以持身份证到婚姻登记机关申请查询婚姻登记档案，登记机关出具婚姻登记记录证明。委托他人查询的，需要提供委托书。民政部门不出具“单身证明”，没有登记记录的，可以出具查询结果。',
  },
  {
    ref: 'demo-mr-008', type: 'guide', category: 'marriage', sourceDepartment: CIVIL,
    title: '涉外和涉港澳台婚姻登记',
    keywords: ['涉外婚姻登记', '港澳台', '外国人', '华侨'],
    body: '内地居民与外国人、港澳台居民或华侨在本市结婚的，应当到市民政局指定的涉外婚姻登记机关办理。外方或港澳台一方需要提供有效护照或通行证件，以及经公证、认证的本人无配偶证明。办理前建议先预约并咨询所需材料。',
  },
  {
    ref: 'demo-ad-004', type: 'qa', category: 'adoption', sourceDepartment: CIVIL,
    title: '收养登记需要哪些材料？',
    keywords: ['收养登记', '材料', '收养申请书', '体检证明'],
    body: '收养人应当提交收养申请书、身份证和户口簿、婚姻状况证明、县级以上医疗机构出具的体检证明，以及收养人所在单位或居委会出具的家庭情况证明；送养人应当提交身份证、户口簿和送养的证明材料。被收养人年满八周岁的，应当征得本人同意。',
  },
  {
    ref: 'demo-cl-007', type: 'service', category: 'community_life', sourceDepartment: CENTER,
    title: '管道疏通',
    keywords: ['管道疏通', '下水道', '马桶', '水池'],
    body: '家中下水道、马桶、厨房水池堵塞的，可以拨打962200预约上门疏通。服务商按公示标准收费。楼道公共管道堵塞的，请联系物业处理。',
  },
  {
    ref: 'demo-cl-008', type: 'service', category: 'community_life', sourceDepartment: CENTER,
    title: '开锁换锁服务',
    keywords: ['开锁', '换锁', '锁芯'],
    body: '钥匙遗失或门锁故障的，可以拨打962200预约备案的开锁服务。开锁前师傅会核验身份证和住址证明，确认是本人住所后才开锁；也可以预约更换锁芯。',
  },
  {
    ref: 'demo-cl-009', type: 'service', category: 'community_life', sourceDepartment: CENTER,
    title: '搬家服务预约',
    keywords: ['搬家', '搬运', '预约'],
    body: '需要搬家的，可以拨打962200说明搬出和搬入地址、物品多少和日期，热线推荐登记的搬家服务商联系您报价。贵重物品请自行保管。',
  },
  {
    ref: 'demo-ot-004', type: 'qa', category: 'other', sourceDepartment: CENTER,
    title: '对服务不满意怎么投诉？',
    keywords: ['投诉', '不满意', '服务态度', '意见建议'],
    body: '对962200话务员、签约服务商或办理部门的服务不满意的，可以拨打962200说明情况，或在网上留言，热线登记为投诉工单，由监察室核查处理并在规定时间内答复您。',
  },
  {
    ref: 'demo-ot-005', type: 'service', category: 'other', sourceDepartment: CIVIL,
    title: '殡葬服务咨询（遗体接运、骨灰安放）',
    keywords: ['殡葬', '遗体接运', '骨灰', '公墓', '殡仪馆'],
    body: '亲人在家中去世的，请先联系社区卫生服务中心开具死亡证明，再联系殡仪馆预约遗体接运。骨灰可以选择公墓安葬、骨灰堂存放或海葬等节地生态安葬方式，部分方式有补贴。殡葬政策可以拨打962200咨询。',
  },
];

/**
 * 相似问法 of the demo entries: how citizens ask for each, written from the hotline's
 * everyday calls (not copied from the evaluation set in bench/answering).
 */
const DEMO_QUESTIONS: Record<string, string[]> = {
  'demo-sa-001': ['怎么申请低保', '家里困难能吃低保吗', '低保去哪里办', '低保申请条件是什么', '收入低可以申请最低生活保障吗'],
  'demo-sa-002': ['低保要准备什么材料', '申请低保带哪些证件', '低保需要收入证明吗', '办低保要户口本吗'],
  'demo-sa-003': ['低保标准是多少', '低保标准什么时候调整', '低保涨了要重新申请吗', '今年低保标准提高了吗'],
  'demo-sa-004': ['特困人员怎么申请', '没有子女没有收入的老人政府管吗', '五保户申请条件', '特困人员可以去养老院吗'],
  'demo-sa-005': ['遇到意外生活困难怎么办', '临时救助申请条件', '家里遭灾了能申请补助吗', '突发重病没钱怎么办'],
  'demo-sa-006': ['低保户还有哪些补助', '低保家庭看病能救助吗', '低保家庭孩子读书有补助吗', '低保家庭能申请廉租房吗'],
  'demo-sa-007': ['看病花钱太多家里困难能救助吗', '因病支出大收入超过低保能申请吗', '大病医疗费太高生活困难', '支出型贫困怎么申请'],
  'demo-sa-008': ['低保什么时候发', '低保金几号到账', '低保钱没收到', '低保每月发放时间'],
  'demo-sa-009': ['困难家庭看病费用能补助吗', '住院费用太高能申请救助吗', '医疗救助申请条件', '门诊自负费用能救助吗'],
  'demo-sa-010': ['看到流浪人员怎么求助', '救助管理站电话', '外地人在上海没钱回家怎么办', '街上有人露宿没人管'],
  'demo-sw-001': ['老年综合津贴怎么申请', '65岁以上老人有什么补贴', '高龄津贴去哪里办', '老人补贴怎么领'],
  'demo-sw-002': ['老年综合津贴没到账', '高龄津贴每月几号发', '津贴发放记录怎么查', '老人去世了津贴怎么停'],
  'demo-sw-003': ['长护险怎么评估', '老人需要护理怎么申请评估', '照护等级怎么评', '居家照护要先评估吗'],
  'demo-sw-004': ['老人吃饭有食堂吗', '助餐点在哪里', '老人送餐上门怎么预约', '长者食堂怎么吃饭'],
  'demo-sw-005': ['残疾人有什么补贴', '重度残疾护理补贴怎么申请', '残疾人生活补贴条件', '残疾人两项补贴去哪里办'],
  'demo-sw-006': ['养老院在哪里查', '养老院怎么入住', '养老院收费标准', '哪里有养老院床位'],
  'demo-sc-001': ['优抚对象有什么待遇', '残疾军人抚恤金怎么领', '在乡复员军人补助', '抚恤补助怎么申请'],
  'demo-sc-002': ['优待证怎么申请', '退役军人优待证有什么用', '优待证在哪里办', '退役军人凭证能享受什么优待'],
  'demo-sc-003': ['烈士遗属能享受什么待遇', '烈属抚恤金怎么申请', '烈士家属有哪些优待', '烈士遗属待遇去哪办'],
  'demo-sc-004': ['退役军人服务中心在哪', '退役军人服务站电话', '退役军人有事找谁', '街镇退役军人服务站地址'],
  'demo-mr-001': ['结婚登记要带什么', '领证需要什么材料', '结婚要准备几张照片', '结婚登记流程'],
  'demo-mr-002': ['领证要预约吗', '结婚登记怎么预约', '特殊日子领证怎么约', '不预约能办结婚登记吗'],
  'demo-mr-003': ['离婚怎么办理', '离婚登记要带什么', '离婚冷静期是多久', '协议离婚流程'],
  'demo-mr-004': ['结婚证丢了怎么办', '结婚证遗失补办', '结婚证坏了能换吗', '补领结婚证要带什么'],
  'demo-mr-005': ['外地户口能在上海结婚吗', '有居住证可以在上海登记结婚吗', '跨省通办婚姻登记', '不是上海户口可以在上海领证吗'],
  'demo-mr-006': ['婚姻登记处在哪里', '婚姻登记处上班时间', '各区民政局婚姻登记地址', '婚姻登记处电话'],
  'demo-mr-007': ['怎么查婚姻登记记录', '婚姻状况证明怎么开', '民政局能开单身证明吗', '查询婚姻登记档案'],
  'demo-mr-008': ['和外国人结婚去哪里登记', '涉外结婚需要什么材料', '和香港人结婚怎么办理', '和台湾人结婚登记'],
  'demo-ad-001': ['收养孩子怎么办', '领养小孩去哪里登记', '收养登记流程', '送养孩子怎么办手续'],
  'demo-ad-002': ['收养孩子有什么条件', '什么人可以领养孩子', '收养人有年龄要求吗', '有孩子还能再收养吗'],
  'demo-ad-003': ['怎么解除收养关系', '解除收养登记要带什么', '收养关系能解除吗', '协议解除收养'],
  'demo-ad-004': ['收养需要什么材料', '领养要准备哪些证明', '收养要体检吗', '收养申请书怎么写'],
  'demo-cl-001': ['家电坏了找谁修', '冰箱不制冷怎么报修', '洗衣机坏了能上门修吗', '空调维修预约'],
  'demo-cl-002': ['水管坏了找谁修', '家里漏水怎么办', '电路跳闸怎么报修', '水电维修电话'],
  'demo-cl-003': ['怎么请保姆', '找钟点工', '家政服务怎么预约', '请育儿嫂', '找护工照顾老人'],
  'demo-cl-004': ['上门维修收费标准是什么', '维修费太贵怎么办', '修理收费不合理投诉', '上门费怎么收'],
  'demo-cl-005': ['社区事务受理服务中心在哪里', '街道受理中心办公时间', '社区事务在哪里办', '一门式办理地点'],
  'demo-cl-006': ['老人上门洗澡服务', '老人上门理发', '有人陪老人看病吗', '为老服务怎么预约'],
  'demo-ot-001': ['962200是什么热线', '962200能办什么事', '962200服务时间', '社区服务热线受理范围'],
  'demo-ot-002': ['怎么查工单进度', '我的工单处理到哪了', '工单号怎么查询', '反映的问题多久答复'],
  'demo-ot-003': ['962200和12345什么关系', '12345转过来的事情谁办', '民政问题打哪个热线', '12345和962200哪个管民政'],
  'demo-sw-007': ['居家养老服务补贴条件', '老人在家养老有补贴吗', '居家养老补贴标准', '上门照料服务补贴'],
  'demo-sw-008': ['怎么办残疾证', '残疾评定去哪里', '残疾人证到期换证', '残疾证遗失补办'],
  'demo-sw-009': ['孤儿有什么保障', '事实无人抚养儿童怎么申请', '父母不在的孩子有补助吗', '无人抚养的孩子基本生活费'],
  'demo-sw-010': ['适老化改造有补贴吗', '老人家里装扶手', '卫生间防滑改造', '适老化改造怎么申请'],
  'demo-sc-005': ['退役军人找工作', '退役军人创业有优惠吗', '退役军人技能培训', '退伍军人就业推荐'],
  'demo-sc-006': ['义务兵优待金多少', '当兵家属有什么优待', '优待金什么时候发', '入伍家庭优待金怎么领'],
  'demo-cl-007': ['下水道堵了怎么办', '马桶堵了', '水池堵塞疏通', '管道疏通预约'],
  'demo-cl-008': ['钥匙丢了进不了门', '开锁服务电话', '换锁', '门锁坏了'],
  'demo-cl-009': ['搬家怎么预约', '找搬家公司', '搬家服务电话', '搬家多少钱'],
  'demo-ot-004': ['投诉怎么投诉', '对话务员不满意', '服务商态度不好投诉', '投诉电话'],
  'demo-ot-005': ['亲人去世怎么办', '殡仪馆接遗体', '骨灰怎么安葬', '丧事怎么办理'],
};

for (const e of DEMO_ENTRIES) e.questions = DEMO_QUESTIONS[e.ref] ?? [];

/** The civil-affairs vocabulary the demo starts with. */
export const DEMO_SYNONYMS: string[][] = CIVIL_AFFAIRS_VOCABULARY;

/**
 * Puts the demo entries (published) and synonyms into the knowledge base. Idempotent:
 * entries are keyed by ref, and a synonym group is skipped when its first term is
 * already in some group.
 */
export function seedKnowledgeBase(db: Db, now: () => number = Date.now): { entries: number; synonyms: number } {
  const actor = systemActor('seed');
  const synonyms = new SynonymStore(db, now);
  const entries = new EntryService(db, new KbSearchIndex(db.$client, () => synonyms.vocabulary()), now);
  const added = DEMO_ENTRIES.filter((e) => entries.seed(e, 'published', actor) !== null).length;
  const known = new Set(synonyms.list().flatMap((g) => g.terms));
  const addedSynonyms = DEMO_SYNONYMS.filter((terms) => !known.has(terms[0])).map((terms) => synonyms.create(terms, actor)).length;
  return { entries: added, synonyms: addedSynonyms };
}
