// Runs a Node script (argv[2], with the rest as its arguments) in this same process and, as the
// process exits, writes its peak resident set size in KiB (getrusage maxRSS) to fd 3.
import { writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const script = process.argv[2];
process.argv.splice(1, 1);
process.on('exit', () => {
  try {
    writeSync(3, `${process.resourceUsage().maxRSS}\n`);
  } catch {
    // fd 3 not open: run by hand, nothing to report to
  }
});
await import(pathToFileURL(script).href);
