import { isUtf8 } from 'node:buffer';
import { mkdir, open, truncate, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  cutToBound,
  keptFiles,
  readDroppedLines,
  rotate,
  type DroppedLines,
  type Rotation,
} from '../storage/rotating-files';

const NEWLINE = 0x0a;
/** How much of a journal is read at a time. */
const CHUNK_BYTES = 4 * 1024 * 1024;
/** How much of a damaged line is kept for its reader: a batch of 1000 rows takes about 6 KB. */
const MAX_DAMAGED_TEXT = 64 * 1024;
/** How many places of a damaged line are tried as the start of an event glued onto it. */
const MAX_GLUE_TRIES = 64;

/** A complete line that could not be read as an event. */
export interface DamagedLine {
  /** Its number in the file, from 1. */
  line: number;
  /** Where it starts, in bytes. */
  offset: number;
  /** How many events were read before it: it stood between events[after - 1] and events[after]. */
  after: number;
  /** Its text (at most MAX_DAMAGED_TEXT characters), for what can still be read of it. */
  text: string;
  /** The older file it is in (`<name>.1`, …), for a rotated log; absent for the journal's own file. */
  file?: string;
}

/** Where a journal's events and damaged lines go as they are read. */
export interface JournalSink<E> {
  event(event: E): void;
  damaged(line: DamagedLine): void;
}

export interface StreamOptions<E> {
  sink: JournalSink<E>;
  rotation?: Rotation | null;
  from?: { offset: number; line: number };
  /** How much of the file is read at a time; a test makes it small. */
  chunkBytes?: number;
  /**
   * What becomes of a last line without its newline: `cut` from the file (a campaign's journal: an append never
   * acknowledged), or `kept` and reported as damaged, the file left as it is (a log whose every byte may be someone's
   * word, such as the opt-out list); appends then begin on a fresh line.
   */
  tornTail?: TornTail;
}

export type TornTail = 'cut' | 'kept';

export interface OpenedJournal<E> {
  journal: Journal<E>;
  events: E[];
  damaged: DamagedLine[];
}

interface Pending {
  line: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * An append-only file of JSON lines. Appends issued together are written and fsynced as one group;
 * each append resolves only once its line is on disk. A campaign's journal is its record and grows as it
 * must; a log opened with a `Rotation` (the inbox, unmatched reports) is bounded, and notes what it dropped.
 */
export class Journal<E> {
  private pending: Pending[] = [];
  private flushing: Promise<void> | null = null;
  /** The file's length after the last group written whole; null when a failed group could not be cut off. */
  private size: number | null;
  private droppedNote: DroppedLines | null;
  private foreign = false;
  /** How many lines the file holds, while it holds only lines this process read or wrote. */
  private lines = 0;
  /** The file ends in a line kept without its newline: the next group starts with one. */
  private unended = false;

  private constructor(
    private readonly path: string,
    private file: FileHandle,
    size: number,
    private readonly rotation: Rotation | null,
    dropped: DroppedLines | null,
  ) {
    this.size = size;
    this.droppedNote = dropped;
  }

  /** What a rotated log has deleted to stay within its bound; null while nothing was. */
  get dropped(): DroppedLines | null {
    return this.droppedNote;
  }

  /**
   * Opens (creating if needed) and replays the journal; a torn last line is dropped from the file. A complete
   * line that cannot be read is returned in `damaged`, and an event glued onto its end (written after a failed
   * write, before appends began on a fresh line) is still read. A rotated log is read from its oldest kept file on.
   */
  static async open<E>(
    path: string,
    parse: (value: unknown) => E | null,
    rotation: Rotation | null = null,
    tornTail: TornTail = 'cut',
  ): Promise<OpenedJournal<E>> {
    const events: E[] = [];
    const damaged: DamagedLine[] = [];
    const journal = await Journal.stream(path, parse, {
      rotation,
      tornTail,
      sink: { event: (e) => events.push(e), damaged: (d) => damaged.push(d) },
    });
    return { journal, events, damaged };
  }

