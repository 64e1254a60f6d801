import { DeskError } from '../errors';
import type { Vault } from './vault';

/** Sealed with the key: the host it was entered for, so that a key moved to another host does not open there. */
const BOUND = 'host-bound:';

export function sealKeyFor(vault: Vault, key: string, host: string): string {
  return vault.seal(`${BOUND}${host}\n${key}`);
}

/**
 * A key sealed before keys were bound to hosts, sealed again for `host` (its service's host when this runs:
 * the nearest known to the one it was entered for); null for a key already bound, or one that does not open.
 */
export function bindUnboundKey(vault: Vault, sealed: string, host: string): string | null {
  try {
    const plain = vault.open(sealed);
    return plain.startsWith(BOUND) ? null : sealKeyFor(vault, plain, host);
  } catch {
    // A key that does not open says so when it is used; one that cannot be sealed again stays as it was.
    return null;
  }
}

/**
 * The key sealed by `sealKeyFor`, when it was entered for `host`. A key sealed before keys were bound carries
 * no host and opens for its service's current one, until the registry binds it (`bindUnboundKey`).
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
