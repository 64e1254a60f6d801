import { readFileSync } from 'node:fs';
import { Desk, type DeskOptions } from './desk';
import { NodeVault } from './secrets/node-vault';
import { openConfSettings } from './settings/conf-settings';

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
