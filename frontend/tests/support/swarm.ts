// Real peers for the browser tests: Debian's opentracker on 127.0.0.1
// (whitelist mode, reloaded with SIGHUP), torrents made by mktorrent, and
// aria2c seeding them. Everything listens on loopback only.

import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  createWriteStream,
  mkdirSync,
  readFileSync,
  writeFileSync,
  appendFileSync,
} from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

import { infoHash } from './torrent-file';
import { resultsDir } from './paths';

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function logTo(child: ChildProcess, name: string): void {
  const log = createWriteStream(join(resultsDir('logs'), `${name}.log`));
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
}

function httpGet(url: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks)));
    }).on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentBytes(hex: string): string {
  return hex.replace(/../g, (b) => `%${b}`);
}

export class Tracker {
  private constructor(
    private readonly child: ChildProcess,
    private readonly root: string,
    readonly port: number,
  ) {}

  get announceUrl(): string {
    return `http://127.0.0.1:${this.port}/announce`;
  }

  /** Starts opentracker with an empty whitelist. Run as root it chroots
   * into `root` and becomes `nobody`, so the folder is world-readable and
   * the whitelist path is relative to it. */
  static async start(root: string): Promise<Tracker> {
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'opentracker.conf'), 'access.whitelist whitelist.txt\n');
    writeFileSync(join(root, 'whitelist.txt'), '');
    chmodSync(root, 0o755);
    chmodSync(join(root, 'opentracker.conf'), 0o644);
    chmodSync(join(root, 'whitelist.txt'), 0o644);

    const port = await freePort();
    const args = ['-f', join(root, 'opentracker.conf'), '-i', '127.0.0.1', '-p', String(port)];
    const child = spawn('opentracker', [...args, '-d', root, '-u', 'nobody']);
    logTo(child, 'opentracker');
    const tracker = new Tracker(child, root, port);
    for (let i = 0; i < 100; i++) {
      if (child.exitCode !== null) throw new Error(`opentracker exited with ${child.exitCode}`);
      if (
        await tracker.scrapeRaw('00'.repeat(20)).then(
          () => true,
          () => false,
        )
      )
        return tracker;
      await sleep(100);
    }
    throw new Error('opentracker did not answer');
  }

  private scrapeRaw(hash: string): Promise<Buffer> {
    return httpGet(`http://127.0.0.1:${this.port}/scrape?info_hash=${percentBytes(hash)}`);
  }

  /** Lets the tracker serve `hash` and waits until it does. */
  async whitelist(hash: string): Promise<void> {
    appendFileSync(join(this.root, 'whitelist.txt'), `${hash}\n`);
    this.child.kill('SIGHUP');
    const probe = `http://127.0.0.1:${this.port}/announce?info_hash=${percentBytes(hash)}&peer_id=-MOSAICUIPROBE-00000&port=1&uploaded=0&downloaded=0&left=1&numwant=0&compact=1`;
    for (let i = 0; i < 100; i++) {
      const answer = await httpGet(probe).catch(() => Buffer.from('failure'));
      if (!answer.toString('latin1').includes('failure')) {
        await httpGet(`${probe}&event=stopped`);
        return;
      }
      await sleep(100);
    }
    throw new Error(`opentracker still refuses ${hash}`);
  }

  /** Seeders the tracker counts for `hash`. */
  async seeders(hash: string): Promise<number> {
    const body = (await this.scrapeRaw(hash)).toString('latin1');
    const match = /8:completei(\d+)e/.exec(body);
    return match?.[1] ? Number(match[1]) : 0;
  }

  stop(): void {
    this.child.kill('SIGTERM');
  }
}

export interface MadeTorrent {
  name: string;
  torrentPath: string;
  infoHash: string;
  /** Files inside the torrent, `/`-separated, with sizes. */
  files: { path: string; size: number }[];
}

/** Writes random data at `dataPath` (a file, or a folder of `files`) and
 * makes a .torrent for it with mktorrent (256 KiB pieces). */
export function makeTorrent(
  dataPath: string,
  files: { path: string; size: number }[],
  announce: string,
  outDir: string,
): MadeTorrent {
  const single = files.length === 1 && files[0]?.path === basename(dataPath);
  for (const f of files) {
    const target = single ? dataPath : join(dataPath, f.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, randomBytes(f.size));
  }
  const torrentPath = join(outDir, `${basename(dataPath)}.torrent`);
  execFileSync('mktorrent', ['-a', announce, '-l', '18', '-o', torrentPath, dataPath], {
    stdio: 'ignore',
  });
  return {
    name: basename(dataPath),
    torrentPath,
    infoHash: infoHash(readFileSync(torrentPath)),
    files,
  };
}

export class Seeder {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  /** aria2c seeding `torrent` from the data in `dataParent`, loopback
   * only, no DHT, LPD or PEX: peers come from the tracker or the link. */
  static async start(torrent: MadeTorrent, dataParent: string): Promise<Seeder> {
    const port = await freePort();
    const args = [
      '--no-conf=true',
      '--enable-dht=false',
      '--enable-dht6=false',
      '--bt-enable-lpd=false',
      '--enable-peer-exchange=false',
      '--bt-external-ip=127.0.0.1',
      '--interface=127.0.0.1',
      '--disable-ipv6=true',
      '--file-allocation=none',
      '--auto-file-renaming=false',
      '--summary-interval=0',
      '--console-log-level=notice',
      `--listen-port=${port}`,
      `--stop-with-process=${process.pid}`,
      '--seed-ratio=0.0',
      '--check-integrity=true',
      '--bt-seed-unverified=false',
      `--dir=${dataParent}`,
      torrent.torrentPath,
    ];
    const child = spawn('aria2c', args);
    logTo(child, `aria2-${torrent.name}`);
    return new Seeder(child, port);
  }

  stop(): void {
    this.child.kill('SIGTERM');
  }
}

/** Waits until the tracker counts a seeder for `hash`. */
export async function waitSeeded(
  tracker: Tracker,
  hash: string,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await tracker.seeders(hash).catch(() => 0)) >= 1) return;
    await sleep(250);
  }
  throw new Error(`no seeder announced ${hash} within ${timeoutMs} ms`);
}
