// The capstone's module hook: wherever the phase server imports a module that an exercise stands
// in for, it gets the learner's file instead (or the reference answer, in the course's own CI).
// Plain JavaScript on purpose: it is loaded with --loader, before tsx exists, and Node 20 passes
// --loader on to every worker thread, so the workers run the learner's code too.
// The map comes from KVLAB_COURSE_REDIRECTS (see redirects.ts): real module URL → { url, label }.
import { writeSync } from 'node:fs';
import process from 'node:process';

const redirects = JSON.parse(process.env.KVLAB_COURSE_REDIRECTS ?? '{}');
const announced = new Set();

/** Resolves as usual, then swaps a redirected module for its stand-in. */
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  const url = resolved.url.split('?')[0];
  const redirect = redirects[url];
  // A reference answer re-exports the real module: its own import must reach the real file.
  if (redirect === undefined || context.parentURL?.split('?')[0] === redirect.url) return resolved;
  if (!announced.has(url)) {
    announced.add(url);
    // Synchronous, straight to stderr: the line is out before the server can print its ready line.
    writeSync(2, `kvlab-course: using ${redirect.label}\n`);
  }
  return { ...resolved, url: redirect.url };
}