  /**
   * Opens the journal as `open` does, handing each event and damaged line to `sink` as it is read, in file order,
   * so that memory does not grow with the file. `from` starts the reading at a line's start (a snapshot's end),
   * its line number given for damaged lines' numbers; `after` then counts from there.
   */
  static async stream<E>(path: string, parse: (value: unknown) => E | null, options: StreamOptions<E>) {
    const { rotation = null, sink, from = { offset: 0, line: 0 }, chunkBytes = CHUNK_BYTES } = options;
    const keepTail = options.tornTail === 'kept';
    let goodBytes = 0;
    let size = 0;
    let lines = 0;
    for (const file of rotation ? keptFiles(path, rotation.keep) : [path]) {
      if (rotation) await cutToBound(file, rotation.maxBytes, path);
      const start = file === path ? from : { offset: 0, line: 0 };
      const source = file === path ? undefined : file;
      const read = await readLines(file, start, { chunkBytes, keepTail }, parse, sink, source);
      ({ goodBytes, lines, size } = read);
      if (file === path && goodBytes < size && !keepTail) await truncate(path, goodBytes);
    }
    await mkdir(dirname(path), { recursive: true });
    const dropped = rotation ? await readDroppedLines(path) : null;
    // Readable too: after a failed write, what it left is read back before it is cut off.
    const file = await open(path, 'a+');
    const unended = keepTail && goodBytes < size;
    const journal = new Journal<E>(path, file, unended ? size : goodBytes, rotation, dropped);
    journal.lines = lines;
    journal.unended = unended;
    // Its lines are no longer counted: the kept line has none.
    journal.foreign = unended;
    return journal;
  }

  /**
   * Where the lines this process read or wrote end; null once the file may hold lines it did not see (another
   * process appended, a failed group could not be cut off). It matches what was applied of the journal when both are
   * read at the start of a turn of the event loop (a timer's): an append resolves as its length is taken, and what
   * awaited it has run by the next turn.
   */
  get ownEnd(): { offset: number; line: number } | null {
    return this.foreign || this.size === null ? null : { offset: this.size, line: this.lines };
  }

  append(event: E): Promise<void> {
    return this.appendAll([event]);
  }

