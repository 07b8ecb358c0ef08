// A fault-injecting TCP proxy for LDAP on 127.0.0.1 port 0, in front of a real slapd: the flaky
// directory of the fault tests. It reads the LDAP messages (BER frames) in both directions and, per
// request, as `decide(op, seen)` says:
// - `busy` / `unavailable`: answers itself with result code 51 / 52 (the server never sees it);
// - `drop-before`: closes the client's connection without forwarding (nothing happened);
// - `drop-after`: forwards, waits for the server's answer, then closes the client's connection
//   instead of passing it on (the operation happened; the client never hears of it);
// - `none`: forwards.
import { connect, createServer, type Server, type Socket } from 'node:net';

export type LdapFault = 'none' | 'busy' | 'unavailable' | 'drop-before' | 'drop-after';
export type LdapOp =
  | 'bind'
  | 'search'
  | 'add'
  | 'modify'
  | 'delete'
  | 'moddn'
  | 'extended'
  | 'unbind'
  | 'other';

const OPS: Record<number, [LdapOp, number]> = {
  96: ['bind', 0x61],
  99: ['search', 0x65],
  102: ['modify', 0x67],
  104: ['add', 0x69],
  74: ['delete', 0x6b],
  108: ['moddn', 0x6d],
  119: ['extended', 0x78],
  66: ['unbind', 0],
};

/** One complete BER frame at the start of `buf`: its length, or 0 when more bytes are needed. */
function frameLength(buf: Buffer): number {
  if (buf.length < 2) return 0;
  const first = buf[1] as number;
  let len = first;
  let head = 2;
  if (first & 0x80) {
    const n = first & 0x7f;
    if (buf.length < 2 + n) return 0;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (buf[2 + i] as number);
    head = 2 + n;
  }
  return buf.length >= head + len ? head + len : 0;
}

/** The message id bytes and the protocol op tag of an LDAPMessage frame. */
function parse(frame: Buffer): { id: Buffer; tag: number } {
  let i = 1;
  const first = frame[i] as number;
  i += first & 0x80 ? 1 + (first & 0x7f) : 1;
  // messageID INTEGER
  const idLen = frame[i + 1] as number;
  const id = frame.subarray(i + 2, i + 2 + idLen);
  return { id, tag: frame[i + 2 + idLen] as number };
}

const tlv = (tag: number, body: Buffer): Buffer => {
  const len = body.length;
  const head = len < 0x80 ? Buffer.from([tag, len]) : Buffer.from([tag, 0x82, len >> 8, len & 0xff]);
  return Buffer.concat([head, body]);
};

/** An LDAPResult answer to `frame` with `code` (e.g. 51 busy) and a diagnostic text. */
function answer(frame: Buffer, code: number, text: string): Buffer | null {
  const { id, tag } = parse(frame);
  const op = OPS[tag];
  if (!op || op[1] === 0) return null;
  const result = Buffer.concat([
    Buffer.from([0x0a, 0x01, code]),
    tlv(0x04, Buffer.alloc(0)),
    tlv(0x04, Buffer.from(text)),
  ]);
  return tlv(0x30, Buffer.concat([tlv(0x02, id), tlv(op[1], result)]));
}

export interface LdapFaultProxy {
  url: string;
  /** Every request seen: its op and the fault it got. */
  log: { op: LdapOp; fault: LdapFault }[];
  close(): Promise<void>;
}

/** Splits a stream into frames, calling `each` for every complete one. */
function framer(each: (frame: Buffer) => void): (chunk: Buffer) => void {
  let pending = Buffer.alloc(0);
  return (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    for (let n = frameLength(pending); n > 0; n = frameLength(pending)) {
      const frame = pending.subarray(0, n);
      pending = pending.subarray(n);
      each(frame);
    }
  };
}

export async function startLdapFaultProxy(opts: {
  targetPort: number;
  decide: (op: LdapOp, seen: number) => LdapFault;
}): Promise<LdapFaultProxy> {
  const log: LdapFaultProxy['log'] = [];
  const seen = new Map<LdapOp, number>();
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(opts.targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    const dropOnAnswer = new Set<string>();
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    upstream.on(
      'data',
      framer((frame) => {
        if (dropOnAnswer.has(parse(frame).id.toString('hex'))) end();
        else client.write(frame);
      }),
    );
    client.on(
      'data',
      framer((frame) => {
        const { id, tag } = parse(frame);
        const op = OPS[tag]?.[0] ?? 'other';
        const n = seen.get(op) ?? 0;
        seen.set(op, n + 1);
        const fault = op === 'unbind' ? 'none' : opts.decide(op, n);
        log.push({ op, fault });
        if (fault === 'busy' || fault === 'unavailable') {
          const code = fault === 'busy' ? 51 : 52;
          const a = answer(frame, code, fault === 'busy' ? 'server is busy' : 'server is unavailable');
          if (a) client.write(a);
          return;
        }
        if (fault === 'drop-before') return end();
        if (fault === 'drop-after') dropOnAnswer.add(id.toString('hex'));
        upstream.write(frame);
      }),
    );
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `ldap://127.0.0.1:${port}`,
    log,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((ok) => server.close(ok));
    },
  };
}
