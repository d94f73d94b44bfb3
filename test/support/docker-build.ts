// deploy/Dockerfile without a container engine: the build context as Docker would send it (.dockerignore applied
// with Docker's own matching rules), the Dockerfile's stages as data, and a replay of those stages in directories.
import { execFile } from 'node:child_process';
import { cp, mkdir, readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import dockerignoreModule from '@balena/dockerignore';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';

const run = promisify(execFile);
// A CommonJS package: Node's ESM loader hands over module.exports, which carries itself as `.default` too.
const dockerignore = dockerignoreModule.default;

const REPOSITORY = path.resolve('.');
const DOCKERFILE = path.join(REPOSITORY, 'deploy/Dockerfile');

export interface ContextMatcher {
  /** True when Docker leaves this path (relative to the context, `/`-separated) out of the context. */
  excludes(relativePath: string): boolean;
}

export async function loadDockerignore(root = REPOSITORY): Promise<ContextMatcher> {
  // Docker matches case-sensitively on Linux; the library's default is the other way.
  const matcher = dockerignore({ ignorecase: false }).add(await readFile(path.join(root, '.dockerignore'), 'utf8'));
  return { excludes: (relativePath) => matcher.ignores(relativePath) };
}

/** Every file and symbolic link Docker would send (links are sent as links, never followed), relative paths. */
export async function listContextFiles(root = REPOSITORY): Promise<string[]> {
  const matcher = await loadDockerignore(root);
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => !entry.isDirectory())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .filter((relativePath) => !matcher.excludes(relativePath))
    .sort();
}

export interface Step {
  keyword: string;
  /** The instruction's text after the keyword (flags such as --from excluded). */
  text: string;
  args: string[];
  /** COPY --from=<stage>, if any. */
  fromStage: string | undefined;
}

export interface Stage {
  name: string | undefined;
  steps: Step[];
}

export async function readStages(file = DOCKERFILE): Promise<Stage[]> {
  const stages: Stage[] = [];
  for (const instruction of DockerfileParser.parse(await readFile(file, 'utf8')).getInstructions()) {
    const keyword = instruction.getKeyword();
    if (keyword === 'FROM') {
      stages.push({ name: instruction.getArguments()[2]?.getValue(), steps: [] });
    } else if (stages.length > 0) {
      stages.at(-1)!.steps.push(toStep(instruction));
    }
  }
  return stages;
}

function toStep(instruction: Instruction): Step {
  const from = instruction.getKeyword() === 'COPY' ? (instruction as unknown as CopyLike).getFromFlag() : null;
  return {
    keyword: instruction.getKeyword(),
    text: instruction.getArgumentsContent() ?? '',
    args: instruction.getArguments().map((argument) => argument.getValue()),
    fromStage: from?.getValue() ?? undefined,
  };
}

interface CopyLike {
  getFromFlag(): { getValue(): string | null } | null;
}

/** An exec-form command (`CMD ["node", "x"]`, `HEALTHCHECK ... CMD [...]`) as its argument list. */
export function execForm(step: Step): string[] {
  return JSON.parse(step.text.replace(/^CMD\s+/, '')) as string[];
}

export interface ReplayedStage {
  directory: string;
  /** The stage's last WORKDIR in the image: what `directory` stands for. */
  workdir: string;
  env: Record<string, string>;
  /** RUN steps left out (they set up the operating system, not the application). */
  skipped: string[];
}

export interface ReplayOptions {
  /** Where the stage's WORKDIR lands. */
  directory: string;
  /** The context's files, as listContextFiles gives them. */
  contextFiles: string[];
  /** Stages replayed before this one, by name, for COPY --from. */
  earlier: Map<string, ReplayedStage>;
  /** Variables for the RUN steps besides the stage's own ENV. */
  env: Record<string, string>;
  /** Absolute paths in the image that are not the application (VOLUMEs, system directories). */
  systemPaths: string[];
}

/**
 * Replays one stage: WORKDIR is the given directory, COPY copies from the context (only the files the context
 * holds) or from an earlier stage's directory, ENV accumulates, and RUN runs under sh in the directory. A RUN that
 * installs system packages or touches a system path is recorded as skipped instead: it needs root and the image's
 * own filesystem.
 */
export async function replayStage(stage: Stage, options: ReplayOptions): Promise<ReplayedStage> {
  const env: Record<string, string> = {};
  const skipped: string[] = [];
  let workdir = '/';
  await mkdir(options.directory, { recursive: true });
  for (const step of stage.steps) {
    if (step.keyword === 'WORKDIR') workdir = step.args[0]!;
    if (step.keyword === 'ENV')
      for (const pair of step.args) env[pair.split('=')[0]!] = pair.slice(pair.indexOf('=') + 1);
    if (step.keyword === 'COPY') await replayCopy(step, options);
    if (step.keyword !== 'RUN') continue;
    if (/\bapt-get\b/.test(step.text) || options.systemPaths.some((system) => step.text.includes(system))) {
      skipped.push(step.text);
      continue;
    }
    await run('sh', ['-c', step.text], {
      cwd: options.directory,
      env: { ...options.env, ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
  }
  return { directory: options.directory, workdir, env, skipped };
}

/** A COPY's sources: its arguments but flags and the destination. */
export function copySources(step: Step): string[] {
  return step.args.filter((arg) => !arg.startsWith('--')).slice(0, -1);
}

async function replayCopy(step: Step, options: ReplayOptions): Promise<void> {
  const sources = copySources(step);
  const destination = path.join(options.directory, step.args.at(-1)!);
  for (const source of sources) {
    if (step.fromStage) {
      const earlier = options.earlier.get(step.fromStage);
      if (!earlier) throw new Error(`COPY --from=${step.fromStage}: no such stage replayed`);
      await cp(path.join(earlier.directory, path.relative(earlier.workdir, source)), destination, {
        recursive: true,
        verbatimSymlinks: true,
      });
      continue;
    }
    const inside = options.contextFiles.filter((file) => file === source || file.startsWith(`${source}/`));
    if (inside.length === 0) throw new Error(`COPY ${source}: not in the build context`);
    for (const file of inside) {
      const target =
        file === source
          ? step.args.at(-1)!.endsWith('/')
            ? path.join(destination, path.basename(file))
            : destination
          : path.join(destination, path.relative(source, file));
      await mkdir(path.dirname(target), { recursive: true });
      await cp(path.join(REPOSITORY, file), target, { verbatimSymlinks: true });
    }
  }
}
