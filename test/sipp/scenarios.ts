// SIPp scenarios for the end-to-end tests, built from small steps so a test reads
// as what the citizen does: dial, wait, press digits, hang up.
// Note: sipp replays the canned DTMF pcaps with their own RTP timestamps, so within
// one call a digit is only seen after a digit whose pcap sorts before it
// (1 then 4 works; 2 then 1, or 2 then 2, is dropped by Asterisk as old audio).
// A `keys` step has no such limit: its digits are pcaps re-stamped in order (dtmf.ts).
import { writeFileSync } from 'node:fs';
import { orderedDtmf } from './dtmf.js';
import { talkAudioFile } from './talk-audio.js';

export type CitizenStep =
  | { pause: number }
  | { dtmf: string }
  /** digits in any order (a PIN, then a menu choice): each one newer than the last (see dtmf.ts) */
  | { keys: string }
  /** wait for the hotline to hang up, answering its BYE */
  | { awaitBye: true }
  /** a line "<mark> <from> <date> <time> <epoch.micros>" in sipp's -log_file (benchmarks time steps by it) */
  | { mark: string };

const DTMF_DIR = '/usr/share/sip-tester';

function dtmfFile(d: string): string {
  const name = d === '*' ? 'star' : d === '#' ? 'pound' : d;
  return `${DTMF_DIR}/dtmf_2833_${name}.pcap`;
}

const SDP = `v=0
o=citizen 53655765 2353687637 IN IP[local_ip_type] [local_ip]
s=-
c=IN IP[media_ip_type] [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 0 101
a=rtpmap:0 PCMU/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-16
a=sendrecv`;