  appendAll(events: readonly E[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.pending.push({ line: events.map((e) => JSON.stringify(e) + '\n').join(''), resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  async close(): Promise<void> {
    while (this.flushing) await this.flushing;
    await this.file.close();
  }

  private async flush(): Promise<void> {
    // Each group waits for the end of the event loop's turn, so that everything arriving in that turn (a burst
    // of webhook posts, several workers' batches) shares one synced write.
    while ((await new Promise(setImmediate), this.pending.length > 0)) {
      let group = this.pending;
      this.pending = [];
      try {
        await this.rotateBefore(group);
      } catch (error) {
        for (const p of group) p.reject(error);
        continue;
      }
      group = this.fitting(group);
      // After a group that failed and could not be cut off, the file may end in the middle of a line.
      const text = (this.size === null || this.unended ? '\n' : '') + group.map((p) => p.line).join('');
      try {
        const before = this.size;
        await this.file.appendFile(text);
        await this.file.datasync();
        this.unended = false;
        // Read from the file, not counted: another process (the command line) may append to the same journal.
        this.size = (await this.file.stat()).size;
        if (before === null || this.size !== before + Buffer.byteLength(text)) this.foreign = true;
        else this.lines += countLines(text);
        for (const p of group) p.resolve();
      } catch (error) {
        await this.cutFailedGroup(text);
        for (const p of group) p.reject(error);
      }
    }
    this.flushing = null;
  }

  /** Starts a fresh file first when the group would take the current one past its bound. */
  private async rotateBefore(group: readonly Pending[]): Promise<void> {
    if (!this.rotation || this.size === 0) return;
    const bytes = group.reduce((sum, p) => sum + Buffer.byteLength(p.line), 0);
    if (this.size !== null && this.size + bytes <= this.rotation.maxBytes) return;
    await this.file.close();
    try {
      this.droppedNote = await rotate(this.path, this.rotation.keep);
    } finally {
      this.file = await open(this.path, 'a+');
      this.size = (await this.file.stat()).size;
      this.foreign = false;
      if (this.size === 0) this.unended = false;
    }
  }

  /**
   * For a rotated log, the part of the group that fits in the file (at least its first append); the rest is written
   * next, after another rotation, so that no file passes the bound unless one append alone does.
   */
  private fitting(group: Pending[]): Pending[] {
    if (!this.rotation || this.size === null) return group;
    let bytes = this.size;
    let count = 0;
    for (const p of group) {
      bytes += Buffer.byteLength(p.line);
      if (bytes > this.rotation.maxBytes && count > 0) break;
      count++;
    }
    this.pending = [...group.slice(count), ...this.pending];
    return group.slice(0, count);
  }

  /**
   * A group that failed (a full disk) may have left part of its text in the file: it is cut off, so that the
   * file holds only what was acknowledged and the next group starts on a line of its own. Only when the file ends
   * in exactly that part: bytes another process appended are never cut; the next group then starts with a newline.
   */
  private async cutFailedGroup(text: string): Promise<void> {
    if (this.size === null) return;
    try {
      const left = (await this.file.stat()).size - this.size;
      if (left === 0) return;
      const ours = Buffer.from(text);
      if (left > 0 && left <= ours.length) {
        const tail = Buffer.alloc(left);
        await this.file.read(tail, 0, left, this.size);
        if (tail.equals(ours.subarray(0, left))) {
          await this.file.truncate(this.size);
          return;
        }
      }
    } catch {
      // Fall through: the file's end is unknown.
    }
    this.size = null;
    this.foreign = true;
  }
}

/**
 * Reads the complete lines of the file from `from` on, `chunkBytes` at a time, into `sink`; returns where the last
 * complete line ends and how long the file is. Lines are found in the bytes, not in decoded text: offsets stay exact
 * whatever the bytes hold, and the replay costs one pass over the file. Only a line longer than a chunk is held whole.
 */
async function readLines<E>(
  path: string,
  from: { offset: number; line: number },
  { chunkBytes, keepTail }: { chunkBytes: number; keepTail: boolean },
  parse: (value: unknown) => E | null,
  sink: JournalSink<E>,
  file: string | undefined,
): Promise<{ goodBytes: number; lines: number; size: number }> {
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (!handle) return { goodBytes: 0, lines: 0, size: 0 };
  try {
    let buffer = Buffer.alloc(chunkBytes);
    /** Bytes of `buffer` holding a line not yet ended, from the file's `goodBytes` on. */
    let held = 0;
    let goodBytes = from.offset;
    let lineNumber = from.line;
    let events = 0;
    /** Hands the line's event to the sink, or the line as damaged, with the event glued onto its end if any. */
    const take = (line: string, wellEncoded: boolean, number: number, offset: number) => {
      const event = wellEncoded ? parse(parseJson(line)) : null;
      if (event !== null) {
        sink.event(event);
        events++;
        return;
      }
      const text = line.slice(0, MAX_DAMAGED_TEXT);
      sink.damaged({ line: number, offset, after: events, text, ...(file ? { file } : {}) });
      const glued = gluedEvent(line, parse, wellEncoded);
      if (glued !== null) {
        sink.event(glued);
        events++;
      }
    };
    for (;;) {
      if (held === buffer.length) buffer = Buffer.concat([buffer, Buffer.alloc(buffer.length)]);
      const { bytesRead } = await handle.read(buffer, held, buffer.length - held, goodBytes + held);
      if (bytesRead === 0) {
        if (keepTail && held > 0) {
          const line = buffer.toString('utf8', 0, held);
          const whole = !line.includes('\uFFFD') || isUtf8(buffer.subarray(0, held));
          if (line.trim() !== '') take(line, whole, lineNumber + 1, goodBytes);
        }
        return { goodBytes, lines: lineNumber, size: goodBytes + held };
      }
      const end = held + bytesRead;
      let lineStart = 0;
      for (let newline = buffer.indexOf(NEWLINE, held); newline !== -1 && newline < end;) {
        const offset = goodBytes + lineStart;
        const line = buffer.toString('utf8', lineStart, newline);
        // Bytes that are not UTF-8 decode as U+FFFD: only then is the line's encoding checked.
        const wellEncoded = !line.includes('\uFFFD') || isUtf8(buffer.subarray(lineStart, newline));
        lineStart = newline + 1;
        newline = buffer.indexOf(NEWLINE, lineStart);
        lineNumber++;
        if (line.trim() === '') continue;
        take(line, wellEncoded, lineNumber, offset);
      }
      buffer.copy(buffer, 0, lineStart, end);
      held = end - lineStart;
      goodBytes += lineStart;
    }
  } finally {
    await handle.close();
  }
}

function countLines(text: string): number {
  let lines = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines++;
  return lines;
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return null;
  }
}

/** The whole event that ends a damaged line, if one does: the line's start is what a failed write left. */
function gluedEvent<E>(line: string, parse: (value: unknown) => E | null, wellEncoded: boolean): E | null {
  let tries = 0;
  for (let at = line.indexOf('{', 1); at !== -1 && tries < MAX_GLUE_TRIES; at = line.indexOf('{', at + 1)) {
    tries++;
    const rest = line.slice(at);
    // Within a line whose bytes are not all UTF-8, an event holding U+FFFD may hold the bad bytes.
    if (!wellEncoded && rest.includes('\uFFFD')) continue;
    const value = parseJson(rest);
    if (value === null) continue;
    const event = parse(value);
    if (event !== null) return event;
  }
  return null;
}
