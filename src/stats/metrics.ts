import { timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { HttpError } from '../shared/errors.js';
import { sql } from 'drizzle-orm';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { tickets } from '../tickets/schema.js';
import { calendarOutlook } from '../calendar/readiness.js';
import { recordingsDiskUse } from '../recordings/disk.js';

/** What other features record into the metrics (services container: `s.metrics`). */
export interface MetricsRecorder {
  ariRequest(method: string, route: string, status: number, ms: number, over?: 'socket' | 'http'): void;
  ariEvent(type: string): void;
}

/**
 * GET /metrics in Prometheus text (prom-client): process and event-loop lag, calls in
 * progress, queue sizes, ARI connection and request latency, tickets by status.
 * Gauges are read when scraped, so nothing is kept in step by hand.
 */
export default fp(
  async (app) => {
    const registry = new Registry();
    registry.setDefaultLabels({ app: 'hotline-962200' });
    // includes nodejs_eventloop_lag_seconds. Its monitor samples the loop on a timer;
    // prom-client's default 10 ms wakes an idle server 100 times a second, which on the
    // call path was some 0.3 ms of CPU per call at 20 calls/s. 100 ms still shows a
    // loop blocked for a fraction of a second.
    collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 100 });
    const s = app.services;

    new Gauge({
      name: 'hotline_calls_in_progress',
      help: 'Citizens\' calls in the Stasis app now',
      registers: [registry],
      collect() {
        this.set(s.liveCalls.liveCount());
      },
    });
    new Gauge({
      name: 'hotline_queue_waiting',
      help: 'Callers waiting per queue',
      labelNames: ['queue'],
      registers: [registry],
      collect() {
        this.reset();
        for (const q of Object.keys(s.callflow?.queues.queues ?? {})) this.set({ queue: q }, s.liveCalls.waitingIn(q).length);
      },
    });
    new Gauge({
      name: 'hotline_db_wal_frames',
      help: 'Frames in the SQLite WAL at the last checkpoint (db/checkpointer.ts); growing: checkpoints cannot keep up',
      registers: [registry],
      collect() {
        this.set(s.walCheckpoints?.last?.log ?? 0);
      },
    });
    new Gauge({
      name: 'hotline_ari_connected',
      help: '1 when the ARI websocket is connected',
      registers: [registry],
      collect() {
        this.set(s.ari?.connected ? 1 : 0);
      },
    });
    new Gauge({
      name: 'hotline_ari_rest_lanes_open',
      help: 'Websockets carrying ARI REST requests (ARI_REST_LANES); at 0 the requests go over HTTP',
      registers: [registry],
      collect() {
        this.set(s.ari?.restLanesOpen ?? 0);
      },
    });
    new Gauge({
      name: 'hotline_calendar_provisional_years',
      help: 'Years deadlines reach now (this year; next year from 1 November) with no holiday notice loaded: their deadlines are provisional',
      registers: [registry],
      collect() {
        this.set(calendarOutlook(s.calendar.calendar(), s.now()).provisionalYears.length);
      },
    });
    new Gauge({
      name: 'hotline_tickets',
      help: 'Tickets by status',
      labelNames: ['status'],
      registers: [registry],
      collect() {
        this.reset();
        const rows = s.db.select({ status: tickets.status, n: sql<number>`count(*)` }).from(tickets).groupBy(tickets.status).all();
        for (const r of rows) this.set({ status: r.status }, Number(r.n));
      },
    });
    // the recordings' disk use (RECORDINGS_DIR), walked at most once a minute
    const recordingsDisk = recordingsDiskUse(s.config.recordingsDir);
    new Gauge({
      name: 'hotline_recordings_bytes',
      help: 'Disk used by call recordings and voice messages in Asterisk\'s recordings folder (RECORDINGS_DIR)',
      registers: [registry],
      async collect() {
        this.set((await recordingsDisk()).bytes);
      },
    });
    new Gauge({
      name: 'hotline_recordings_files',
      help: 'Recording files in Asterisk\'s recordings folder (RECORDINGS_DIR)',
      registers: [registry],
      async collect() {
        this.set((await recordingsDisk()).files);
      },
    });
    const ariLatency = new Histogram({
      name: 'hotline_ari_request_seconds',
      help: 'ARI REST request latency',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
      registers: [registry],
    });
    // every call transition, as the notifier sends it
    const transitions = new Counter({ name: 'hotline_call_transitions_total', help: 'Call state transitions', labelNames: ['from', 'to'], registers: [registry] });
    // labelled children kept: prom-client hashes and checks the labels on every call otherwise (some 25 times a call)
    const children = new Map<string, { inc(): void } | { observe(v: number): void }>();
    const child = <C>(key: string, make: () => C): C => {
      let c = children.get(key) as C | undefined;
      if (!c) children.set(key, (c = make()) as never);
      return c;
    };
    s.bus.on('call.changed', (e) => child(`t ${e.from} ${e.to}`, () => transitions.labels(e.from ?? 'none', e.to)).inc());
    const ariErrors = new Counter({ name: 'hotline_ari_request_errors_total', help: 'ARI requests that failed or timed out', labelNames: ['route'], registers: [registry] });

    const overHttp = new Counter({ name: 'hotline_ari_requests_over_http_total', help: 'ARI requests sent over HTTP (no websocket lane idle or open, or ARI_REST_LANES=0)', registers: [registry] });

    const ariEvents = new Counter({ name: 'hotline_ari_events_total', help: 'ARI events received (after the application event filter)', labelNames: ['type'], registers: [registry] });

    s.metrics = {
      ariRequest(method: string, route: string, status: number, ms: number, over?: 'socket' | 'http') {
        child(`l ${method} ${route} ${status}`, () => ariLatency.labels(method, route, String(status))).observe(ms / 1000);
        if (over === 'http') overHttp.inc();
        if (status === 0 || status >= 500) ariErrors.inc({ route });
      },
      ariEvent(type: string) {
        child(`e ${type}`, () => ariEvents.labels(type)).inc();
      },
    };

    // the scraper's own token (METRICS_TOKEN), not a user's: without one configured, loopback only
    const allowed = (req: FastifyRequest) => {
      const want = s.config.metricsToken;
      const got = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
      if (want && got) return got.length === want.length && timingSafeEqual(Buffer.from(got), Buffer.from(want));
      return !want && isLoopback(req.ip);
    };
    app.get('/metrics', { config: { public: true }, schema: { tags: ['ops'], summary: 'Prometheus metrics (METRICS_TOKEN as a bearer token, or from loopback when none is set)', hide: true } }, async (req, reply) => {
      if (!allowed(req)) throw new HttpError(401, 'unauthorized', '需要 METRICS_TOKEN（Authorization: Bearer）或从本机访问');
      reply.header('content-type', registry.contentType);
      return registry.metrics();
    });
  },
  { name: 'metrics' },
);

function isLoopback(ip: string): boolean {
  return ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1' || ip.startsWith('127.');
}