/** A citizen calling `to` from `from`, then doing `steps`, then hanging up (unless the hotline did). */
export function citizenScenario(opts: { from: string; to?: string; steps: CitizenStep[]; headers?: string[] }): string {
  const to = opts.to ?? '962200';
  const extra = (opts.headers ?? []).map((h) => `      ${h}\n`).join('');
  let body = '';
  let hungUpByHotline = false;
  let keyNo = 0;
  for (const step of opts.steps) {
    if ('pause' in step) body += `  <pause milliseconds="${step.pause}"/>\n`;
    else if ('mark' in step) body += `  <nop><action><log message="${step.mark} ${opts.from} [timestamp]"/></action></nop>\n`;
    else if ('dtmf' in step) {
      for (const d of step.dtmf) {
        body += `  <nop><action><exec play_pcap_audio="${dtmfFile(d)}"/></action></nop>\n  <pause milliseconds="400"/>\n`;
      }
    } else if ('keys' in step) {
      for (const d of step.keys) {
        body += `  <nop><action><exec play_pcap_audio="${orderedDtmf(d, keyNo++)}"/></action></nop>\n  <pause milliseconds="400"/>\n`;
      }
    } else if ('awaitBye' in step) {
      body += `  <recv request="BYE"/>\n  <send><![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0

    ]]></send>\n`;
      hungUpByHotline = true;
    }
  }
  const bye = hungUpByHotline
    ? ''
    : `  <send retrans="500"><![CDATA[
      BYE sip:${to}@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:${opts.from}@[local_ip]:[local_port]>;tag=[call_number]
      [last_To:]
      Call-ID: [call_id]
      CSeq: 2 BYE
      Contact: <sip:${opts.from}@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Length: 0

    ]]></send>
  <recv response="200" crlf="true"/>
`;
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="citizen">
  <send retrans="500"><![CDATA[
      INVITE sip:${to}@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: "Citizen" <sip:${opts.from}@[local_ip]:[local_port]>;tag=[call_number]
      To: <sip:${to}@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:${opts.from}@[local_ip]:[local_port]>
      Max-Forwards: 70
${extra}      Content-Type: application/sdp
      Content-Length: [len]

${SDP.split('\n').map((l) => '      ' + l).join('\n')}

    ]]></send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="200" rtd="true"/>
  <send><![CDATA[
      ACK sip:${to}@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:${opts.from}@[local_ip]:[local_port]>;tag=[call_number]
      [last_To:]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Contact: <sip:${opts.from}@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Length: 0

    ]]></send>
${body}${bye}</scenario>
`;
}

/**
 * A seat's phone: answers after `ringMs` (or rejects with `reject`, or never answers),
 * then waits for the hotline's BYE.
 */
export function seatScenario(opts: { ringMs?: number; reject?: number; noAnswer?: boolean; talkMs?: number; logInvites?: boolean; press?: { afterMs: number; digit: string } }): string {
  // sipp refuses a variable that is assigned but never used: capture only what this seat needs
  const captures = [
    ...(opts.talkMs
      ? [
          '<ereg regexp=".*" search_in="hdr" header="From:" check_it="true" assign_to="remote_from"/>',
          '<ereg regexp=".*" search_in="hdr" header="To:" check_it="true" assign_to="local_to"/>',
        ]
      : []),
    ...(opts.noAnswer ? ['<ereg regexp="[0-9]+" search_in="hdr" header="CSeq:" check_it="true" assign_to="invite_cseq"/>'] : []),
    // "invite <To> | <From> | <date> <time> <epoch.micros>" in sipp's -log_file, for benchmarks
    ...(opts.logInvites
      ? [
          '<ereg regexp=".*" search_in="hdr" header="To:" check_it="true" assign_to="invite_to"/>',
          '<ereg regexp=".*" search_in="hdr" header="From:" check_it="true" assign_to="invite_from"/>',
          '<log message="invite [$invite_to] | [$invite_from] | [timestamp]"/>',
        ]
      : []),
  ];
  const head = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="seat">
  <recv request="INVITE" crlf="true" rrs="true">${captures.length ? `
    <action>
      ${captures.join('\n      ')}
    </action>
  ` : ''}</recv>
`;
  const resp = (code: string, withSdp = false) => `  <send><![CDATA[
      SIP/2.0 ${code}
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:[local_ip]:[local_port];transport=[transport]>
${withSdp ? `      Content-Type: application/sdp\n      Content-Length: [len]\n\n${SDP.replace('citizen', 'seat').split('\n').map((l) => '      ' + l).join('\n')}\n` : '      Content-Length: 0\n'}
    ]]></send>
`;
  if (opts.reject) {
    return head + resp(`${opts.reject} Busy Here`) + '  <recv request="ACK"/>\n</scenario>\n';
  }
  if (opts.noAnswer) {
    return head + resp('180 Ringing') + `  <recv request="CANCEL"/>
  <send><![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0

    ]]></send>
  <send><![CDATA[
      SIP/2.0 487 Request Terminated
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      CSeq: [$invite_cseq] INVITE
      Content-Length: 0

    ]]></send>
  <recv request="ACK"/>
</scenario>
`;
  }
  return (
    head +
    resp('180 Ringing') +
    `  <pause milliseconds="${opts.ringMs ?? 200}"/>\n` +
    resp('200 OK', true) +
    `  <recv request="ACK" rtd="true" crlf="true"/>
` +
    // a screened seat: the far end presses a key during the whisper
    // (its key is RTP too: such a seat sends no talk, so the two streams do not mix)
    (opts.press
      ? `  <pause milliseconds="${opts.press.afterMs}"/>\n  <nop><action><exec play_pcap_audio="${dtmfFile(opts.press.digit)}"/></action></nop>\n`
      : // it talks until the call ends, as a phone sends audio every 20 ms (PCMU, looped)
        `  <nop><action><exec rtp_stream="${talkAudioFile()},-1,0"/></action></nop>\n`) +
    (opts.talkMs ? seatHangsUp(opts.talkMs) : `  <recv request="BYE"/>
  <send><![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0

    ]]></send>
`) +
    '</scenario>\n'
  );
}

/** The seat hangs up first: a BYE within the dialog the INVITE opened. */
function seatHangsUp(talkMs: number): string {
  return `  <pause milliseconds="${talkMs}"/>
  <send retrans="500"><![CDATA[
      BYE [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: [$local_to];tag=[pid]SIPpTag01[call_number]
      To: [$remote_from]
      Call-ID: [call_id]
      CSeq: 2 BYE
      Contact: <sip:[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Length: 0

    ]]></send>
  <recv response="200"/>
`;
}

export function writeScenario(path: string, xml: string): string {
  writeFileSync(path, xml);
  return path;
}
