import { createHash } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { z } from 'zod';
import type { SendDetails } from './campaign';
import type { HistoryState } from './delivery-history';
import { ReplayScalars, type ReplayState } from './replay-state';

/**
 * A campaign's snapshot: what replaying its journal up to a line's end built, in one file beside the journal,
 * replaced whole each time. Its typed arrays are written as they are in memory, the rest as JSON:
 *   "CDSNAP\n", the format's byte, the header's length (4 bytes), the header (JSON), then each array, each at
 *   a multiple of 8 bytes, and last the SHA-256 of all before it.
 * The header names the journal's bytes the snapshot covers, with digests of the first and last 4 KB of them: a
 * journal that is not the one the snapshot was made from (replaced, cut, rewritten at its end) does not match.
 */

const MAGIC = Buffer.from('CDSNAP\n');
const FORMAT = 1;
const DIGEST_BYTES = 32;
const PROOF_BYTES = 4096;
/** Rows turned into columns between two yields to the event loop, while a snapshot is written. */
const ROWS_A_TURN = 65_536;

/** Where in the journal a snapshot ends: a line's end, and how many lines come before it. */
export interface JournalMark {
  offset: number;
  line: number;
}

const ARRAY_TYPES = {
  u8: Uint8Array,
  u32: Uint32Array,
  i32: Int32Array,
  f64: Float64Array,
} as const;
type ArrayType = keyof typeof ARRAY_TYPES;
type Column = Uint8Array | Uint32Array | Int32Array | Float64Array;

const Header = z.object({
  format: z.literal(FORMAT),
  journal: z.object({
    offset: z.number().int().min(0),
    line: z.number().int().min(0),
    head: z.string(),
    tail: z.string(),
  }),
  checks: z.string(),
  scalars: ReplayScalars,
  arrays: z.array(
    z.object({ name: z.string(), type: z.enum(['u8', 'u32', 'i32', 'f64']), length: z.number() }),
  ),
});
type Header = z.infer<typeof Header>;

const Strings = z.array(z.string());

/** The digests of the journal's first and last 4 KB before `offset`; null when the journal is shorter. */
async function journalProof(
  journalPath: string,
  offset: number,
): Promise<{ head: string; tail: string } | null> {
  const file = await open(journalPath, 'r');
  try {
    const { size } = await file.stat();
    if (size < offset) return null;
    const digest = async (start: number, end: number) => {
      const bytes = Buffer.alloc(end - start);
      await file.read(bytes, 0, bytes.length, start);
      return { bytes, hex: createHash('sha256').update(bytes).digest('hex') };
    };
    const head = await digest(0, Math.min(PROOF_BYTES, offset));
    const tail = await digest(Math.max(0, offset - PROOF_BYTES), offset);
    // A snapshot ends where a line does.
    if (offset > 0 && tail.bytes[tail.bytes.length - 1] !== 0x0a) return null;
    return { head: head.hex, tail: tail.hex };
  } finally {
    await file.close();
  }
}

/** The details' strings in a pool, each column their ids (0: null; a row never sent has 0 in `present`). */
async function detailColumns(details: readonly (SendDetails | undefined)[]) {
  const ids = new Map<string, number>();
  const strings: string[] = [];
  const id = (value: string | null) => {
    if (value === null) return 0;
    let found = ids.get(value);
    if (found === undefined) {
      strings.push(value);
      found = strings.length;
      ids.set(value, found);
    }
    return found;
  };
  const n = details.length;
  const present = new Uint8Array(n);
  const columns = {
    code: new Uint32Array(n),
    description: new Uint32Array(n),
    transid: new Uint32Array(n),
    sentAt: new Uint32Array(n),
    updatedAt: new Uint32Array(n),
  };
  for (let row = 0; row < n; row++) {
    if (row % ROWS_A_TURN === 0 && row > 0) await new Promise(setImmediate);
    const d = details[row];
    if (!d) continue;
    present[row] = 1;
    columns.code[row] = id(d.code);
    columns.description[row] = id(d.description);
    columns.transid[row] = id(d.transid);
    columns.sentAt[row] = id(d.sentAt);
    columns.updatedAt[row] = id(d.updatedAt);
  }
  return { present, columns, strings };
}

function json(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value));
}

function padding(length: number): Buffer {
  return Buffer.alloc((8 - (length % 8)) % 8);
}

/**
 * Writes the snapshot of `state`, covering the journal up to `mark`, in place of the one before: to a file of its
 * own first, synced, then renamed over it, so that the snapshot on disk is always one whole file or the old one.
 */
