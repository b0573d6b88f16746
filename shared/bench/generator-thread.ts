/**
 * The entry point of one generator worker thread: a thin adapter that runs a {@link GeneratorLoad}
 * on the share it was started with and answers the coordinator's step messages
 * (generator-pool.ts). Its replies are plain data; the thread exits when its load has drained.
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { GeneratorLoad, type GeneratorShare } from './generator-load.ts';
import type { CoordinatorMessage, ThreadMessage } from './generator-messages.ts';

const port = parentPort!;
const load = new GeneratorLoad(workerData as GeneratorShare);
const post = (message: ThreadMessage) => port.postMessage(message);
// The count of replies in the window, published for the coordinator's progress line.
const progress = new Float64Array((workerData as { progress: SharedArrayBuffer }).progress);
let progressTimer: NodeJS.Timeout | undefined;

port.on('message', (message: CoordinatorMessage) => {
  switch (message.step) {
    case 'go':
      load.go();
      break;
    case 'measure':
      load.measure();
      // A plain store a few times a second: the coordinator only reads it to draw progress.
      progressTimer = setInterval(() => (progress[0] = load.completed), 200);
      break;
    case 'stop':
      clearInterval(progressTimer);
      post({ step: 'window', window: load.stop() });
      void load.drain().then((failures) => {
        post({ step: 'drained', failures });
        port.close();
      });
      break;
  }
});

void load.open().then((opened) => post({ step: 'opened', opened }));
