import Conf from 'conf';
import type { SettingsStore } from './settings-store';

export function openConfSettings(dir: string): SettingsStore {
  return new Conf<Record<string, unknown>>({
    cwd: dir,
    configName: 'settings',
    projectName: 'campaign-desk',
  });
}
