// The seed of the taxonomy: 第十三条's tree. config/ivr.json's options use these ids
// (test/taxonomy/categories.test.ts checks every IVR leaf is in it).
export interface SeedNode {
  id: string;
  label: string;
  subcategories?: Array<{ id: string; label: string }>;
}

export const SEED_TAXONOMY: readonly SeedNode[] = [
  {
    id: 'consultation',
    label: '咨询',
    subcategories: [
      { id: 'social_assistance', label: '社会救助' },
      { id: 'social_welfare', label: '社会福利' },
      { id: 'special_care', label: '优抚安置' },
      { id: 'marriage', label: '婚姻登记' },
      { id: 'adoption', label: '收养登记' },
      { id: 'navigation', label: '跨部门事务导航' },
    ],
  },
  {
    id: 'community_life',
    label: '社区生活',
    subcategories: [
      { id: 'appliance_repair', label: '家电维修' },
      { id: 'water_electric_repair', label: '水电维修' },
      { id: 'housekeeping', label: '家政服务' },
    ],
  },
  {
    id: 'complaint',
    label: '投诉建议',
    subcategories: [
      { id: 'government_conduct', label: '政风行风' },
      { id: 'improper_enforcement', label: '违规执法' },
      { id: 'suggestion', label: '意见建议' },
    ],
  },
  { id: 'other', label: '其它' },
];
