// An in-memory Asterisk for the unit layer: it keeps channels (with their variables),
// bridges, playbacks and recordings, answers the REST calls the call path makes the way
// Asterisk 22 does (404 for a gone channel, 500 for an unreachable endpoint, ...), and
// sends ARI events in Asterisk's order, later (as over the websocket): hangup is
// ChannelHangupRequest -> StasisEnd -> ChannelDestroyed; a seat leg enters Stasis only
// when it answers; while no app is connected, events are lost and Stasis() fails.
// Not a mock: tests drive it as callers and phones would and look at its state.
import { AriError, type AriEventSource, type AriPort, type Bridge, type Channel, type LiveRecording, type Playback } from '../../src/ari/index.js';
import type { AriEvent, AriEventOf, AriEventType } from '../../src/ari/types.js';

interface DChannel {
  id: string;
  state: 'Ringing' | 'Up';
  caller: { number: string; name: string };
  /** Stasis args once in the app; null while a seat leg rings */
  args: string[] | null;
  vars: Map<string, string>;
  endpoint: string;
  createdAt: number;
  ringTimer?: NodeJS.Timeout;
}

interface DBridge {
  id: string;
  type: 'mixing' | 'holding';
  channels: string[];
  moh: boolean;
}

/** How a dialled endpoint behaves: rings until the test answers, or answers/refuses by itself. */
export type Phone = 'ring' | 'answer' | 'no_answer' | 'busy' | 'unreachable';

const NOW = () => Date.now();

export class AsteriskDouble implements AriPort, AriEventSource {
  readonly app = 'hotline';
  readonly channels = new Map<string, DChannel>();
  readonly bridges = new Map<string, DBridge>();
  private readonly bridgeIdsUsed = new Set<string>();
  readonly playbacks = new Map<string, { id: string; channel: string; media: string[] }>();
  readonly recordings = new Map<string, { name: string; target: string }>();
  /** a fault to drill: the dialplan step on answer cannot be entered */
  continueFails = false;
  /** recordings made by MixMonitor on a seat leg: file name -> the leg it was started on */
  readonly mixMonitors = new Map<string, string>();
  /** media played, per channel, in order */
  readonly played = new Map<string, string[][]>();
  /** endpoint -> behaviour when dialled (default 'ring') */
  readonly phones = new Map<string, Phone>();
  /** GET /channels order: 'reverse' lists the newest first (Asterisk promises no order) */
  listOrder: 'created' | 'reverse' = 'created';
  /** whether the server's app is connected (events reach it, Stasis() works) */
  connected = true;
  startupTime = NOW() - 3_600_000;
  private handlers = new Map<AriEventType, Array<(e: AriEvent) => void>>();
  private pending: AriEvent[] = [];
  private flushing: NodeJS.Immediate | null = null;
  private n = 0;

  // ------------------------------------------------------------------ events

  on<T extends AriEventType>(type: T, handler: (event: AriEventOf<T>) => void): this {
    const list = this.handlers.get(type) ?? [];
    list.push(handler as (e: AriEvent) => void);
    this.handlers.set(type, list);
    return this;
  }

  /** The server went away: its handlers are gone and the app is not connected. */
  disconnect(): void {
    this.handlers.clear();
    this.pending = [];
    this.connected = false;
  }

  reconnect(): void {
    this.connected = true;
  }

  private emit(e: AriEvent extends infer E ? (E extends AriEvent ? Omit<E, 'application' | 'timestamp'> : never) : never): void {
    if (!this.connected) return;
    this.pending.push({ ...e, application: this.app, timestamp: new Date().toISOString() } as AriEvent);
    this.flushing ??= setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushing = null;
    const batch = this.pending;
    this.pending = [];
    for (const e of batch) for (const h of this.handlers.get(e.type) ?? []) h(e);
  }

  /** True when no event waits to be delivered. */
  get idle(): boolean {
    return this.pending.length === 0 && !this.flushing;
  }

  // ------------------------------------------------------------------ what callers and phones do

  /** A citizen dials 962200: the dialplan answers and parks the call in the app (or it fails over). */
  dial(callerNumber: string, source: 'phone' | '12345' = 'phone'): string | null {
    if (!this.connected) return null; // Stasis() fails: the native fallback queue takes it
    const id = `caller-${++this.n}-${callerNumber}`;
    this.channels.set(id, { id, state: 'Up', caller: { number: callerNumber, name: '' }, args: ['inbound', source], vars: new Map(), endpoint: 'PJSIP/citizen', createdAt: NOW() });
    this.emit({ type: 'StasisStart', channel: this.json(id), args: ['inbound', source] });
    return id;
  }

