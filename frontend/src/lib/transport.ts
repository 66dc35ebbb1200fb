// The one place that talks to the server: JSON and multipart HTTP with a
// bearer key or the session cookie, and the single shared WebSocket with
// reconnect. Everything above it goes through bindings.ts.

import type { LiveFrames, LiveType } from './wire';

/** An error answer (or no answer) from the server, with its message. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    message: string,
    /** Seconds from `Retry-After`, when the server sent one. */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }

  get isUnauthorized(): boolean {
    return this.status === 401;
  }
}

export interface RequestOptions {
  /** A JSON body. */
  json?: unknown;
  /** A multipart body. */
  form?: FormData;
  /** A 401 here means wrong credentials, not an ended session (sign-in). */
  anonymous?: boolean;
  /** Report failures only to the caller, not to the error listeners. */
  quiet?: boolean;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

type Listener<T> = (value: T) => void;

/** Listener sets that hand back their own unsubscribe function. */
class Listeners<T> {
  private readonly set = new Set<Listener<T>>();

  add(listener: Listener<T>): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }

  emit(value: T): void {
    for (const listener of [...this.set]) listener(value);
  }
}

export interface TransportConfig {
  /** Origin of the server, `''` for the page's own. */
  baseUrl?: string;
  /** Sign requests with this key instead of relying on the cookie. */
  apiKey?: string | null;
  fetch?: typeof fetch;
  /** Opens a WebSocket; tests pass a fake. */
  openSocket?: (url: string) => WebSocket;
}

export class Transport {
  private readonly baseUrl: string;
  private apiKey: string | null;
  private readonly fetchImpl: typeof fetch;
  private readonly unauthorized = new Listeners<ApiError>();
  private readonly errors = new Listeners<ApiError>();
  /** The shared live socket. */
  readonly live: LiveSocket;

  constructor(config: TransportConfig = {}) {
    this.baseUrl = config.baseUrl ?? '';
    this.apiKey = config.apiKey ?? null;
    this.fetchImpl = config.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.live = new LiveSocket({
      url: () => this.socketUrl(),
      open: config.openSocket ?? ((url) => new globalThis.WebSocket(url)),
      onPolicyClose: () => {
        this.unauthorized.emit(new ApiError(401, 'session ended'));
      },
      probe: () => this.probe(),
    });
  }

  setApiKey(key: string | null): void {
    this.apiKey = key;
  }

  /** Called on every 401 outside sign-in and when the socket is closed
   * for revoked credentials. */
  onUnauthorized(listener: Listener<ApiError>): () => void {
    return this.unauthorized.add(listener);
  }

  /** Called on every failed request that is not an expired session. */
  onError(listener: Listener<ApiError>): () => void {
    return this.errors.add(listener);
  }

  /** Sends a request and decodes the JSON answer.
   * @throws ApiError carrying the server's `{"error"}` message. */
  async request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
    try {
      return await this.send<T>(method, path, options);
    } catch (e) {
      const error = e instanceof ApiError ? e : new ApiError(0, 'server unreachable');
      if (error.isUnauthorized && !options.anonymous) this.unauthorized.emit(error);
      else if (!options.quiet) this.errors.emit(error);
      throw error;
    }
  }

  private async send<T>(method: Method, path: string, options: RequestOptions): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.apiKey) headers['Authorization'] = `Bearer ${this.apiKey}`;
    let body: BodyInit | undefined;
    if (options.form) body = options.form;
    else if (options.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.json);
    }

    const init: RequestInit = { method, headers, credentials: 'same-origin', cache: 'no-store' };
    if (body !== undefined) init.body = body;
    const response = await this.fetchImpl(this.baseUrl + path, init);
    const text = await response.text();
    if (!response.ok) throw errorFrom(response, text);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Asks a cheap gated route whether our credentials still hold; a 401
   * reaches the unauthorized listeners on its way. */
  private async probe(): Promise<void> {
    await this.request('GET', '/api/settings/save_path', { quiet: true }).catch(() => undefined);
  }

  private socketUrl(): string {
    const base = new URL(this.baseUrl || globalThis.location.origin);
    const scheme = base.protocol === 'http:' ? 'ws:' : 'wss:';
    const key = this.apiKey ? `&key=${encodeURIComponent(this.apiKey)}` : '';
    return `${scheme}//${base.host}/api/ws?delta=1${key}`;
  }
}