export async function writeSnapshot(
  path: string,
  journalPath: string,
  mark: JournalMark,
  state: ReplayState,
): Promise<void> {
  const proof = await journalProof(journalPath, mark.offset);
  if (!proof) return;
  const { present, columns, strings } = await detailColumns(state.details);
  const { strings: historyStrings, ...history } = state.history;
  const arrays: [string, Column][] = [
    ['status', state.status],
    ['attempted', state.attempted],
    ['lookedUp', state.lookedUp],
    ['doubted', state.doubted],
    ['trust', state.trust],
    ['details.present', present],
    ...Object.entries(columns).map(([name, column]): [string, Column] => [`details.${name}`, column]),
    ['details.strings', json(strings)],
    ...Object.entries(history).map(([name, column]): [string, Column] => [`history.${name}`, column]),
    ['history.strings', json(historyStrings)],
  ];
  const header: Header = {
    format: FORMAT,
    journal: { ...mark, ...proof },
    checks: state.checks,
    scalars: state.scalars,
    arrays: arrays.map(([name, array]) => ({ name, type: typeOf(array), length: array.length })),
  };
  const headerBytes = json(header);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.length);
  const start = Buffer.concat([MAGIC, Buffer.from([FORMAT]), length, headerBytes]);
  const parts = [start, padding(start.length)];
  for (const [, array] of arrays) {
    const bytes = Buffer.from(array.buffer, array.byteOffset, array.byteLength);
    parts.push(bytes, padding(bytes.length));
  }
  const tmp = `${path}.${process.pid}.tmp`;
  const file = await open(tmp, 'w');
  try {
    const hash = createHash('sha256');
    for (const part of parts) {
      hash.update(part);
      await file.write(part);
    }
    await file.write(hash.digest());
    await file.sync();
  } catch (error) {
    await file.close();
    await rm(tmp, { force: true });
    throw error;
  }
  await file.close();
  await rename(tmp, path);
}

function typeOf(array: Column): ArrayType {
  if (array instanceof Uint8Array) return 'u8';
  if (array instanceof Uint32Array) return 'u32';
  if (array instanceof Int32Array) return 'i32';
  return 'f64';
}

/**
 * The snapshot beside a journal and where in the journal it ends; null when there is none, or it cannot be
 * trusted: damaged, of another format, or not made from this journal. The caller then replays the whole journal.
 */
export async function readSnapshot(
  path: string,
  journalPath: string,
): Promise<{ mark: JournalMark; state: ReplayState } | null> {
  const bytes = await readFile(path).catch(() => null);
  if (!bytes || bytes.length < MAGIC.length + 5 + DIGEST_BYTES) return null;
  if (!bytes.subarray(0, MAGIC.length).equals(MAGIC) || bytes[MAGIC.length] !== FORMAT) return null;
  const body = bytes.subarray(0, bytes.length - DIGEST_BYTES);
  const digest = createHash('sha256').update(body).digest();
  if (!digest.equals(bytes.subarray(body.length))) return null;
  const headerLength = bytes.readUInt32LE(MAGIC.length + 1);
  let at = MAGIC.length + 5;
  let header: Header;
  try {
    header = Header.parse(JSON.parse(bytes.toString('utf8', at, at + headerLength)));
  } catch {
    return null;
  }
  at += headerLength;
  const arrays = new Map<string, Column>();
  for (const { name, type, length } of header.arrays) {
    at += (8 - (at % 8)) % 8;
    const Type = ARRAY_TYPES[type];
    const byteLength = length * Type.BYTES_PER_ELEMENT;
    if (at + byteLength > body.length) return null;
    // Copied out: the file's buffer need not be aligned for the array's type.
    arrays.set(name, new Type(body.buffer.slice(body.byteOffset + at, body.byteOffset + at + byteLength)));
    at += byteLength;
  }
  const { offset, line, head, tail } = header.journal;
  const proof = await journalProof(journalPath, offset).catch(() => null);
  if (!proof || proof.head !== head || proof.tail !== tail) return null;
  const state = stateOf(header, arrays);
  return state && { mark: { offset, line }, state };
}

function stateOf(header: Header, arrays: Map<string, Column>): ReplayState | null {
  const get = <T extends ArrayType>(name: string, type: T): InstanceType<(typeof ARRAY_TYPES)[T]> => {
    const array = arrays.get(name);
    if (!(array instanceof ARRAY_TYPES[type])) throw new Error(`snapshot: no ${name}`);
    return array as InstanceType<(typeof ARRAY_TYPES)[T]>;
  };
  try {
    const strings = Strings.parse(JSON.parse(Buffer.from(get('details.strings', 'u8')).toString('utf8')));
    const text = (id: number) => (id === 0 ? null : (strings[id - 1] ?? null));
    const present = get('details.present', 'u8');
    const [code, description, transid, sentAt, updatedAt] = [
      'code',
      'description',
      'transid',
      'sentAt',
      'updatedAt',
    ].map((name) => get(`details.${name}`, 'u32'));
    const details: (SendDetails | undefined)[] = new Array<SendDetails | undefined>(present.length);
    for (let row = 0; row < present.length; row++) {
      if (present[row] !== 1) continue;
      details[row] = {
        code: text(code?.[row] ?? 0),
        description: text(description?.[row] ?? 0),
        transid: text(transid?.[row] ?? 0),
        sentAt: text(sentAt?.[row] ?? 0),
        updatedAt: text(updatedAt?.[row] ?? 0),
      };
    }
    const history: HistoryState = {
      head: get('history.head', 'i32'),
      final: get('history.final', 'i32'),
      next: get('history.next', 'i32'),
      received: get('history.received', 'f64'),
      reported: get('history.reported', 'f64'),
      status: get('history.status', 'u8'),
      code: get('history.code', 'u32'),
      description: get('history.description', 'u32'),
      carrier: get('history.carrier', 'u32'),
      own: get('history.own', 'u8'),
      strings: Strings.parse(JSON.parse(Buffer.from(get('history.strings', 'u8')).toString('utf8'))),
    };
    return {
      checks: header.checks,
      status: get('status', 'u8'),
      details,
      attempted: get('attempted', 'u32'),
      lookedUp: get('lookedUp', 'u32'),
      doubted: get('doubted', 'u32'),
      trust: get('trust', 'u8'),
      history,
      scalars: header.scalars,
    };
  } catch {
    return null;
  }
}
