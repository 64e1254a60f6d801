import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';

export interface RunningShell {
  /** The address with the token, as printed for the user. */
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * Starts the real browser shell, built (dist/node/server.js, rebuilt by the global setup), with a fresh
 * data folder (or the one given, which it removes when stopped), as `npm start` would.
 */
export async function startShell(
  args: string[] = [],
  dataDir = mkdtempSync(join(tmpdir(), 'campaign-desk-e2e-')),
): Promise<RunningShell> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['dist/node/server.js', '--data-dir', dataDir, ...args],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = out.match(/running at (http:\/\/\S+)/);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`browser shell exited with ${code}: ${out}`)));
  });
  return {
    url,
    dataDir,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Fails every test of the calling file in which the page threw or logged an error. */
export function failOnPageErrors(): void {
  let errors: string[] = [];
  test.beforeEach(({ page }) => {
    errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
  });
  test.afterEach(() => expect(errors).toEqual([]));
}
