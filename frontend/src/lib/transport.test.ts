// The transport against fake fetch and WebSocket implementations: headers,
// bodies, error decoding, 401 routing, and the live socket's dispatch,
// reconnect, probe and policy close.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { ApiError, CLOSE_POLICY, RECONNECT_DELAYS, Transport } from './transport';

interface Call {
  url: string;
  init: RequestInit;
}

function fakeFetch(answers: Response[]): { fetch: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  const fake: typeof globalThis.fetch = (url, init) => {
    // The transport always passes a string URL.
    calls.push({ url: url as string, init: init ?? {} });
    const next = answers.shift();
    return next ? Promise.resolve(next) : Promise.reject(new TypeError('network down'));
  };
  return { fetch: fake, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers });

describe('requests', () => {
  it('sends JSON with the bearer key and decodes the answer', async () => {
    // Proves method, path, headers and body reach fetch as the API expects.
    const { fetch, calls } = fakeFetch([json(200, { id: 'abc' })]);
    const t = new Transport({ baseUrl: 'https://h:1', apiKey: 'k3y', fetch });
    const answer = await t.request<{ id: string }>('POST', '/api/x', { json: { a: 1 } });
    expect(answer).toEqual({ id: 'abc' });
    expect(calls[0]?.url).toBe('https://h:1/api/x');
    expect(calls[0]?.init.method).toBe('POST');
    expect(calls[0]?.init.credentials).toBe('same-origin');
    expect(calls[0]?.init.headers).toMatchObject({
      Authorization: 'Bearer k3y',
      'Content-Type': 'application/json',
      Accept: 'application/json',
    });
    expect(calls[0]?.init.body).toBe('{"a":1}');
  });

  it('relies on the cookie when there is no key and sends forms as they are', async () => {
    // Proves cookie sessions add no Authorization and multipart keeps the
    // browser's own content type.
    const { fetch, calls } = fakeFetch([json(200, { ok: true })]);
    const t = new Transport({ fetch });
    const form = new FormData();
    form.append('paused', 'true');
    await t.request('POST', '/api/torrents/file', { form });
    const headers = calls[0]?.init.headers as Record<string, string>;
    expect(headers['Authorization']).toBeUndefined();
    expect(headers['Content-Type']).toBeUndefined();
    expect(calls[0]?.init.body).toBe(form);
  });

  it('turns error answers into ApiError with the server message', async () => {
    // Proves the {"error"} body, the status and Retry-After are kept, and
    // the error listeners hear about it.
    const { fetch } = fakeFetch([
      json(429, { error: 'too many login attempts' }, { 'Retry-After': '12' }),
    ]);
    const t = new Transport({ fetch });
    const heard: ApiError[] = [];
    t.onError((e) => heard.push(e));
    const error = await t
      .request('POST', '/api/login', { anonymous: true })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 429,
      message: 'too many login attempts',
      retryAfter: 12,
    });
    expect(heard).toHaveLength(1);
  });

  it('keeps a generic message for bodies that are not JSON and for no answer', async () => {
    // Proves a proxy's HTML page or a dead server still gives a message.
    const { fetch } = fakeFetch([new Response('<h1>Bad gateway</h1>', { status: 502 })]);
    const t = new Transport({ fetch });
    await expect(t.request('GET', '/api/stats')).rejects.toMatchObject({
      status: 502,
      message: 'request failed (502)',
    });
    await expect(t.request('GET', '/api/stats')).rejects.toMatchObject({
      status: 0,
      message: 'server unreachable',
    });
  });

  it('sends 401s to the unauthorized listeners, except for sign-in', async () => {
    // Proves an expired session is routed to sign-in while a refused
    // password is only the caller's business.
    const { fetch } = fakeFetch([
      json(401, { error: 'unauthorized' }),
      json(401, { error: 'invalid credentials' }),
    ]);
    const t = new Transport({ fetch });
    const expired = vi.fn();
    const errors = vi.fn();
    t.onUnauthorized(expired);
    t.onError(errors);
    await t.request('GET', '/api/torrents').catch(() => undefined);
    expect(expired).toHaveBeenCalledTimes(1);
    expect(errors).not.toHaveBeenCalled();
    await t.request('POST', '/api/login', { anonymous: true, quiet: true }).catch(() => undefined);
    expect(expired).toHaveBeenCalledTimes(1);
    expect(errors).not.toHaveBeenCalled();
  });

  it('answers undefined for an empty body', async () => {
    // Proves routes answering nothing do not break JSON decoding.
    const { fetch } = fakeFetch([new Response('', { status: 200 })]);
    expect(await new Transport({ fetch }).request('POST', '/api/x')).toBeUndefined();
  });
});

