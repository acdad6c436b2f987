import WebSocket from 'ws';

export type Msg = { type: string; [k: string]: any };

export interface WsClient {
  ws: WebSocket;
  /** every message not yet taken by next() */
  messages: Msg[];
  /** takes the first message of this type, waiting up to `ms` for it */
  next(type: string, ms?: number): Promise<Msg>;
  /** the close code, once the server (or the test) closes the socket */
  closed: Promise<number>;
}

/** A websocket client for the live channels (/ws/supervisor, /ws/seat) that keeps every message. */
export function connect(url: string): Promise<WsClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const messages: Msg[] = [];
    const waiters: Array<() => void> = [];
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    ws.on('message', (d) => {
      messages.push(JSON.parse(d.toString()));
      waiters.splice(0).forEach((w) => w());
    });
    const next = (type: string, ms = 3000) =>
      new Promise<Msg>((res, rej) => {
        const timeout = setTimeout(() => rej(new Error(`no ${type} message`)), ms);
        const check = () => {
          const i = messages.findIndex((m) => m.type === type);
          if (i >= 0) {
            clearTimeout(timeout);
            res(messages.splice(i, 1)[0]);
          } else waiters.push(check);
        };
        check();
      });
    ws.once('open', () => resolve({ ws, messages, next, closed }));
    ws.once('unexpected-response', (req, res) => {
      // let the refused connection go, or the server waits for it on close
      res.resume();
      req.destroy();
      reject(new Error(`HTTP ${res.statusCode}`));
    });
    ws.on('error', reject);
  });
}
