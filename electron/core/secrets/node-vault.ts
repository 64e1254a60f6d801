import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeskError } from '../errors';
import type { Vault } from './vault';

const FORMAT = 'v1';
const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/**
 * AES-256-GCM with a key derived by scrypt, either from a passphrase or from a random per-install
 * key file readable by the user only. The salt sits beside the sealed values' settings.
 */
export class NodeVault implements Vault {
  private constructor(private readonly key: Buffer) {}

  static create(dir: string, passphrase?: string): NodeVault {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const salt = readOrCreate(join(dir, 'vault.salt'), 16);
    const secret = passphrase ? Buffer.from(passphrase, 'utf8') : readOrCreate(join(dir, 'vault.key'), 32);
    return new NodeVault(scryptSync(secret, salt, 32, SCRYPT));
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [FORMAT, iv, cipher.getAuthTag(), body]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  open(sealed: string): string {
    const [format, iv, tag, body] = sealed.split('.');
    if (format !== FORMAT || !iv || !tag || body === undefined) {
      throw new DeskError('vault-corrupt', 'A stored service key is damaged; set the key again.');
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new DeskError(
        'vault-locked',
        'A stored service key cannot be decrypted with this passphrase or key file; set the key again.',
      );
    }
  }
}

function readOrCreate(path: string, bytes: number): Buffer {
  if (existsSync(path)) return readFileSync(path);
  const value = randomBytes(bytes);
  writeFileSync(path, value, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return value;
}