function errorFrom(response: Response, text: string): ApiError {
  let message = `request failed (${response.status})`;
  try {
    const body = JSON.parse(text) as { error?: unknown };
    if (typeof body.error === 'string' && body.error) message = body.error;
  } catch {
    // Not JSON (a proxy's page, say): keep the generic message.
  }
  const retry = Number(response.headers.get('Retry-After'));
  return new ApiError(response.status, message, Number.isFinite(retry) && retry > 0 ? retry : null);
}

/** Close code the server uses for revoked keys, logouts and expiry. */
export const CLOSE_POLICY = 1008;
/** Reconnect delays in ms; the last one repeats. */
export const RECONNECT_DELAYS = [500, 1000, 2000, 4000, 8000, 15000] as const;

export type LiveStatus = 'idle' | 'connecting' | 'open' | 'reconnecting';

interface LiveSocketHooks {
  url: () => string;
  open: (url: string) => WebSocket;
  onPolicyClose: () => void;
  probe: () => Promise<void>;
}

type Handler = (payload: never) => void;

/** The one WebSocket: typed frame handlers, reconnect with backoff, and
 * a stop on credentials the server no longer accepts. */
export class LiveSocket {
  private socket: WebSocket | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;
  private wanted = false;
  private current: LiveStatus = 'idle';
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly statuses = new Listeners<LiveStatus>();

  constructor(private readonly hooks: LiveSocketHooks) {}

  get status(): LiveStatus {
    return this.current;
  }

  /** Calls `handler` with the payload of every frame of `type`. */
  on<K extends LiveType>(type: K, handler: (payload: LiveFrames[K]) => void): () => void {
    const set = this.handlers.get(type) ?? new Set<Handler>();
    this.handlers.set(type, set);
    set.add(handler);
    return () => set.delete(handler);
  }

  onStatus(listener: Listener<LiveStatus>): () => void {
    return this.statuses.add(listener);
  }

  /** Connects, and keeps reconnecting until `stop`. */
  start(): void {
    if (this.wanted) return;
    this.wanted = true;
    this.attempt = 0;
    this.connect();
  }

  stop(): void {
    this.wanted = false;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      detach(socket);
      socket.close(1000);
    }
    this.setStatus('idle');
  }

  private connect(): void {
    this.setStatus(this.attempt === 0 ? 'connecting' : 'reconnecting');
    const socket = this.hooks.open(this.hooks.url());
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.setStatus('open');
    };
    socket.onmessage = (event: MessageEvent) => {
      this.dispatch(event.data);
    };
    socket.onclose = (event: CloseEvent) => {
      this.closed(socket, event.code);
    };
  }

  private closed(socket: WebSocket, code: number): void {
    if (socket !== this.socket) return;
    this.socket = null;
    if (code === CLOSE_POLICY) {
      this.stop();
      this.hooks.onPolicyClose();
      return;
    }
    if (!this.wanted) return;
    const delay = RECONNECT_DELAYS[Math.min(this.attempt, RECONNECT_DELAYS.length - 1)] ?? 15000;
    this.attempt += 1;
    this.setStatus('reconnecting');
    this.timer = setTimeout(() => void this.retry(), delay);
  }

  /** A refused upgrade looks like any dropped connection, so ask over HTTP
   * whether the session still holds before dialling again. */
  private async retry(): Promise<void> {
    this.timer = null;
    await this.hooks.probe();
    // stop() or a start() during the probe may have settled things already.
    if (this.wanted && this.socket === null) this.connect();
  }

  private dispatch(data: unknown): void {
    if (typeof data !== 'string') return;
    let frame: { type?: unknown; payload?: unknown };
    try {
      frame = JSON.parse(data) as typeof frame;
    } catch {
      return;
    }
    if (typeof frame.type !== 'string') return;
    const set = this.handlers.get(frame.type);
    if (!set) return;
    for (const handler of [...set]) handler(frame.payload as never);
  }

  private setStatus(status: LiveStatus): void {
    if (status === this.current) return;
    this.current = status;
    this.statuses.emit(status);
  }
}

function detach(socket: WebSocket): void {
  socket.onopen = null;
  socket.onmessage = null;
  socket.onclose = null;
}

/** The page's transport: same origin, cookie session. */
export const transport = new Transport();
