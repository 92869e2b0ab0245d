/** The process entry point of the command line (`npm start`, the `flink-slot-model` bin). */
import { main } from './main.js';

process.exitCode = main(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
