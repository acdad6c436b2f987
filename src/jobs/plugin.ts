import fp from 'fastify-plugin';

// Placeholder: scheduled work (node-cron, Asia/Shanghai) is registered here.
export default fp(async () => {}, { name: 'jobs' });