  /** A phone calls the seat-state service number (962201): the dialplan parks it in the app with seatline. */
  dialSeatLine(callerNumber: string): string | null {
    if (!this.connected) return null;
    const id = `line-${++this.n}-${callerNumber}`;
    this.channels.set(id, { id, state: 'Up', caller: { number: callerNumber, name: '' }, args: ['seatline'], vars: new Map(), endpoint: 'PJSIP/street-gw', createdAt: NOW() });
    this.emit({ type: 'StasisStart', channel: this.json(id), args: ['seatline'] });
    return id;
  }

  press(channelId: string, digit: string): void {
    if (this.channels.has(channelId)) this.emit({ type: 'ChannelDtmfReceived', channel: this.json(channelId), digit, duration_ms: 100 });
  }

  /** The caller (or the seat) hangs up. */
  hangUp(channelId: string, cause = 16): void {
    this.destroy(channelId, cause, 'Normal Clearing');
  }

  /** The dialled seat picks up: its leg enters the app with the args it was originated with. */
  pickUp(legId: string): void {
    const ch = this.channels.get(legId);
    if (!ch || ch.args !== null || !ch.vars.has('__appArgs')) return;
    clearTimeout(ch.ringTimer);
    ch.state = 'Up';
    // while no app is connected Stasis() fails and the leg is hung up
    if (!this.connected) return this.destroy(legId, 16, 'Normal Clearing');
    ch.args = ch.vars.get('__appArgs')!.split(',');
    this.emit({ type: 'StasisStart', channel: this.json(legId), args: ch.args });
  }

  /** The dialled seat does not pick up (or is busy). */
  refuse(legId: string, cause: 'no_answer' | 'busy' = 'no_answer'): void {
    if (cause === 'busy') this.destroy(legId, 17, 'User busy');
    else this.destroy(legId, 19, 'No answer');
  }

  finishPlayback(playbackId: string): void {
    const p = this.playbacks.get(playbackId);
    if (!p) return;
    this.playbacks.delete(playbackId);
    this.emit({ type: 'PlaybackFinished', playback: this.playbackJson(p, 'done') });
  }

  /** Finishes whatever plays to a channel now. */
  finishPlaying(channelId: string): void {
    for (const p of [...this.playbacks.values()]) if (p.channel === channelId) this.finishPlayback(p.id);
  }

  finishRecording(name: string): void {
    if (!this.recordings.delete(name)) return;
    this.emit({ type: 'RecordingFinished', recording: { name, format: 'wav', target_uri: '', state: 'done' } });
  }

  /** Asterisk dies and starts again: every channel and bridge is gone, and nobody was told. */
  crashAndRestart(): void {
    for (const ch of this.channels.values()) clearTimeout(ch.ringTimer);
    this.channels.clear();
    this.bridges.clear();
    this.bridgeIdsUsed.clear();
    this.playbacks.clear();
    this.recordings.clear();
    this.pending = [];
    // a restart takes time: the new start is after every call of the old run, even one begun this millisecond
    this.startupTime = NOW() + 1;
  }

  /** Seat legs being dialled or talking (not in the app yet, or entered with seat args). */
  seatLegs(): string[] {
    return [...this.channels.values()].filter((c) => c.vars.has('__appArgs')).map((c) => c.id);
  }

  ringingLegs(): string[] {
    return [...this.channels.values()].filter((c) => c.vars.has('__appArgs') && c.state === 'Ringing').map((c) => c.id);
  }

  endpointOf(legId: string): string | undefined {
    return this.channels.get(legId)?.endpoint;
  }

  bridgeOf(channelId: string): DBridge | undefined {
    return [...this.bridges.values()].find((b) => b.channels.includes(channelId));
  }

  lastPlayed(channelId: string): string[] | undefined {
    return this.played.get(channelId)?.at(-1);
  }

  // ------------------------------------------------------------------ REST

  async info() {
    return { status: { startup_time: new Date(this.startupTime).toISOString(), last_reload_time: '' } };
  }

  async listChannels(): Promise<Channel[]> {
    const ids = [...this.channels.keys()];
    return (this.listOrder === 'reverse' ? ids.reverse() : ids).map((id) => this.json(id));
  }

  async answer(id: string): Promise<void> {
    this.need(id, 'POST', '/answer').state = 'Up';
  }

  async hangup(id: string): Promise<void> {
    // AriRest.hangup tolerates a gone channel
    this.destroy(id, 16, 'Normal Clearing');
  }

  async setVariable(id: string, variable: string, value: string): Promise<void> {
    this.need(id, 'POST', '/variable').vars.set(variable, value);
  }

