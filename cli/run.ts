/** The process entry point of the command line (`npm start`, the `flink-slot-model` bin). */
import { mainAsync } from './main.js';

process.exitCode = await mainAsync(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
