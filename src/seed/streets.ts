/**
 * Demo streets/towns (街道/镇) with one remote seat each. A remote seat is reached as
 * an outside number through the `street-gw` trunk (DESIGN §7).
 */
export interface DemoStreet {
  id: string;
  name: string;
  district: string;
  /** the street seat's outside number, dialled through street-gw */
  seatNumber: string;
}

export const DEMO_STREETS: readonly DemoStreet[] = [
  { id: 'xuhui-tianlin', name: '田林街道', district: '徐汇区', seatNumber: '02164001001' },
  { id: 'xuhui-hunanlu', name: '湖南路街道', district: '徐汇区', seatNumber: '02164001002' },
  { id: 'jingan-nanjingxilu', name: '南京西路街道', district: '静安区', seatNumber: '02162001001' },
  { id: 'pudong-lujiazui', name: '陆家嘴街道', district: '浦东新区', seatNumber: '02158001001' },
  { id: 'minhang-qibao', name: '七宝镇', district: '闵行区', seatNumber: '02154001001' },
];
