// A real mosaic-server on 127.0.0.1 with a fresh data directory, started
// the way a user would and read from its first-start output.

import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { SERVER_BIN, resultsDir, tempDir } from './paths';

export interface MosaicServer {
  /** `https://127.0.0.1:PORT` */
  url: string;
  username: string;
  password: string;
  apiKey: string;
  savePath: string;
  /** The server's process id. */
  pid: number;
  stop: () => Promise<void>;
}

const START_TIMEOUT = 60_000;

/** Starts a server; `name` labels its log under test-results/logs. */
export async function startServer(name: string): Promise<MosaicServer> {
  const root = tempDir(name);
  const savePath = join(root, 'downloads');
  const args = [
    ...['--data-dir', join(root, 'data'), '--listen', '127.0.0.1:0'],
    ...['--peer-listen', '127.0.0.1:0', '--no-dht', '--save-path', savePath],
  ];
  const child = spawn(SERVER_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(join(resultsDir('logs'), `${name}-server.log`));
  child.stderr.pipe(log);

  const seen = await readStartup(child);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(root, { recursive: true, force: true });
  };
  return { ...seen, savePath, pid: child.pid ?? 0, stop };
}

type Startup = Pick<MosaicServer, 'url' | 'username' | 'password' | 'apiKey'>;

/** Reads `username:`, `password:`, `api key:` and `listening:` lines. */
function readStartup(child: ChildProcess): Promise<Startup> {
  return new Promise((resolve, reject) => {
    const found: Record<string, string> = {};
    if (!child.stdout) throw new Error('mosaic-server was started without a stdout pipe');
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mosaic-server did not start in ${START_TIMEOUT} ms`));
    }, START_TIMEOUT);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`mosaic-server exited with ${code} before listening (${SERVER_BIN})`));
    });
    lines.on('line', (line) => {
      const match = /^(username|password|api key|listening): (.+)$/.exec(line.trim());
      if (match?.[1] && match[2]) found[match[1]] = match[2];
      const { username, password, listening } = found;
      const apiKey = found['api key'];
      if (username && password && apiKey && listening) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({ url: listening, username, password, apiKey });
      }
    });
  });
}