  async getVariable(id: string, variable: string): Promise<string | null> {
    return this.channels.get(id)?.vars.get(variable) ?? null;
  }

  async play(channelId: string, playbackId: string, media: string | string[]): Promise<Playback> {
    this.need(channelId, 'POST', '/play');
    const list = Array.isArray(media) ? media : [media];
    const p = { id: playbackId, channel: channelId, media: list };
    this.playbacks.set(playbackId, p);
    this.played.set(channelId, [...(this.played.get(channelId) ?? []), list]);
    return this.playbackJson(p, 'queued');
  }

  async stopPlayback(playbackId: string): Promise<void> {
    const p = this.playbacks.get(playbackId);
    if (!p) return;
    this.playbacks.delete(playbackId);
    this.emit({ type: 'PlaybackFinished', playback: this.playbackJson(p, 'done') });
  }

  async originate(p: { endpoint: string; channelId: string; appArgs: string; timeout: number; callerId?: string; variables?: Record<string, string> }): Promise<Channel> {
    const phone = this.phones.get(p.endpoint) ?? 'ring';
    if (phone === 'unreachable') throw new AriError(500, 'POST', '/channels', 'Allocation failed');
    const vars = new Map([...Object.entries(p.variables ?? {}), ['__appArgs', p.appArgs]]);
    const ch: DChannel = { id: p.channelId, state: 'Ringing', caller: { number: p.callerId ?? '', name: '' }, args: null, vars, endpoint: p.endpoint, createdAt: NOW() };
    this.channels.set(ch.id, ch);
    ch.ringTimer = setTimeout(() => this.refuse(ch.id, 'no_answer'), p.timeout * 1000);
    ch.ringTimer.unref();
    if (phone === 'answer') setImmediate(() => this.pickUp(ch.id));
    if (phone === 'no_answer') setImmediate(() => this.refuse(ch.id, 'no_answer'));
    if (phone === 'busy') setImmediate(() => this.refuse(ch.id, 'busy'));
    return this.json(ch.id);
  }

  /**
   * Leaves the app for the dialplan. Only the seat legs' recording step exists here
   * (asterisk-config/extensions.conf hotline-seat-answered): MixMonitor on the leg, then
   * back into the app with HOTLINE_SEAT_ARGS.
   */
  async continueInDialplan(id: string, context: string): Promise<void> {
    if (this.continueFails) throw new AriError(500, 'POST', `/channels/${id}/continue`, 'Internal Server Error');
    const ch = this.need(id, 'POST', '/continue');
    if (ch.args === null) throw new AriError(409, 'POST', `/channels/${id}/continue`, 'Channel not in Stasis application');
    if (context !== 'hotline-seat-answered') throw new AriError(400, 'POST', `/channels/${id}/continue`, `no context ${context} in this double`);
    this.emit({ type: 'StasisEnd', channel: this.json(id) });
    ch.args = null;
    setImmediate(() => {
      if (!this.channels.has(id)) return;
      const name = ch.vars.get('HOTLINE_RECORDING');
      if (name) this.mixMonitors.set(name, id);
      if (!this.connected) return this.destroy(id, 16, 'Normal Clearing');
      ch.args = (ch.vars.get('HOTLINE_SEAT_ARGS') ?? '').split(',');
      this.emit({ type: 'StasisStart', channel: this.json(id), args: ch.args });
    });
  }

  async recordChannel(channelId: string, name: string): Promise<LiveRecording> {
    this.need(channelId, 'POST', '/record');
    this.recordings.set(name, { name, target: `channel:${channelId}` });
    return { name, format: 'wav', target_uri: `channel:${channelId}`, state: 'recording' };
  }

  async getLiveRecording(name: string): Promise<LiveRecording | null> {
    const r = this.recordings.get(name);
    return r ? { name, format: 'wav', target_uri: r.target, state: 'recording' } : null;
  }

  async snoop(channelId: string, snoopId: string, _spy: string, appArgs: string): Promise<Channel> {
    this.need(channelId, 'POST', '/snoop');
    this.channels.set(snoopId, { id: snoopId, state: 'Up', caller: { number: '', name: '' }, args: appArgs.split(','), vars: new Map(), endpoint: 'Snoop', createdAt: NOW() });
    return this.json(snoopId);
  }

  async createBridge(id: string, type: 'mixing' | 'holding'): Promise<Bridge> {
    // Asterisk answers 409 for an id it still knows, a just-destroyed bridge's included
    // (its topic lingers): here, any id used before since the last restart
    if (this.bridgeIdsUsed.has(id)) throw new AriError(409, 'POST', `/bridges/${id}`, `Bridge with id '${id}' already exists`);
    this.bridgeIdsUsed.add(id);
    this.bridges.set(id, { id, type, channels: [], moh: false });
    return this.bridgeJson(id);
  }

