// The JSON the server speaks: a mirror of mosaic-core's `wire` module (and
// of docs/API.md for the routes whose Rust types live elsewhere). Field
// names and optionality follow the Rust structs exactly; `Option<T>` is
// `T | null`, and a field skipped when `None` is optional.

/** 40-character lowercase hex v1 info hash. */
export type InfoHash = string;
/** A category's id. */
export type CategoryId = number;

export type TorrentState =
  'metadata' | 'checking' | 'downloading' | 'seeding' | 'paused' | 'queued' | 'error';

export type Priority = 'skip' | 'normal' | 'high' | 'max';
export const PRIORITIES: readonly Priority[] = ['skip', 'normal', 'high', 'max'];

/** One row of `GET /api/torrents`. */
export interface Torrent {
  id: InfoHash;
  name: string;
  magnet: string;
  save_path: string;
  state: TorrentState;
  error: string | null;
  total_bytes: number;
  bytes_done: number;
  progress: number;
  download_rate: number;
  upload_rate: number;
  downloaded: number;
  uploaded: number;
  ratio: number;
  eta_secs: number | null;
  peers: number;
  seeds: number;
  paused: boolean;
  completed: boolean;
  added_at: number;
  completed_at: number | null;
  category_id: CategoryId | null;
}

export interface TorrentFile {
  index: number;
  path: string;
  size: number;
  bytes_done: number;
  progress: number;
  priority: Priority;
}

export interface Peer {
  ip: string;
  port: number;
  client: string | null;
  progress: number | null;
  download_rate: number;
  upload_rate: number;
  downloaded: number;
  uploaded: number;
}

export interface Tracker {
  url: string;
  status: string | null;
  message: string | null;
  seeds: number | null;
  peers: number | null;
  last_announce: number | null;
  next_announce: number | null;
}

/** `GET /api/torrents/{id}` and `inspector:tick`; tab arrays are absent
 * from a live frame whose focus did not ask for that tab. */
export interface Detail extends Torrent {
  piece_length: number;
  piece_count: number;
  comment: string | null;
  created_by: string | null;
  private: boolean;
  files?: TorrentFile[];
  peers_list?: Peer[];
  trackers?: Tracker[];
  /** Base64 bitfield of the pieces we have, first piece in the high bit. */
  pieces?: string;
}

export interface Stats {
  total_torrents: number;
  active_torrents: number;
  seeding_torrents: number;
  total_download_rate: number;
  total_upload_rate: number;
  total_peers: number;
  downloaded_session: number;
  uploaded_session: number;
  free_space: number;
}

export interface AddMagnet {
  magnet: string;
  save_path: string;
  category_id?: CategoryId | null;
  paused?: boolean;
}

/** The optional fields of a multipart `.torrent` upload. */
export interface AddFileOptions {
  save_path?: string;
  category_id?: CategoryId | null;
  paused?: boolean;
}

export interface Added {
  id: InfoHash;
}

export interface Created {
  id: CategoryId;
}

export interface Ok {
  ok: boolean;
}

export interface ErrorBody {
  error: string;
}

export interface Version {
  version: string;
}

export interface Category {
  id: CategoryId;
  name: string;
  default_save_path: string;
  color: string;
}

export interface NewCategory {
  name: string;
  default_save_path?: string;
  color?: string | null;
}

export interface CategoryUpdate {
  id: CategoryId;
  name?: string | null;
  default_save_path?: string | null;
  color?: string | null;
}

export interface SavePath {
  path: string;
}

/** KiB/s, 0 is unlimited. */
export interface SpeedLimits {
  down_kbps: number;
  up_kbps: number;
  alt_down_kbps: number;
  alt_up_kbps: number;
  alt_active: boolean;
}

export interface AltSpeed {
  alt_active: boolean;
}

export interface ConnectionSettings {
  listen_port: number;
  dht_enabled: boolean;
  max_peers_per_torrent: number;
  upnp_enabled: boolean;
}

export interface WebSettings {
  username: string;
  api_key_hint: string;
  host_names: string[];
  session_ttl_secs: number;
}

export interface WebSettingsUpdate {
  host_names?: string[] | null;
  session_ttl_secs?: number | null;
}

export interface Login {
  username: string;
  password: string;
}

export interface PasswordChange {
  old_password: string;
  new_password: string;
}

export interface NewApiKey {
  api_key: string;
}

/** `PUT /api/settings/blocklist`. */
export interface BlocklistUpdate {
  url: string;
  enabled: boolean;
}

/** `GET /api/settings/blocklist`. */
export interface BlocklistSettings extends BlocklistUpdate {
  last_loaded_at: number | null;
  entries: number;
  error: string | null;
}

export type UpdateChannel = 'stable' | 'beta';

/** `GET/PUT /api/settings/updater`; `last_checked_at` is read-only and
 * may be left out of a `PUT`. */
export interface UpdaterSettings {
  enabled: boolean;
  channel: UpdateChannel;
  feed_url: string;
  last_checked_at?: number | null;
}

export interface UpdateInfo {
  available: boolean;
  current_version: string;
  latest_version: string | null;
  release_notes: string | null;
  asset_url: string | null;
  asset_filename: string | null;
  checked_at: number;
}

export type InspectorTab = 'overview' | 'files' | 'peers' | 'trackers' | 'pieces';

export interface InspectorFocus {
  id: InfoHash;
  tabs: InspectorTab[];
}

/** The payload of `torrent:added`, `:removed`, `:completed`, `:error`. */
export interface TorrentEvent {
  id: InfoHash;
  name: string;
  error?: string;
}

/** `torrents:delta`: rows hold `id` and only the fields that changed. */
export interface TorrentsDelta {
  seq: number;
  changed: (Partial<Torrent> & { id: InfoHash })[];
  removed: InfoHash[];
}

/** Every frame type the UI understands, by its payload. */
export interface LiveFrames {
  'torrents:tick': Torrent[];
  'torrents:delta': TorrentsDelta;
  'stats:tick': Stats;
  'inspector:tick': Detail;
  'update:available': UpdateInfo;
  'torrent:added': TorrentEvent;
  'torrent:removed': TorrentEvent;
  'torrent:completed': TorrentEvent;
  'torrent:error': TorrentEvent;
}

export type LiveType = keyof LiveFrames;
