import type { NewDepartment } from '../registry/services.js';

/**
 * Demo departments: the units the regulation names (市局办公室, 市局监察室, 市局信息研究中心,
 * 市社区服务中心, 市局各业务处室, 市社团局, 区县民政局) and outside bodies for 协同 (第十八条).
 */
export const DEMO_DEPARTMENTS: readonly NewDepartment[] = [
  { id: 'bureau-office', name: '市民政局办公室', kind: 'bureau_office' },
  { id: 'inspection-office', name: '市局监察室', kind: 'bureau_division' },
  { id: 'info-research', name: '市局信息研究中心', kind: 'bureau_division' },
  { id: 'community-service-center', name: '市社区服务中心', kind: 'bureau_division' },
  { id: 'social-assistance', name: '社会救助处', kind: 'bureau_division' },
  { id: 'elderly-services', name: '养老服务处', kind: 'bureau_division' },
  { id: 'social-affairs', name: '社会事务处（婚姻收养殡葬）', kind: 'bureau_division' },
  { id: 'place-names', name: '区划地名处', kind: 'bureau_division' },
  { id: 'social-organisations', name: '市社团局', kind: 'bureau_division' },
  { id: 'xuhui-civil-affairs', name: '徐汇区民政局', kind: 'district_bureau', district: '徐汇区' },
  { id: 'jingan-civil-affairs', name: '静安区民政局', kind: 'district_bureau', district: '静安区' },
  { id: 'pudong-civil-affairs', name: '浦东新区民政局', kind: 'district_bureau', district: '浦东新区' },
  { id: 'minhang-civil-affairs', name: '闵行区民政局', kind: 'district_bureau', district: '闵行区' },
  { id: 'veterans-affairs', name: '市退役军人事务局', kind: 'outside' },
  { id: 'housing-management', name: '市房屋管理局', kind: 'outside' },
];
