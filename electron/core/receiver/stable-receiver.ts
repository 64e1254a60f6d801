import { randomBytes } from 'node:crypto';
import type { SettingsStore } from '../settings/settings-store';
import { startReceiver, type Receiver, type ReceiverOptions } from './receiver';

/** Listens on the port used last time, so that reports for messages sent before a restart still arrive. */
export async function startStableReceiver(
  settings: SettingsStore,
  options: Omit<ReceiverOptions, 'port'>,
): Promise<Receiver> {
  const stored = settings.get('receiverPort');
  if (typeof stored === 'number') {
    const receiver = await startReceiver({ ...options, port: stored }).catch(() => null);
    // Busy (another Campaign Desk has it): a free port for this run, leaving the stored one alone.
    if (receiver) return receiver;
    return startReceiver(options);
  }
  const receiver = await startReceiver(options);
  settings.set('receiverPort', Number(new URL(receiver.url).port));
  return receiver;
}

/** The secret path of this install's receiver, made once. */
export function receiverSecret(settings: SettingsStore): string {
  const stored = settings.get('receiverSecret');
  if (typeof stored === 'string' && /^[a-f0-9]{32,}$/.test(stored)) return stored;
  const secret = randomBytes(24).toString('hex');
  settings.set('receiverSecret', secret);
  return secret;
}
