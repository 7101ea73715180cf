/**
 * @module
 * A lean HTTP/1.1 load client (RFC 9112) for benchmarks that share the machine with the server:
 * keep-alive sockets pooled per origin and local address, requests written as one buffer,
 * responses framed by `Content-Length` or chunked transfer coding. It spends a fraction of the CPU that `node:http`
 * or `fetch` spend per request, so that the client takes less of the cores it measures. Anything
 * it does not understand (no framing, a malformed head, a closed socket) is an error answer, never
 * a guess.
 */
import { connect, type Socket } from 'node:net';

export interface LoadAnswer {
  /** 0 when the exchange failed; `body.code` then says why. */
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: answers are inspected freely
  body: any;
  /** Wall time from the call to the end of the answer. */
  ms: number;
}

interface Pending {
  resolve(answer: LoadAnswer): void;
  started: number;
}

/** One keep-alive connection; it carries one exchange at a time. */
class Connection {
  private readonly socket: Socket;
  private buffered: Buffer = Buffer.alloc(0);
  private pending: Pending | undefined;
  closed = false;

  constructor(host: string, port: number, localAddress: string | undefined, onIdle: (c: Connection) => void) {
    this.socket = connect({
      host,
      port,
      noDelay: true,
      ...(localAddress === undefined ? {} : { localAddress }),
    });
    this.socket.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
      const framed = frame(this.buffered);
      if (framed === undefined) return;
      if ('error' in framed) return this.fail(framed.error);
      this.buffered = this.buffered.subarray(framed.consumed);
      const pending = this.pending;
      this.pending = undefined;
      if (framed.close) this.close();
      else onIdle(this);
      pending?.resolve({
        status: framed.status,
        body: parse(framed.body),
        ms: performance.now() - (pending?.started ?? 0),
      });
    });
    this.socket.on('error', (error: NodeJS.ErrnoException) => this.fail(error.code ?? 'socket_error'));
    this.socket.on('close', () => this.fail('connection_closed'));
  }

  send(head: string, body: Buffer | undefined, pending: Pending): void {
    this.pending = pending;
    this.socket.write(body === undefined ? head : Buffer.concat([Buffer.from(head), body]));
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private fail(code: string): void {
    this.closed = true;
    const pending = this.pending;
    this.pending = undefined;
    pending?.resolve({ status: 0, body: { code }, ms: performance.now() - pending.started });
    this.socket.destroy();
  }
}

type Framed =
  | { status: number; body: Buffer; consumed: number; close: boolean }
  | { error: string }
  | undefined;

const HEAD_END = Buffer.from('\r\n\r\n');
const MAX_HEAD = 16 * 1024;

/** One whole response at the start of `data`, `undefined` while incomplete. */
function frame(data: Buffer): Framed {
  const headEnd = data.indexOf(HEAD_END);
  if (headEnd === -1) return data.length > MAX_HEAD ? { error: 'head_too_long' } : undefined;
  const lines = data.toString('latin1', 0, headEnd).split('\r\n');
  const statusLine = /^HTTP\/1\.1 (\d{3}) /.exec(`${lines[0]} `);
  if (statusLine === null) return { error: 'bad_status_line' };
  const status = Number(statusLine[1]);
  let length: number | undefined;
  let chunked = false;
  let close = false;
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) return { error: 'bad_header' };
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-length') {
      if (!/^\d+$/.test(value) || (length !== undefined && length !== Number(value)))
        return { error: 'bad_content_length' };
      length = Number(value);
    } else if (name === 'transfer-encoding') chunked = value.toLowerCase() === 'chunked';
    else if (name === 'connection') close = value.toLowerCase() === 'close';
  }
  const start = headEnd + HEAD_END.length;
  if (status === 204 || status === 304) return { status, body: Buffer.alloc(0), consumed: start, close };
  if (chunked) return unchunk(data, start, status, close);
  if (length === undefined) return { error: 'no_framing' };
  if (data.length < start + length) return undefined;
  return { status, body: data.subarray(start, start + length), consumed: start + length, close };
}

/** A chunked body (RFC 9112 §7.1) from `start`; trailers are not expected and are refused. */
function unchunk(data: Buffer, start: number, status: number, close: boolean): Framed {
  const parts: Buffer[] = [];
  let at = start;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', at);
    if (lineEnd === -1) return undefined;
    const size = Number.parseInt(data.toString('latin1', at, lineEnd).split(';')[0]!, 16);
    if (!Number.isSafeInteger(size) || size < 0) return { error: 'bad_chunk_size' };
    const dataStart = lineEnd + 2;
    if (data.length < dataStart + size + 2) return undefined;
    if (data[dataStart + size] !== 0x0d || data[dataStart + size + 1] !== 0x0a) return { error: 'bad_chunk' };
    if (size === 0) return { status, body: Buffer.concat(parts), consumed: dataStart + 2, close };
    parts.push(data.subarray(dataStart, dataStart + size));
    at = dataStart + size + 2;
  }
}

function parse(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  const text = body.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export interface CallOptions {
  headers?: Record<string, string>;
  /** The local address to connect from (a loopback client may pick any of 127.0.0.0/8). */
  from?: string;
}

/** A pool of keep-alive connections per origin (`http://host:port`) and local address. */
export interface LoadClient {
  call(
    base: string,
    method: string,
    path: string,
    body?: unknown,
    options?: CallOptions,
  ): Promise<LoadAnswer>;
  close(): void;
}

export function createLoadClient(): LoadClient {
  const idle = new Map<string, Connection[]>();
  const all = new Set<Connection>();
  const origins = new Map<string, URL>();
  const originOf = (base: string): URL => {
    let url = origins.get(base);
    if (url === undefined) {
      url = new URL(base);
      if (url.protocol !== 'http:')
        throw new Error(`the load client speaks plain HTTP only, not ${url.protocol}`);
      origins.set(base, url);
    }
    return url;
  };
  const connectionTo = (base: string, from: string | undefined): Connection => {
    const pool = from === undefined ? base : `${base} ${from}`;
    const free = idle.get(pool);
    while (free !== undefined && free.length > 0) {
      const c = free.pop()!;
      if (!c.closed) return c;
    }
    const url = originOf(base);
    const c = new Connection(url.hostname, Number(url.port || 80), from, (done) => {
      const list = idle.get(pool);
      if (list === undefined) idle.set(pool, [done]);
      else list.push(done);
    });
    all.add(c);
    return c;
  };
  return {
    call(base, method, path, body, { headers = {}, from } = {}) {
      const started = performance.now();
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      let head = `${method} ${path} HTTP/1.1\r\nhost: ${originOf(base).host}\r\n`;
      if (payload !== undefined)
        head += `content-type: application/json\r\ncontent-length: ${payload.length}\r\n`;
      for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
      head += '\r\n';
      return new Promise((resolve) => connectionTo(base, from).send(head, payload, { resolve, started }));
    },
    close() {
      for (const c of all) c.close();
      all.clear();
      idle.clear();
    },
  };
}