  async listBridges(): Promise<Bridge[]> {
    return [...this.bridges.keys()].map((id) => this.bridgeJson(id));
  }

  async getBridge(id: string): Promise<Bridge> {
    if (!this.bridges.has(id)) throw new AriError(404, 'GET', `/bridges/${id}`, 'Bridge not found');
    return this.bridgeJson(id);
  }

  async destroyBridge(id: string): Promise<void> {
    this.bridges.delete(id);
  }

  /** a slow Asterisk: joins of the holding bridge are answered this much later */
  holdingJoinDelayMs = 0;

  async addToBridge(bridgeId: string, channelId: string | string[]): Promise<void> {
    if (bridgeId === 'hotline-holding' && this.holdingJoinDelayMs) await new Promise((r) => setTimeout(r, this.holdingJoinDelayMs));
    const b = this.bridges.get(bridgeId);
    if (!b) throw new AriError(404, 'POST', `/bridges/${bridgeId}/addChannel`, 'Bridge not found');
    for (const id of Array.isArray(channelId) ? channelId : [channelId]) {
      const ch = this.channels.get(id);
      if (!ch) throw new AriError(400, 'POST', `/bridges/${bridgeId}/addChannel`, 'Channel not found');
      if (ch.args === null) throw new AriError(422, 'POST', `/bridges/${bridgeId}/addChannel`, 'Channel not in Stasis application');
      if (b.channels.includes(id)) continue;
      // a channel is in one bridge at a time: adding moves it
      for (const other of this.bridges.values()) other.channels = other.channels.filter((c) => c !== id);
      b.channels.push(id);
    }
  }

  async removeFromBridge(bridgeId: string, channelId: string): Promise<void> {
    const b = this.bridges.get(bridgeId);
    if (b) b.channels = b.channels.filter((c) => c !== channelId);
  }

  async startBridgeMoh(bridgeId: string): Promise<void> {
    const b = this.bridges.get(bridgeId);
    if (!b) throw new AriError(404, 'POST', `/bridges/${bridgeId}/moh`, 'Bridge not found');
    b.moh = true;
  }

  // ------------------------------------------------------------------ inside

  private need(id: string, method: string, what: string): DChannel {
    const ch = this.channels.get(id);
    if (!ch) throw new AriError(404, method, `/channels/${id}${what}`, 'Channel not found');
    return ch;
  }

  private destroy(id: string, cause: number, causeTxt: string): void {
    const ch = this.channels.get(id);
    if (!ch) return;
    clearTimeout(ch.ringTimer);
    const json = this.json(id);
    this.channels.delete(id);
    for (const b of this.bridges.values()) b.channels = b.channels.filter((c) => c !== id);
    for (const p of [...this.playbacks.values()]) if (p.channel === id) this.playbacks.delete(p.id);
    for (const r of [...this.recordings.values()]) {
      // a caller hanging up ends their message: it is kept
      if (r.target === `channel:${id}`) this.finishRecording(r.name);
    }
    this.emit({ type: 'ChannelHangupRequest', channel: json, cause });
    if (ch.args) this.emit({ type: 'StasisEnd', channel: json });
    this.emit({ type: 'ChannelDestroyed', channel: json, cause, cause_txt: causeTxt });
  }

  private json(id: string): Channel {
    const ch = this.channels.get(id)!;
    const inbound = ch.args?.[0] === 'inbound' || ch.args?.[0] === 'seatline';
    return {
      id,
      name: `${ch.endpoint}-${id}`,
      state: ch.state,
      caller: ch.caller,
      connected: { number: '', name: '' },
      accountcode: '',
      dialplan: inbound ? { context: 'hotline', exten: '962200', priority: 3, app_name: 'Stasis', app_data: `${this.app},${ch.args!.join(',')}` } : { context: 'default', exten: 's', priority: 1 },
      creationtime: new Date(ch.createdAt).toISOString(),
      language: 'zh',
    };
  }

  private bridgeJson(id: string): Bridge {
    const b = this.bridges.get(id)!;
    return { id, technology: b.type === 'holding' ? 'holding_bridge' : 'simple_bridge', bridge_type: b.type, bridge_class: 'stasis', name: id, channels: [...b.channels] };
  }

  private playbackJson(p: { id: string; channel: string; media: string[] }, state: Playback['state']): Playback {
    return { id: p.id, media_uri: p.media.at(-1) ?? '', target_uri: `channel:${p.channel}`, state };
  }
}
