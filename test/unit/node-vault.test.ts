import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeskError } from '../../electron/core/errors';
import { NodeVault } from '../../electron/core/secrets/node-vault';
import { maskSecret } from '../../electron/core/secrets/vault';

const SECRET = 'svc-key-3f9a0c1d2e4b5a6978';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'vault-test-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function deskErrorCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DeskError);
    return (error as DeskError).code;
  }
  return undefined;
}

/** Replaces one character of a base64url part with another valid one. */
function flip(part: string, at = 0): string {
  const c = part[at] === 'A' ? 'B' : 'A';
  return part.slice(0, at) + c + part.slice(at + 1);
}

describe('NodeVault', () => {
  it('opens what it sealed, including unicode and empty text', () => {
    const vault = NodeVault.create(join(root, 'data'));
    for (const plain of [SECRET, 'ключ 😀 €', '']) expect(vault.open(vault.seal(plain))).toBe(plain);
  });

  it('never shows the secret in the sealed text and seals the same secret differently each time', () => {
    const vault = NodeVault.create(join(root, 'data'));
    const a = vault.seal(SECRET);
    const b = vault.seal(SECRET);
    expect(a).not.toContain(SECRET);
    expect(a).not.toContain(Buffer.from(SECRET).toString('base64url'));
    expect(a).not.toContain(Buffer.from(SECRET).toString('base64'));
    expect(a).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(a).not.toBe(b);
    expect(vault.open(b)).toBe(SECRET);
  });

  it('creates its key and salt files readable by the user only, in a private folder', async () => {
    const dir = join(root, 'nested', 'data');
    NodeVault.create(dir);
    expect((await stat(join(dir, 'vault.key'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'vault.salt'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'vault.key'))).size).toBe(32);
    expect((await stat(dir)).mode & 0o077).toBe(0);
  });

  it('opens values sealed before a restart with the same key file', async () => {
    const dir = join(root, 'data');
    const sealed = NodeVault.create(dir).seal(SECRET);
    const key = await readFile(join(dir, 'vault.key'));
    const reopened = NodeVault.create(dir);
    expect(await readFile(join(dir, 'vault.key'))).toEqual(key);
    expect(reopened.open(sealed)).toBe(SECRET);
  });

  it('fails with vault-locked under a different passphrase, and opens with the right one', () => {
    const dir = join(root, 'data');
    const sealed = NodeVault.create(dir, 'correct horse').seal(SECRET);
    expect(deskErrorCode(() => NodeVault.create(dir, 'battery staple').open(sealed))).toBe('vault-locked');
    expect(deskErrorCode(() => NodeVault.create(dir).open(sealed))).toBe('vault-locked');
    expect(NodeVault.create(dir, 'correct horse').open(sealed)).toBe(SECRET);
  });

  it('fails with vault-locked in another install (other salt and key file)', () => {
    const sealed = NodeVault.create(join(root, 'one')).seal(SECRET);
    expect(deskErrorCode(() => NodeVault.create(join(root, 'two')).open(sealed))).toBe('vault-locked');
  });

  it('refuses tampered ciphertext, IV or tag', () => {
    const vault = NodeVault.create(join(root, 'data'));
    const [format, iv, tag, body] = vault.seal(SECRET).split('.') as [string, string, string, string];
    const tampered = [
      [format, iv, tag, flip(body)],
      [format, iv, tag, flip(body, body.length - 2)],
      [format, flip(iv), tag, body],
      [format, iv, flip(tag), body],
      [format, iv, tag, body.slice(0, -2)],
    ];
    for (const parts of tampered) {
      const error = deskErrorCode(() => vault.open(parts.join('.')));
      expect(error).toBe('vault-locked');
    }
  });

  it('reports a value that is not sealed text at all as corrupt', () => {
    const vault = NodeVault.create(join(root, 'data'));
    expect(deskErrorCode(() => vault.open(SECRET))).toBe('vault-corrupt');
    expect(deskErrorCode(() => vault.open(vault.seal(SECRET).replace(/^v1/, 'v2')))).toBe('vault-corrupt');
    expect(deskErrorCode(() => vault.open('v1..'))).toBe('vault-corrupt');
  });

  it('masks a secret to its last four characters', () => {
    expect(maskSecret(SECRET)).toBe('••••6978');
    expect(maskSecret(SECRET)).not.toContain(SECRET.slice(0, -4));
  });
});
