// `npm start`: builds the app, then opens it in Electron; where Electron cannot start (no binary,
// no display), runs the browser shell instead and prints its address.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** Why Electron cannot start here, or null when it can. */
function electronUnavailable() {
  let dir;
  try {
    dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return 'the electron package is not installed';
  }
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile) || !existsSync(join(dir, 'dist', readFileSync(pathFile, 'utf8')))) {
    return 'the Electron binary has not been downloaded';
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return 'there is no display';
  }
  return null;
}

function startBrowserShell(reason) {
  console.log(`Electron cannot start here (${reason}); opening the browser shell instead:`);
  run(process.execPath, ['scripts/build-node.js']);
  const child = spawn(process.execPath, ['dist/node/server.js', ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  child.on('exit', (code) => process.exit(code ?? 0));
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
}

run('npx', ['vite', 'build', '--logLevel', 'warn']);
const reason = electronUnavailable();
if (reason) {
  startBrowserShell(reason);
} else {
  run(process.execPath, ['scripts/build-electron.js']);
  const electron = createRequire(import.meta.url)('electron');
  const child = spawn(electron, ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => {
    if (code !== 0) startBrowserShell(`Electron exited with code ${code}`);
  });
}
