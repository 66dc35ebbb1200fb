// Once per browser-test run: a tracker and two seeded torrents that every
// test's own server can download from.
//   live:  one 8 MiB file (magnet tests, live progress)
//   album: a folder of four files in two levels (drop, files tab)

import { rmSync } from 'node:fs';
import { join } from 'node:path';

import type { TestProject } from 'vitest/node';

import { Seeder, Tracker, makeTorrent, waitSeeded, type MadeTorrent } from './swarm';
import { tempDir } from './paths';

export interface SwarmTorrent extends MadeTorrent {
  magnet: string;
}

export interface SwarmInfo {
  announce: string;
  live: SwarmTorrent;
  album: SwarmTorrent;
}

declare module 'vitest' {
  export interface ProvidedContext {
    swarm: SwarmInfo;
  }
}

const MIB = 1024 * 1024;

export default async function setup(project: TestProject): Promise<() => void> {
  const root = tempDir('swarm');
  const data = join(root, 'data');
  const tracker = await Tracker.start(join(root, 'tracker'));
  const seeders: Seeder[] = [];

  const made = {
    live: makeTorrent(
      join(data, 'mosaic-live.bin'),
      [{ path: 'mosaic-live.bin', size: 8 * MIB }],
      tracker.announceUrl,
      root,
    ),
    album: makeTorrent(
      join(data, 'mosaic-album'),
      [
        { path: 'cover.png', size: 300 * 1024 },
        { path: 'notes.txt', size: 20 * 1024 },
        { path: 'disc 1/01 intro.flac', size: 3 * MIB },
        { path: 'disc 1/02 theme.flac', size: 4 * MIB },
      ],
      tracker.announceUrl,
      root,
    ),
  };

  const swarm: Partial<SwarmInfo> = { announce: tracker.announceUrl };
  for (const [key, torrent] of Object.entries(made) as [keyof typeof made, MadeTorrent][]) {
    await tracker.whitelist(torrent.infoHash);
    const seeder = await Seeder.start(torrent, data);
    seeders.push(seeder);
    await waitSeeded(tracker, torrent.infoHash);
    const magnet =
      `magnet:?xt=urn:btih:${torrent.infoHash}&dn=${encodeURIComponent(torrent.name)}` +
      `&tr=${encodeURIComponent(tracker.announceUrl)}&x.pe=127.0.0.1:${seeder.port}`;
    swarm[key] = { ...torrent, magnet };
  }
  project.provide('swarm', swarm as SwarmInfo);

  return () => {
    for (const s of seeders) s.stop();
    tracker.stop();
    rmSync(root, { recursive: true, force: true });
  };
}
