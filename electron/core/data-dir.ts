import { homedir } from 'node:os';
import { join } from 'node:path';

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
