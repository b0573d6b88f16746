// A node:test reporter that writes one JSON object per line, for run-checks.ts to read back.
// Plain JavaScript on purpose: Node 20 loads `--test-reporter` modules before any `--import`
// loader, so a TypeScript reporter could not be loaded. (Types: see ReporterEvent in run-checks.ts.)

/** What the course needs to know about a thrown value: words and codes, never behaviour. */
function describeError(error) {
  if (error === null || typeof error !== 'object') return { name: typeof error, message: String(error) };
  const cause = error.cause;
  const inner = cause !== null && typeof cause === 'object'
    ? { name: String(cause.name ?? 'Error'), message: String(cause.message ?? ''), code: cause.code, stack: String(cause.stack ?? '') }
    : cause === undefined ? undefined : { name: typeof cause, message: String(cause), stack: '' };
  return { name: String(error.name ?? 'Error'), message: String(error.message ?? ''), failureType: error.failureType, cause: inner };
}

/** Reads node:test's event stream and yields the events the course reports, as JSON lines. */
export default async function* jsonReporter(source) {
  for await (const event of source) {
    const data = event.data;
    switch (event.type) {
      case 'test:pass':
      case 'test:fail': {
        const details = data.details ?? {};
        const status = event.type === 'test:fail' ? 'fail' : data.skip !== undefined ? 'skip' : 'pass';
        yield `${JSON.stringify({
          event: 'check',
          name: data.name,
          nesting: data.nesting,
          suite: details.type === 'suite',
          status,
          durationMs: details.duration_ms,
          error: status === 'fail' ? describeError(details.error) : undefined,
        })}\n`;
        break;
      }
      case 'test:stdout':
      case 'test:stderr':
        yield `${JSON.stringify({ event: 'output', text: data.message })}\n`;
        break;
      default:
        break;
    }
  }
}
