/**
 * Turns a remapped Clinic.js Flame data folder into its HTML report, with TypeScript frames
 * counted as the application's own code.
 *
 * Why a patch: Flame sorts a frame into app, dependency, Node core or V8 by looking at its file
 * name, and a name without `.js` in it is taken for V8 internals — hidden by default. Remapped
 * frames name `.ts` files, so before the analysis runs, a frame whose file ends in `.ts` is
 * declared application code. The patch touches one method of @clinic/flame 13's FrameNode.
 * @module
 */
import { createRequire } from 'node:module';

/** The part of @clinic/flame's programmatic interface used here (the package ships no types). */
interface FlameTool {
  /** Shown in the report's header; clinic sets it while collecting, which happened elsewhere. */
  elapsedTime: number;
  visualize(dataFolder: string, outputFile: string, callback: (error: Error | null) => void): void;
}
type FlameToolClass = new (settings?: Record<string, unknown>) => FlameTool;

/** The two FrameNode methods involved: the first decides, the second labels a frame as app code. */
interface FrameNodeMethods {
  getESMAppType: (this: FrameNodeMethods, name: string, appName: string) => unknown;
  getAppType: (this: FrameNodeMethods, name: string, appName: string) => unknown;
}

/** A frame whose file is TypeScript, with the markers 0x may append. */
const TYPESCRIPT_FRAME = /\.ts:\d+:\d+( \[INIT\])?( \[INLINABLE\])?$/;

// @clinic/flame is clinic's dependency, not ours: resolve it from where clinic is installed.
const require = createRequire(createRequire(import.meta.url).resolve('clinic/package.json'));
let patched = false;

function countTypeScriptAsApp(): void {
  if (patched) return;
  patched = true;
  const frameNode = require('@clinic/flame/analysis/frame-node.js') as { prototype: FrameNodeMethods };
  const original = frameNode.prototype.getESMAppType;
  frameNode.prototype.getESMAppType = function (this: FrameNodeMethods, name: string, appName: string): unknown {
    return TYPESCRIPT_FRAME.test(name) ? this.getAppType(name, appName) : original.call(this, name, appName);
  };
}

/** Writes the HTML report of `dataFolder` to `outputFile`; `elapsedS` is how long the run took. */
export function renderFlameReport(dataFolder: string, outputFile: string, elapsedS: number): Promise<void> {
  countTypeScriptAsApp();
  const Flame = require('@clinic/flame') as FlameToolClass;
  const flame = new Flame();
  flame.elapsedTime = elapsedS;
  return new Promise((resolve, reject) => {
    flame.visualize(dataFolder, outputFile, (error) => (error ? reject(error) : resolve()));
  });
}
