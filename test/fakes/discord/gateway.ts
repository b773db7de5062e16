import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { API_VERSION, GatewayCloseCode, GatewayOp } from './constants';
import { snowflake } from './snowflake';
import type { GatewaySessionInfo, IdentifyRecord } from './types';

export interface Dispatch {
  t: string;
  d: unknown;
}

/** What the gateway asks of the world it serves. */
export interface GatewayHooks {
  heartbeatIntervalMs: number;
  resumeGatewayUrl(): string;
  enabledPrivilegedIntents: number;
  privilegedIntents: number;
  acceptToken(token: string): boolean;
  /** READY's data minus the session fields, and the dispatches that follow it (one GUILD_CREATE per guild). */
  greet(session: GatewaySession): { ready: Record<string, unknown>; then: Dispatch[] };
  /** Answers to op 8 Request Guild Members. */
  memberChunks(session: GatewaySession, request: Record<string, unknown>): Dispatch[];
  changed(): void;
}

/** Events kept for replay on RESUME; an older sequence than this can no longer resume. */
const REPLAY_LIMIT = 1000;

export class GatewaySession {
  readonly id = snowflake();
  sequence = 0;
  socket: WebSocket | null = null;
  invalidated = false;
  resumes = 0;
  readonly replayLog: { s: number; t: string; d: unknown }[] = [];

  constructor(
    readonly token: string,
    readonly intents: number,
  ) {}

  hasIntent(bit: number): boolean {
    return (this.intents & bit) === bit;
  }

  get connected(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  info(): GatewaySessionInfo {
    return {
      sessionId: this.id,
      intents: this.intents,
      sequence: this.sequence,
      connected: this.connected,
      invalidated: this.invalidated,
      resumes: this.resumes,
    };
  }
}

interface Connection {
  socket: WebSocket;
  path: string;
  session?: GatewaySession;
}

export interface ReceivedGatewayPayload {
  op: number;
  d: unknown;
  sessionId: string | undefined;
  at: number;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The gateway half of the fake: HELLO, IDENTIFY/READY, heartbeats, RESUME with replay, and dispatches. */
export class FakeGateway {
  private readonly server = new WebSocketServer({ noServer: true });
  private readonly connections = new Set<Connection>();
  readonly sessions = new Map<string, GatewaySession>();
  readonly identifies: IdentifyRecord[] = [];
  readonly received: ReceivedGatewayPayload[] = [];
  /** Paths clients connected to, in order: the first is the gateway URL, later ones show where resumes went. */
  readonly connectionPaths: string[] = [];
  resumeCount = 0;

  constructor(private readonly hooks: GatewayHooks) {}

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.server.handleUpgrade(request, socket, head, (ws) => this.accept(ws, request));
  }

  private accept(socket: WebSocket, request: IncomingMessage): void {
    const url = new URL(request.url ?? '/', 'http://fake');
    const connection: Connection = { socket, path: url.pathname };
    this.connections.add(connection);
    this.connectionPaths.push(url.pathname);
    socket.on('message', (raw, isBinary) => this.receive(connection, raw, isBinary));
    socket.on('close', (code) => this.closed(connection, code));
    socket.on('error', () => undefined);

    if (url.searchParams.get('v') !== String(API_VERSION)) {
      socket.close(GatewayCloseCode.InvalidApiVersion, 'Invalid API version');
      return;
    }
    const encoding = url.searchParams.get('encoding') ?? 'json';
    if (encoding !== 'json') {
      socket.close(GatewayCloseCode.DecodeError, 'Only the json encoding is faked');
      return;
    }
    // zlib-stream is ignored: discord.js parses text frames as plain JSON whatever it asked for.
    this.send(connection, { op: GatewayOp.Hello, d: { heartbeat_interval: this.hooks.heartbeatIntervalMs, _trace: ['["fake-gateway",{}]'] } });
    this.hooks.changed();
  }

  private send(connection: Connection, payload: Json): void {
    if (connection.socket.readyState === WebSocket.OPEN) connection.socket.send(JSON.stringify(payload));
  }

  private receive(connection: Connection, raw: RawData, isBinary: boolean): void {
    let payload: unknown;
    try {
      payload = isBinary ? undefined : JSON.parse(raw.toString());
    } catch {
      payload = undefined;
    }
    if (!isObject(payload) || typeof payload.op !== 'number') {
      connection.socket.close(GatewayCloseCode.DecodeError, 'Error while decoding payload.');
      return;
    }
    this.received.push({ op: payload.op, d: payload.d, sessionId: connection.session?.id, at: Date.now() });
    const data = isObject(payload.d) ? payload.d : {};
    switch (payload.op) {
      case GatewayOp.Heartbeat:
        this.send(connection, { op: GatewayOp.HeartbeatAck });
        break;
      case GatewayOp.Identify:
        this.identify(connection, data);
        break;
      case GatewayOp.Resume:
        this.resume(connection, data);
        break;
      case GatewayOp.RequestGuildMembers:
        if (!connection.session) return this.notAuthenticated(connection);
        for (const chunk of this.hooks.memberChunks(connection.session, data)) this.dispatchTo(connection.session, chunk);
        break;
      case GatewayOp.PresenceUpdate:
      case GatewayOp.VoiceStateUpdate:
        if (!connection.session) return this.notAuthenticated(connection);
        break;
      default:
        connection.socket.close(GatewayCloseCode.UnknownOpcode, 'Unknown opcode.');
    }
    this.hooks.changed();
  }

  private notAuthenticated(connection: Connection): void {
    connection.socket.close(GatewayCloseCode.NotAuthenticated, 'Not authenticated.');
  }