/** A WebSocket double the test drives by hand. */
class FakeSocket {
  static opened: FakeSocket[] = [];
  onopen: ((e: Event) => void) | null = null;
  onmessage: ((e: MessageEvent) => void) | null = null;
  onclose: ((e: CloseEvent) => void) | null = null;
  closedWith: number | null = null;

  constructor(readonly url: string) {
    FakeSocket.opened.push(this);
  }

  open(): void {
    this.onopen?.(new Event('open'));
  }

  receive(frame: unknown): void {
    const data = typeof frame === 'string' ? frame : JSON.stringify(frame);
    this.onmessage?.(new MessageEvent('message', { data }));
  }

  drop(code: number): void {
    this.onclose?.({ code } as CloseEvent);
  }

  close(code: number): void {
    this.closedWith = code;
  }
}

describe('live socket', () => {
  beforeEach(() => {
    FakeSocket.opened = [];
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  function transport(answers: Response[] = [], apiKey: string | null = null) {
    const { fetch, calls } = fakeFetch(answers);
    const t = new Transport({
      baseUrl: 'https://mosaic.test:8443',
      apiKey,
      fetch,
      openSocket: (url) => new FakeSocket(url) as unknown as WebSocket,
    });
    return { t, calls };
  }

  it('asks for delta frames and sends the key only when it has one', () => {
    // Proves the URL: wss on the same host, delta mode, ?key for keys.
    transport().t.live.start();
    expect(FakeSocket.opened[0]?.url).toBe('wss://mosaic.test:8443/api/ws?delta=1');
    transport([], 'a b').t.live.start();
    expect(FakeSocket.opened[1]?.url).toBe('wss://mosaic.test:8443/api/ws?delta=1&key=a%20b');
  });

  it('hands each frame to the handlers of its type and ignores the rest', () => {
    // Proves typed dispatch, unsubscribe, and tolerance of junk frames.
    const { t } = transport();
    const stats = vi.fn();
    const off = t.live.on('stats:tick', stats);
    t.live.start();
    const socket = FakeSocket.opened[0];
    socket?.open();
    socket?.receive({ type: 'stats:tick', payload: { total_torrents: 3 } });
    socket?.receive({ type: 'some:future', payload: 1 });
    socket?.receive('not json');
    expect(stats).toHaveBeenCalledWith({ total_torrents: 3 });
    off();
    socket?.receive({ type: 'stats:tick', payload: {} });
    expect(stats).toHaveBeenCalledTimes(1);
    expect(t.live.status).toBe('open');
  });

  it('reconnects with growing delays after probing the session', async () => {
    // Proves the backoff schedule and that each retry first asks over
    // HTTP whether the credentials still hold.
    const { t, calls } = transport([json(200, { path: '/' }), json(200, { path: '/' })]);
    const statuses: string[] = [];
    t.live.onStatus((s) => statuses.push(s));
    t.live.start();
    FakeSocket.opened[0]?.drop(1006);
    expect(t.live.status).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(RECONNECT_DELAYS[0] - 1);
    expect(FakeSocket.opened).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.opened).toHaveLength(2);
    expect(calls[0]?.url).toBe('https://mosaic.test:8443/api/settings/save_path');

    FakeSocket.opened[1]?.drop(1006);
    await vi.advanceTimersByTimeAsync(RECONNECT_DELAYS[1]);
    expect(FakeSocket.opened).toHaveLength(3);
    FakeSocket.opened[2]?.open();
    expect(statuses).toEqual(['connecting', 'reconnecting', 'open']);
  });

  it('stops and reports a session that ended (close 1008 or a 401 probe)', async () => {
    // Proves both ways a revoked credential shows up end the socket and
    // reach the unauthorized listeners.
    const { t } = transport([json(401, { error: 'unauthorized' })]);
    const expired = vi.fn();
    t.onUnauthorized(() => {
      expired();
      t.live.stop();
    });
    t.live.start();
    FakeSocket.opened[0]?.drop(CLOSE_POLICY);
    expect(expired).toHaveBeenCalledTimes(1);
    expect(t.live.status).toBe('idle');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.opened).toHaveLength(1);

    t.live.start();
    FakeSocket.opened[1]?.drop(1006);
    await vi.advanceTimersByTimeAsync(RECONNECT_DELAYS[0]);
    expect(expired).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.opened).toHaveLength(2);
  });

  it('closes the socket on stop and ignores its late events', () => {
    // Proves stop() is final: no reconnect from the old socket's close.
    const { t } = transport();
    t.live.start();
    const socket = FakeSocket.opened[0];
    t.live.stop();
    expect(socket?.closedWith).toBe(1000);
    socket?.drop(1006);
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.opened).toHaveLength(1);
  });
});
