// The web console's files, read once at start into memory: web/console/ (the page and its modules, no build step),
// the few library files it imports from node_modules (served under vendor/, so nothing comes from a CDN), and one
// generated module, catalogue.js: the server's own tables the page needs (error titles, industries, the sandbox's
// failure codes and template rules…), so that the page keeps no copy of them. 440 KB in 43 files (120 KB of it the
// two source maps); reading them per request would buy nothing.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ERROR_TITLES } from '../../errors.js';
import { SANDBOX_FAILURE_CODES } from '../../modes/sandbox/directory.js';
import {
  BUTTON_TYPES,
  HEADER_FORMATS,
  MAX_BUTTONS,
  TEMPLATE_CATEGORIES,
  TEMPLATE_STATUSES,
} from '../../services/template-rules.js';
import { VERTICAL_LABELS } from '../../services/profile-rules.js';
import { MAX_CONCURRENT_REQUESTS, MEDIA_TYPES } from '../../services/settings-rules.js';
import { createStaticFile, type StaticFile } from '../docs/static-files.js';

export interface ConsoleFiles {
  /** By path below /console/: `index.html`, `app.js`, `views/chat.js`, `vendor/preact.mjs`… */
  readonly files: ReadonlyMap<string, StaticFile>;
  readonly index: StaticFile;
  /** The CSP source allowing index.html's one inline script, its import map: `'sha256-…'`. */
  readonly importMapHash: string;
}

/** The same depth below the repository root from src/http/console and from dist/http/console. */
const WEB_ROOT = path.resolve(import.meta.dirname, '../../../web/console');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
};

/** vendor/<name> → the package and the file in it. ES modules only: the page imports them through its import map. */
const VENDOR: Record<string, { pkg: string; file: string }> = {
  'preact.mjs': { pkg: 'preact', file: 'dist/preact.mjs' },
  'hooks.mjs': { pkg: 'preact', file: 'hooks/dist/hooks.mjs' },
  // The two files above name their source maps: served too, so that a browser's developer tools find them.
  'preact.mjs.map': { pkg: 'preact', file: 'dist/preact.mjs.map' },
  'hooks.mjs.map': { pkg: 'preact', file: 'hooks/dist/hooks.mjs.map' },
  'htm.mjs': { pkg: 'htm', file: 'dist/htm.mjs' },
  'uplot.mjs': { pkg: 'uplot', file: 'dist/uPlot.esm.js' },
  'uplot.css': { pkg: 'uplot', file: 'dist/uPlot.min.css' },
};

const IMPORT_MAP = /<script type="importmap">([\s\S]*?)<\/script>/;

let loaded: ConsoleFiles | null = null;

/** The console's files, read on the first call in this process (every node of a test run shares them, gzip included). */
export function consoleFiles(): ConsoleFiles {
  loaded ??= loadConsoleFiles(WEB_ROOT);
  return loaded;
}

function loadConsoleFiles(webRoot: string): ConsoleFiles {
  const files = new Map<string, StaticFile>();
  for (const relative of listFiles(webRoot)) {
    const type = CONTENT_TYPES[path.extname(relative)];
    if (type) files.set(relative, createStaticFile(readFileSync(path.join(webRoot, relative)), type));
  }
  for (const [name, { pkg, file }] of Object.entries(VENDOR)) {
    files.set(
      `vendor/${name}`,
      createStaticFile(readFileSync(path.join(packageDirectory(pkg), file)), CONTENT_TYPES[path.extname(name)]!),
    );
  }
  files.set('catalogue.js', createStaticFile(catalogueModule(), CONTENT_TYPES['.js']!));
  const index = files.get('index.html');
  if (!index) throw new Error(`the console has no index.html in ${webRoot}`);
  const importMap = IMPORT_MAP.exec(index.body.toString('utf8'))?.[1];
  if (importMap === undefined) throw new Error('the console\'s index.html has no <script type="importmap">');
  return { files, index, importMapHash: `'sha256-${createHash('sha256').update(importMap, 'utf8').digest('base64')}'` };
}

/** The tables the page shares with the server, as an ES module of named exports. */
function catalogueModule(): string {
  const tables = {
    ERROR_TITLES,
    SANDBOX_FAILURE_CODES,
    VERTICAL_LABELS,
    MEDIA_TYPES,
    MAX_CONCURRENT_REQUESTS,
    TEMPLATE_CATEGORIES,
    TEMPLATE_STATUSES,
    HEADER_FORMATS,
    BUTTON_TYPES,
    MAX_BUTTONS,
  };
  return Object.entries(tables)
    .map(([name, value]) => `export const ${name} = ${JSON.stringify(value)};\n`)
    .join('');
}

/** Every file below `root`, as forward-slash paths relative to it. */
function listFiles(root: string, prefix = ''): string[] {
  return readdirSync(path.join(root, prefix)).flatMap((entry) => {
    const relative = prefix ? `${prefix}/${entry}` : entry;
    return statSync(path.join(root, relative)).isDirectory() ? listFiles(root, relative) : [relative];
  });
}

/**
 * A package's directory as Node resolves it from here (hoisted or not). From its main entry upwards: htm's
 * `exports` hides its package.json.
 */
function packageDirectory(pkg: string): string {
  let directory = path.dirname(createRequire(import.meta.url).resolve(pkg));
  while (!(path.basename(directory) === pkg && path.basename(path.dirname(directory)) === 'node_modules')) {
    const parent = path.dirname(directory);
    if (parent === directory) throw new Error(`cannot find the directory of the package ${pkg}`);
    directory = parent;
  }
  return directory;
}
