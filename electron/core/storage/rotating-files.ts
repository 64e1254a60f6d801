import { open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import type { DroppedNote } from '../../../shared/api';

/**
 * How an append-only log that is not a campaign's record is bounded: once the file would pass `maxBytes`, it is
 * renamed `<name>.1` (the older ones move up to `<name>.<keep>`; the one beyond is deleted) and a fresh file begins.
 * On disk: at most (keep + 1) × maxBytes, unless a single entry is larger than maxBytes.
 */
export interface Rotation {
  maxBytes: number;
  keep: number;
}

/** What was deleted to keep a log within its bound, over the log's whole life. */
export interface DroppedLines {
  /** Lines (entries) deleted. */
  lines: number;
  /** When the last of them was deleted (ISO). */
  at: string;
}

const NEWLINE = 0x0a;
const COUNT_CHUNK = 1024 * 1024;

/** The log's files that are read back, oldest first: `<name>.<keep>` … `<name>.1`, then `<name>`. */
export function keptFiles(path: string, keep: number): string[] {
  return [...Array.from({ length: keep }, (_, i) => `${path}.${keep - i}`), path];
}

function notePath(path: string): string {
  return `${path}.dropped.json`;
}

export async function readDroppedLines(path: string): Promise<DroppedLines | null> {
  try {
    const note = JSON.parse(await readFile(notePath(path), 'utf8')) as Partial<DroppedLines>;
    return typeof note.lines === 'number' && typeof note.at === 'string'
      ? { lines: note.lines, at: note.at }
      : null;
  } catch {
    return null;
  }
}

/** Adds `lines` deleted now to the log's note; returns the note as it stands. */
export async function noteDropped(path: string, lines: number): Promise<DroppedLines | null> {
  const before = await readDroppedLines(path);
  if (lines === 0) return before;
  const note = { lines: (before?.lines ?? 0) + lines, at: new Date().toISOString() };
  await writeFile(`${notePath(path)}.tmp`, JSON.stringify(note));
  await rename(`${notePath(path)}.tmp`, notePath(path));
  return note;
}

/**
 * Moves `<name>` to `<name>.1` and each kept file one place up; the oldest beyond `keep` is deleted and its lines
 * counted in the note. The caller has closed `<name>` and opens a fresh one.
 */
export async function rotate(path: string, keep: number): Promise<DroppedLines | null> {
  const oldest = keep === 0 ? path : `${path}.${keep}`;
  const lines = await countLines(oldest);
  await rm(oldest, { force: true });
  for (let i = keep - 1; i >= 1; i--) await renameIfThere(`${path}.${i}`, `${path}.${i + 1}`);
  if (keep > 0) await renameIfThere(path, `${path}.1`);
  return noteDropped(path, lines);
}

/**
 * A file of the log already past the bound (written before logs had one, or by hand) is cut to its last `maxBytes`,
 * from a line's start, so that it can always be read back whole; the lines cut are counted in the log's note.
 */
export async function cutToBound(path: string, maxBytes: number, log: string): Promise<void> {
  const size = await stat(path).then(
    (s) => s.size,
    () => 0,
  );
  if (size <= maxBytes) return;
  const file = await open(path, 'r');
  let tail: Buffer;
  let cut: number;
  try {
    tail = Buffer.alloc(maxBytes);
    await file.read(tail, 0, maxBytes, size - maxBytes);
    const start = tail.indexOf(NEWLINE) + 1;
    tail = tail.subarray(start);
    cut = await countNewlines(file, size - maxBytes + start);
  } finally {
    await file.close();
  }
  await writeFile(`${path}.tmp`, tail);
  await rename(`${path}.tmp`, path);
  await noteDropped(log, cut);
}

async function countLines(path: string): Promise<number> {
  const file = await open(path, 'r').catch(() => null);
  if (!file) return 0;
  try {
    return await countNewlines(file, (await file.stat()).size);
  } finally {
    await file.close();
  }
}

/** Newlines in the first `length` bytes, read a chunk at a time. */
async function countNewlines(file: Awaited<ReturnType<typeof open>>, length: number): Promise<number> {
  const chunk = Buffer.alloc(Math.min(COUNT_CHUNK, Math.max(1, length)));
  let count = 0;
  for (let at = 0; at < length;) {
    const { bytesRead } = await file.read(chunk, 0, Math.min(chunk.length, length - at), at);
    if (bytesRead === 0) break;
    for (let i = chunk.indexOf(NEWLINE); i !== -1 && i < bytesRead; i = chunk.indexOf(NEWLINE, i + 1))
      count++;
    at += bytesRead;
  }
  return count;
}

async function renameIfThere(from: string, to: string): Promise<void> {
  await rename(from, to).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}

/** The note as the user is shown it: how many entries were deleted, to keep under how much. */
export function droppedNote(lines: DroppedLines | null, rotation: Rotation, more = 0): DroppedNote | null {
  const count = (lines?.lines ?? 0) + more;
  return count === 0 ? null : { count, limitBytes: rotation.maxBytes * (rotation.keep + 1) };
}
