// The preview's output: lines given whole, or as text around UTF-8 bytes, come out as the same bytes, in
// order, whatever their size beside the 1 MB chunks.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ChunkedOutput } from '../../electron/commands/chunked-output';

async function written(each: (out: ChunkedOutput) => Promise<void>): Promise<Buffer> {
  const stream = new PassThrough();
  const parts: Buffer[] = [];
  stream.on('data', (part: Buffer) => parts.push(part));
  const out = new ChunkedOutput(stream);
  await each(out);
  await out.flush();
  return Buffer.concat(parts);
}

describe('ChunkedOutput', () => {
  // Sizes around the chunk: small, a third of it (3 bytes a unit at most), over it.
  const messages = ['"Hi Zoë 😀"', `"${'é'.repeat(400_000)}"`, `"${'x'.repeat(1_200_000)}"`, '"李"'];
  const lines = Array.from({ length: 30 }, (_, i) => ({
    head: `{"row":${i + 1},"message":`,
    message: messages[i % messages.length] as string,
    tail: `,"n":${i}}`,
  }));

  it('writes text around UTF-8 bytes as the whole line would be written', async () => {
    const whole = await written(async (out) => {
      for (const { head, message, tail } of lines) await out.line(head + message + tail);
    });
    const around = await written(async (out) => {
      for (const { head, message, tail } of lines) {
        const bytes = Buffer.from(`ab${message}cd`);
        await out.lineAround(head, bytes, 2, bytes.length - 2, tail);
      }
    });
    expect(around.equals(whole)).toBe(true);
    expect(whole.toString()).toBe(lines.map((l) => `${l.head}${l.message}${l.tail}\n`).join(''));
  });
});
