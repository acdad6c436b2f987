import { buildApp } from './app.js';

// Starts the hotline server; everything else is in app.ts.
let app: Awaited<ReturnType<typeof buildApp>>;
try {
  app = await buildApp();
} catch (err) {
  // a refusal (weak secrets, bad setting, call flow config) is one clear line, not a stack
  console.error(`hotline: cannot start: ${(err as Error).message}`);
  process.exit(1);
}
const { host, port } = app.services.config;

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    // stop taking requests, disconnect from ARI (calls stay in Asterisk), close the DB
    app.close().then(
      () => process.exit(0),
      (err) => {
        app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}

try {
  await app.listen({ host, port });
} catch (err) {
  app.log.error({ err }, 'could not start');
  process.exit(1);
}
