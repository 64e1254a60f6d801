import { DeskError } from '../errors';
import type { Vault } from './vault';

/** Sealed with the key: the host it was entered for, so that a key moved to another host does not open there. */
const BOUND = 'host-bound:';

export function sealKeyFor(vault: Vault, key: string, host: string): string {
  return vault.seal(`${BOUND}${host}\n${key}`);
}

/**
 * The key sealed by `sealKeyFor`, when it was entered for `host`. A key sealed before keys were bound carries
 * no host and opens for its service's current one: which host it was entered for is not known.
 */
export function openKeyFor(vault: Vault, sealed: string, host: string, serviceName: string): string {
  const plain = vault.open(sealed);
  if (!plain.startsWith(BOUND)) return plain;
  const end = plain.indexOf('\n');
  const boundHost = plain.slice(BOUND.length, end);
  if (end < 0 || boundHost !== host) {
    throw new DeskError(
      'key-for-other-host',
      `The key of "${serviceName}" was entered for ${boundHost}, not for ${host}; enter the key again to send there.`,
    );
  }
  return plain.slice(end + 1);
}
