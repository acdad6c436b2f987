import t from 'tap';
import { CallflowConfigError, loadCallflow, validateIvr, validateQueues } from '../../src/calls/callflow-config.js';

t.test('the shipped IVR and queues are valid', async (t) => {
  const { ivr, queues } = loadCallflow();
  t.equal(ivr.start, 'main');
  t.same(Object.keys(ivr.menus.main.options).sort(), ['0', '1', '2', '3', '9']);
  t.ok(queues.queues.street, 'the street seats have a queue');
});

t.test('a bad IVR stops the start with a message naming the bad node', async (t) => {
  const { ivr, queues } = loadCallflow();
  const bad = (mutate: (c: any) => void) => {
    const copy = structuredClone(ivr) as any;
    mutate(copy);
    return () => validateIvr(copy, queues, 'ivr.json');
  };
  t.throws(bad((c) => (c.menus.main.options['1'] = 'nowhere')), new CallflowConfigError('ivr.json: menus.main.options.1: no menu "nowhere"'));
  t.throws(bad((c) => (c.menus.consultation.options['2'].queue = 'ghost')), new CallflowConfigError('ivr.json: menus.consultation.options.2: no queue "ghost"'));
  t.throws(bad((c) => (c.start = 'lobby')), new CallflowConfigError('ivr.json: start: no menu "lobby"'));
  t.throws(bad((c) => (c.menus.main.options['x'] = 'consultation')), /ivr\.json: menus\.main\.options/);
  t.throws(bad((c) => (c.digitTimeoutSeconds = 0)), /ivr\.json: digitTimeoutSeconds/);
  t.throws(bad((c) => delete c.menus.main.prompt), /ivr\.json: menus\.main/);
});

t.test('a bad queue file is refused too', async (t) => {
  const { queues } = loadCallflow();
  const copy = structuredClone(queues) as any;
  copy.queues.consultation.overflowTo = 'ghost';
  t.throws(() => validateQueues(copy, 'queues.json'), new CallflowConfigError('queues.json: queues.consultation.overflowTo: needs an existing queue'));
  t.throws(() => loadCallflow({ ivr: '/nonexistent/ivr.json' }), /ivr\.json: ENOENT/);
});
