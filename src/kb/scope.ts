/**
 * Words that put a question in another department's hands (12345's city-wide lines:
 * transport, tax, housing funds, police, schools, health insurance …). A question with
 * such a word and none of the civil-affairs vocabulary is out of scope: it gets a
 * pointer to 12345, not a guessed entry.
 */
export const OTHER_DEPARTMENTS = [
  '地铁', '公交', '末班车', '高铁', '火车票', '机票', '出租车', '网约车', '共享单车', '停车', '罚单', '违章', '驾照', '驾驶证', '考驾照', '车牌',
  '公积金', '个税', '个人所得税', '退税', '纳税', '发票', '营业执照', '工商', '股票', '基金', '信用卡', '贷款逾期', '话费', '宽带',
  '护照', '港澳通行证', '签证', '身份证', '户口迁移', '户口迁', '落户', '户籍迁入', '报警', '被偷', '派出所',
  '医保', '医保卡', '挂号', '疫苗', '核酸', '社保缴费', '社保断缴', '失业金', '退休工资', '养老金上调', '工伤',
  '入学', '报名', '学校', '中考', '高考', '幼儿园',
  '噪音', '扰民', '油烟', '装修', '垃圾分类', '路灯', '堵车', '开发商', '物业费', '房产证', '二手房', '房价',
  '快递', '外卖', '退货', '怎么退', '质量问题', '天气', '饭店', '本帮菜', '羽毛球', '旅游', '狗证', '宠物', '机器人',
  '医院', '急诊', '发烧', '专家号', '微信', '手机', '密码', '网购', '商家', '门票', '黄牛', '演唱会', '书展', '展览', '景点', '白相',
  '猫咪', '小学', '中学', '对口', '幼升小', '小升初', '广场舞', '专项扣除',
  // words holding a civil-affairs word that are another department's (养老金 is social security's, not 养老's)
  '养老金', '养老保险', '结婚酒席', '酒席', '婚宴', '婚礼', '婚纱', '婚庆', '律师', '法院', '起诉',
];

/** What to tell a citizen whose question is not civil affairs. */
export const OUT_OF_SCOPE_MESSAGE = '您的问题不属于民政和社区服务范围，962200无法解答。请拨打12345市民服务热线，或登录“随申办”咨询相关部门。';

/**
 * Words of civil affairs and community service (第十三条's areas and the hotline's own
 * services), read after the vocabulary: a question holding one is ours even when no
 * entry answers it well, so it may become a ticket rather than be sent to 12345.
 */
export const CIVIL_AFFAIRS = [
  '低保', '最低生活保障', '救助', '特困', '困难', '帮困', '补助', '津贴', '补贴', '抚恤', '优抚', '优待', '退役军人', '军人', '烈士', '义务兵', '当兵', '参军',
  '养老', '高龄', '照护', '助餐', '助浴', '陪医', '就医', '残疾', '孤儿', '儿童福利', '流浪', '乞讨',
  '婚姻', '结婚', '离婚', '结婚证', '离婚证', '收养', '送养', '殡葬', '丧事', '骨灰', '墓地', '遗体',
  '维修', '报修', '家电', '水电', '家政', '保洁', '疏通', '开锁', '搬家', '962200', '热线', '工单',
];

/**
 * Who and where (老人, 社区): civil affairs serves them, but with another department's word
 * (医院, 手机, 报警) they do not make the question ours; alone they do.
 */
export const CIVIL_AFFAIRS_PEOPLE = ['老人', '老年', '社区', '居委会', '街道'];
