import type { WebSocket } from 'ws';
import type { Actor } from '../shared/actor.js';
import type { HotlineBus } from '../shared/bus.js';

type Check = (token: string) => { actor: Actor; exp: number | null } | null;

interface Session {
  socket: WebSocket;
  token: string;
  userId: number;
  expiry: NodeJS.Timeout | null;
}

/** setTimeout's limit; a longer expiry is re-armed when it fires */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The sessions behind open websockets. A socket is closed (4401) when its token
 * expires, at once when its user's sessions are revoked (disabled, deleted, re-roled,
 * logged out), and on any message it sends once its token is no longer good.
 */
export class SocketSessions {
  private readonly sessions = new Map<WebSocket, Session>();

  constructor(
    bus: HotlineBus,
    private readonly check: Check,
  ) {
    bus.on('sessions.revoked', ({ userId }) => {
      for (const s of this.sessions.values()) if (s.userId === userId) this.end(s, 'session ended');
    });
  }

  /** Opens a socket's session: the actor, or null (the socket is then closed 4401). */
  open(socket: WebSocket, token: string | undefined): Actor | null {
    const found = token ? this.check(token) : null;
    if (!found || found.actor.userId === undefined) {
      socket.close(4401, 'a valid token is required');
      return null;
    }
    const session: Session = { socket, token: token!, userId: found.actor.userId, expiry: null };
    this.sessions.set(socket, session);
    if (found.exp !== null) this.armExpiry(session, found.exp);
    socket.on('message', () => {
      if (this.sessions.has(socket) && !this.check(session.token)) this.end(session, 'token no longer valid');
    });
    socket.on('close', () => this.forget(session));
    socket.on('error', () => this.forget(session));
    return found.actor;
  }

  /** Still good? (checked before pushing caller data to a socket) */
  stillValid(socket: WebSocket): boolean {
    const s = this.sessions.get(socket);
    return !!s && !!this.check(s.token);
  }

  closeAll(): void {
    for (const s of this.sessions.values()) this.forget(s);
  }

  private armExpiry(s: Session, exp: number): void {
    const wait = exp - Date.now();
    s.expiry = setTimeout(() => (wait > MAX_TIMER_MS ? this.armExpiry(s, exp) : this.end(s, 'token expired')), Math.max(0, Math.min(wait, MAX_TIMER_MS)));
    s.expiry.unref();
  }

  private end(s: Session, reason: string): void {
    this.forget(s);
    s.socket.close(4401, reason);
  }

  private forget(s: Session): void {
    if (s.expiry) clearTimeout(s.expiry);
    this.sessions.delete(s.socket);
  }
}