  private identify(connection: Connection, data: Json): void {
    if (connection.session) {
      connection.socket.close(GatewayCloseCode.AlreadyAuthenticated, 'Already authenticated.');
      return;
    }
    const token = typeof data.token === 'string' ? data.token : '';
    if (!this.hooks.acceptToken(token)) {
      connection.socket.close(GatewayCloseCode.AuthenticationFailed, 'Authentication failed.');
      return;
    }
    const shard = Array.isArray(data.shard) ? (data.shard as [number, number]) : undefined;
    if (shard && (shard[1] !== 1 || shard[0] !== 0)) {
      connection.socket.close(GatewayCloseCode.InvalidShard, 'Invalid shard.');
      return;
    }
    if (typeof data.intents !== 'number') {
      connection.socket.close(GatewayCloseCode.InvalidIntents, 'Invalid intent(s).');
      return;
    }
    const privileged = data.intents & this.hooks.privilegedIntents;
    if ((privileged & ~this.hooks.enabledPrivilegedIntents) !== 0) {
      connection.socket.close(GatewayCloseCode.DisallowedIntents, 'Disallowed intent(s).');
      return;
    }

    const session = new GatewaySession(token, data.intents);
    session.socket = connection.socket;
    connection.session = session;
    this.sessions.set(session.id, session);
    this.identifies.push({
      token,
      intents: data.intents,
      shard,
      properties: data.properties,
      presence: data.presence,
      sessionId: session.id,
      at: Date.now(),
    });

    const { ready, then } = this.hooks.greet(session);
    this.dispatchTo(session, {
      t: 'READY',
      d: {
        v: API_VERSION,
        ...ready,
        session_id: session.id,
        session_type: 'normal',
        resume_gateway_url: this.hooks.resumeGatewayUrl(),
        shard: shard ?? [0, 1],
        _trace: ['["fake-gateway",{}]'],
      },
    });
    for (const dispatch of then) this.dispatchTo(session, dispatch);
  }

  private resume(connection: Connection, data: Json): void {
    if (connection.session) {
      connection.socket.close(GatewayCloseCode.AlreadyAuthenticated, 'Already authenticated.');
      return;
    }
    const session = typeof data.session_id === 'string' ? this.sessions.get(data.session_id) : undefined;
    const seq = typeof data.seq === 'number' ? data.seq : -1;
    const oldest = session?.replayLog[0]?.s ?? (session ? session.sequence + 1 : 0);
    const resumable =
      session !== undefined &&
      !session.invalidated &&
      session.token === data.token &&
      seq <= session.sequence &&
      seq >= oldest - 1;
    if (!resumable) {
      // d: false tells the client to start over with IDENTIFY.
      this.send(connection, { op: GatewayOp.InvalidSession, d: false });
      return;
    }
    if (session.socket && session.socket !== connection.socket && session.socket.readyState === WebSocket.OPEN) {
      session.socket.close(GatewayCloseCode.SessionTimedOut, 'Session resumed elsewhere.');
    }
    session.socket = connection.socket;
    connection.session = session;
    for (const entry of session.replayLog) {
      if (entry.s > seq) this.send(connection, { op: GatewayOp.Dispatch, t: entry.t, s: entry.s, d: entry.d });
    }
    session.resumes += 1;
    this.resumeCount += 1;
    this.dispatchTo(session, { t: 'RESUMED', d: { _trace: ['["fake-gateway",{}]'] } });
  }

  private closed(connection: Connection, code: number): void {
    this.connections.delete(connection);
    const session = connection.session;
    if (session && session.socket === connection.socket) {
      session.socket = null;
      // A client closing with 1000/1001 ends its session for good; other codes leave it resumable.
      if (code === 1000 || code === 1001) session.invalidated = true;
    }
    this.hooks.changed();
  }

  /** Sends to one session now, or keeps it for replay when the session is between connections. */
  private dispatchTo(session: GatewaySession, dispatch: Dispatch): void {
    session.sequence += 1;
    const entry = { s: session.sequence, t: dispatch.t, d: dispatch.d };
    session.replayLog.push(entry);
    if (session.replayLog.length > REPLAY_LIMIT) session.replayLog.shift();
    if (session.connected) session.socket!.send(JSON.stringify({ op: GatewayOp.Dispatch, ...entry }));
  }

  /**
   * Dispatches to every live session; `dataFor` may tailor the payload per session (intents) or return
   * undefined to skip it. Returns how many sessions it went to (sent now or queued for their resume).
   */
  dispatch(t: string, dataFor: (session: GatewaySession) => unknown): number {
    let delivered = 0;
    for (const session of this.sessions.values()) {
      if (session.invalidated) continue;
      const d = dataFor(session);
      if (d === undefined) continue;
      this.dispatchTo(session, { t, d });
      delivered += 1;
    }
    return delivered;
  }

  /** Sends a raw opcode payload to every open, authenticated connection. */
  sendOp(op: number, d: unknown): number {
    let sent = 0;
    for (const connection of this.connections) {
      if (!connection.session) continue;
      this.send(connection, { op, d });
      sent += 1;
    }
    return sent;
  }

  /** Closes every socket with `code`, or cuts them without a close frame ('terminate': the client sees 1006). */
  dropConnections(code: number | 'terminate'): number {
    const open = [...this.connections];
    for (const connection of open) {
      if (code === 'terminate') connection.socket.terminate();
      else connection.socket.close(code, 'Dropped by FakeDiscord');
    }
    return open.length;
  }

  get connectionCount(): number {
    return [...this.connections].filter((connection) => connection.socket.readyState === WebSocket.OPEN).length;
  }

  async close(): Promise<void> {
    for (const connection of this.connections) connection.socket.terminate();
    this.connections.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
