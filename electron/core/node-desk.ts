import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Desk, type DeskOptions } from './desk';
import { NodeVault } from './secrets/node-vault';
import { openConfSettings } from './settings/conf-settings';

/** --data-dir, else CAMPAIGN_DESK_HOME, else the OS's per-user application data folder. */
export function resolveDataDir(flag?: string): string {
  if (flag) return flag;
  if (process.env.CAMPAIGN_DESK_HOME) return process.env.CAMPAIGN_DESK_HOME;
  switch (process.platform) {
    case 'darwin':
      return join(homedir(), 'Library', 'Application Support', 'Campaign Desk');
    case 'win32':
      return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Campaign Desk');
    default:
      return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'campaign-desk');
  }
}

export function appVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** The core in plain Node: conf for settings, NodeVault (passphrase from CAMPAIGN_DESK_PASSPHRASE or key file). */
export function startNodeDesk(dataDir: string, extra: Partial<DeskOptions> = {}): Promise<Desk> {
  return Desk.start({
    dataDir,
    vault: NodeVault.create(dataDir, process.env.CAMPAIGN_DESK_PASSPHRASE || undefined),
    settings: openConfSettings(dataDir),
    version: appVersion(),
    ...extra,
  });
}
