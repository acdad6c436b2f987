// Words that say nothing about what a citizen raised: function words and the desk's own
// phrasing (来电人咨询…). Terms are kept only when they have two characters or more.
export const STOP_WORDS: ReadonlySet<string> = new Set(
  `市民 来电 来电人 来电者 致电 电话 热线 咨询 询问 请问 请求 希望 需要 要求 反映 投诉 建议 表示 认为 称 说 问 想 要
是否 如何 怎么 怎样 怎么办 什么 哪些 哪里 哪个 为什么 多少 可以 能否 能不能 可否 是不是 有没有 没有 不能 不会 不是
已经 已 目前 现在 今天 昨天 明天 最近 之前 以后 之后 以前 时候 时间 一直 一下 一些 一个 一次 多次 很多 非常 比较 还是
或者 以及 而且 但是 因为 所以 如果 虽然 然后 并且 或是 还有 就是 这个 那个 这些 那些 这样 那样 这里 那里 其中 其他 其它
我们 你们 他们 她们 自己 本人 家人 大家 相关 有关 情况 问题 事情 事项 方面 进行 处理 解决 办理 帮助 帮忙 告知 了解 知道
工作 人员 工作人员 部门 单位 方式 流程 条件 材料 规定 政策 服务 上门 尽快 马上 立即 及时 具体 所需 需要 准备 提供 应该
的 了 吗 呢 吧 啊 和 与 及 或 在 是 有 无 为 对 被 把 给 向 从 到 等 也 都 还 就 又 再 很 太 更 最`.split(/\s+/).filter(Boolean),
);

/**
 * Words of the hotline's trade that ICU's general dictionary splits (低保 → 低|保,
 * 燃气 → 燃|气): adjacent segments that together make one of these are counted as it.
 * The taxonomy's labels are added at start (hot-terms.ts).
 */
export const HOTLINE_WORDS: readonly string[] = `低保 低保户 保洁 燃气 扰民 家政 钟点工 助餐 居家养老 高龄津贴 残疾人 退役军人 抚恤金 优抚 结婚登记 离婚 收养
殡葬 独居老人 下水道 水管 跳闸 电梯 加装电梯 噪音 物业 停车位 群租 违建 占道 充电桩 飞线 医保 社保 廉租房 公租房 救助 临时救助 养老院 敬老院
长护险 适老化 居委会 业委会 低保金 补贴 津贴`.split(/\s+/).filter(Boolean);
