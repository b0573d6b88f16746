/**
 * `npm run profile -- <doctor|flame|bubbleprof|heapprofiler> --phase N [--protocol text|binary]
 * [--duration S] [--pipeline N] [-- server options]`: compiles the code to dist/, starts the
 * phase under the Clinic.js tool on a free port, drives the bundled load at it, writes the HTML
 * report and prints its path. Headless and self-ending: it opens nothing and needs no terminal.
 * See docs/profiling.md.
 * @module
 */
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { OptionError } from '../runtime/cli.ts';
import { REPO_ROOT } from '../testing/server-process.ts';
import { buildDist, DIST } from './build-dist.ts';
import { runClinic } from './clinic-run.ts';
import { remapFlameData } from './flame-data.ts';
import { renderFlameReport } from './flame-report.ts';
import { parseProfileArgs, profileUsage, type ProfileRequest } from './profile-options.ts';

/**
 * Time allowed beyond the load itself: starting the server, preloading the keys, and above all
 * clinic's analysis, which takes tens of seconds for a busy minute of bubbleprof data here.
 */
const ANALYSIS_ALLOWANCE_S = 240;

/**
 * Heap Profiler preloads its sampler through NODE_OPTIONS, and Node runs preloads in worker
 * threads too: there each copy fails to reach clinic and kills its worker, over and over. So the
 * heap is profiled with execution on the main thread, where the connections' memory lives anyway.
 */
const HEAP_PROFILER_SERVER_ARGS = ['--workers', '0'];

/** Quotes one word for the POSIX shell that clinic hands `--on-port` to. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The load command clinic runs once the server listens; clinic fills in `$PORT`. */
function loadCommand(request: ProfileRequest): string {
  const words = [
    process.execPath, '--import', 'tsx', join(REPO_ROOT, 'shared', 'profiling', 'load.ts'),
    '--protocol', request.protocol, '--duration', String(request.durationS),
    '--connections', String(request.connections), '--pipeline', String(request.pipeline),
  ];
  return `${words.map(shellWord).join(' ')} --port $PORT`;
}

async function profile(request: ProfileRequest): Promise<string> {
  const phase = `phase${request.phase}`;
  if (!existsSync(join(REPO_ROOT, 'phases', phase, 'main.ts'))) throw new OptionError(`${phase} has no server yet (no phases/${phase}/main.ts)`);
  console.log(`building ${DIST}/ with tsc (tsconfig.build.json)…`);
  await buildDist(REPO_ROOT);
  const entry = join(REPO_ROOT, DIST, 'phases', phase, 'main.js');

  console.log(
    `clinic ${request.tool}: phase ${request.phase}, ${request.durationS} s of ${request.protocol} load ` +
      `over ${request.connections} connections × pipeline ${request.pipeline}`,
  );
  const toolArgs = request.tool === 'heapprofiler' ? HEAP_PROFILER_SERVER_ARGS : [];
  if (toolArgs.length > 0) console.log(`heapprofiler cannot run inside worker threads: the server gets ${toolArgs.join(' ')}`);
  const dest = resolve(REPO_ROOT, request.dest);
  const output = await runClinic({
    tool: request.tool,
    server: [process.execPath, entry, '--host', '127.0.0.1', '--port', '0', '--log-level', 'warn', ...toolArgs, ...request.serverArgs],
    onPort: loadCommand(request),
    dest,
    collectOnly: request.tool === 'flame',
    interruptAfterLoad: request.tool === 'bubbleprof',
    cwd: REPO_ROOT,
    timeoutMs: (request.durationS + ANALYSIS_ALLOWANCE_S) * 1000,
  });
  if (output.html) return output.html;

  // Flame: point the compiled frames back at the TypeScript, then draw the report.
  const data = resolve(REPO_ROOT, output.data!);
  const frames = await remapFlameData(data, REPO_ROOT.replace(/\/$/, ''), join(REPO_ROOT, DIST));
  console.log(`mapped ${frames.toLocaleString('en-US')} sampled frames to TypeScript lines`);
  const html = `${data}.html`;
  await renderFlameReport(data, html, output.elapsedS);
  return html;
}

const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  console.log(profileUsage());
} else {
  try {
    const html = await profile(parseProfileArgs(argv));
    console.log(`report: ${relative(process.cwd(), html)}`);
  } catch (error) {
    const usageError = error instanceof OptionError;
    console.error(`npm run profile: ${(error as Error).message}${usageError ? `\n${profileUsage()}` : ''}`);
    process.exitCode = usageError ? 2 : 1;
  }
}
