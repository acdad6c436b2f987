import Fastify, { type FastifyInstance } from 'fastify';
import { Ajv, type Options as AjvOptions } from 'ajv';
import ajvFormats from 'ajv-formats';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { assertProductionSecrets, loadConfig, type Config } from './config.js';
import { openDatabase, type Db } from './db/index.js';
import { startCheckpointer } from './db/checkpointer.js';
import { createServices } from './services.js';
import errors from './plugins/errors.js';
import securityHeaders from './plugins/security-headers.js';
import inputChecks from './plugins/input-checks.js';
import connections, { checkingInterval } from './plugins/connections.js';
import { loggerOptions } from './plugins/logging.js';
import { resolveJwtSecret } from './auth/secret.js';
import callerProbes from './auth/probes.js';
import auditRoutes from './auth/audit-routes.js';
import openapi from './plugins/openapi.js';
import health from './plugins/health.js';
import auth from './auth/plugin.js';
import authRoutes from './auth/routes.js';
import ticketRoutes from './tickets/routes.js';
import ticketLifecycleRoutes from './tickets/lifecycle-routes.js';
import calls from './calls/plugin.js';
import callRoutes from './calls/routes.js';
import calendarRoutes from './calendar/routes.js';
import kbRoutes from './kb/routes.js';
import intakeRoutes from './intake/routes.js';
import seatRoutes from './seats/routes.js';
import seatAdminRoutes from './seats/admin-routes.js';
import registryRoutes from './registry/routes.js';
import statsRoutes from './stats/routes.js';
import categoryRoutes from './taxonomy/routes.js';
import unitStatsRoutes from './stats/unit-routes.js';
import jobs from './jobs/plugin.js';
import metrics from './stats/metrics.js';
import supervisorWs from './stats/supervisor-ws.js';
import deskWs from './seats/desk-ws.js';
import web from './web/plugin.js';
import alerts from './alerts/plugin.js';
import mailOut from './mailout/plugin.js';
import recordingRoutes from './recordings/routes.js';
import qualityRoutes from './quality/routes.js';

export interface BuildOptions {
  config?: Partial<Config>;
  /** an open database (tests share one); default: DB_PATH */
  db?: Db;
  /** false: no Asterisk (API-only tests) */
  telephony?: boolean;
  /** false: no scheduled jobs */
  jobs?: boolean;
  now?: () => number;
  logger?: boolean | object;
}

// Query strings, params and headers arrive as text, so they are coerced to the schema's
// types; JSON bodies are checked as sent: `"content": 42` or `"seatId": true` is a 400,
// not quietly stored as "42" / "true".
const ajv = (coerceTypes: AjvOptions['coerceTypes']) => ajvFormats.default(new Ajv({ coerceTypes, useDefaults: true, removeAdditional: false, allErrors: false, strict: false, verbose: true }));
const textAjv = ajv('array');
const bodyAjv = ajv(false);
const requestValidator = ({ schema, httpPart }: { schema: object; httpPart?: string }) => (httpPart === 'body' ? bodyAjv : textAjv).compile(schema);

/** TRUST_PROXY=<n>: the n nearest hops are our proxies (the client is the address before them). */
const trustHops = (n: number) => (_address: string, hop: number) => hop < n;

/** Builds the whole hotline app; server.ts only listens. Tests use app.inject. */
export async function buildApp(opts: BuildOptions = {}): Promise<FastifyInstance> {
  const config = loadConfig(process.env, opts.config);
  config.jwtSecret = resolveJwtSecret(config);
  assertProductionSecrets(config);
  const db = opts.db ?? openDatabase(config.dbPath);

  const logger = opts.logger === false ? false : loggerOptions(typeof opts.logger === 'object' ? opts.logger : { level: config.logLevel });
  const app = Fastify({
    logger,
    // X-Forwarded-For is believed only from the configured proxy hops (TRUST_PROXY)
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    bodyLimit: 1024 * 1024,
    requestTimeout: config.limits.requestTimeoutMs,
    http: { connectionsCheckingInterval: checkingInterval(config.limits.requestTimeoutMs) },
    connectionTimeout: 0,
    keepAliveTimeout: 10_000,
    routerOptions: { maxParamLength: 200 },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(requestValidator);

  app.decorate('services', createServices(config, db, app.log, opts.now));
  if (!opts.db) {
    // the app that opened the file checkpoints it, off the request thread (db/checkpointer.ts);
    // started once the app is ready: an app that fails to build leaves no thread behind
    if (config.dbCheckpointMs > 0 && config.dbPath !== ':memory:') {
      app.addHook('onReady', async () => {
        app.services.walCheckpoints = startCheckpointer(db, { everyMs: config.dbCheckpointMs, onProblem: (m) => app.log.warn(m) });
      });
    }
    app.addHook('onClose', async () => {
      await app.services.walCheckpoints?.stop();
      db.$client.close();
    });
  }

  await app.register(errors);
  await app.register(connections, { perClient: config.limits.connectionsPerClient, requestTimeoutMs: config.limits.requestTimeoutMs });
  await app.register(securityHeaders);
  // auth registers @fastify/rate-limit after its own onRoute hook (limits on every anonymous route)
  await app.register(auth, { secret: config.jwtSecret, anonymousPerMinute: config.limits.anonymousPerMinute });
  await app.register(inputChecks);
  await app.register(callerProbes);
  await app.register(openapi, { ui: config.docsEnabled });
  await app.register(health);
  await app.register(metrics);
  await app.register(supervisorWs);
  await app.register(deskWs); // after supervisorWs: it registers @fastify/websocket
  await app.register(web);
  await app.register(authRoutes);
  await app.register(auditRoutes);
  await app.register(ticketRoutes);
  await app.register(ticketLifecycleRoutes);
  await app.register(calendarRoutes);
  await app.register(kbRoutes);
  await app.register(intakeRoutes);
  await app.register(seatRoutes);
  await app.register(seatAdminRoutes);
  await app.register(registryRoutes);
  await app.register(callRoutes);
  await app.register(statsRoutes);
  await app.register(unitStatsRoutes);
  await app.register(categoryRoutes);
  await app.register(alerts);
  await app.register(mailOut);
  await app.register(recordingRoutes);
  await app.register(qualityRoutes);
  if (opts.telephony !== false) await app.register(calls);
  if (opts.jobs !== false) await app.register(jobs);

  return app;
}
