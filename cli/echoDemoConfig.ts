/**
 * The configuration file of the echo demonstration: `{ "sim": {...}, "echo": {...} }`, each part
 * optional: what the file gives is laid over the built-in default (impl/demo/echo.ts
 * `ECHO_DEMO_CONFIG`), and the simulator's and the demo's schema defaults fill the rest.
 */
import { z } from 'zod';
import { ECHO_DEMO_CONFIG, EchoConfig } from '../impl/demo/echo.js';
import { SimConfig } from '../impl/sim/config.js';
import { overlay, parseWith, readJsonFile } from './configFile.js';

export const EchoDemoConfig = z.strictObject({ sim: SimConfig, echo: EchoConfig });
export type EchoDemoConfig = z.infer<typeof EchoDemoConfig>;

export function loadEchoDemoConfig(path: string | undefined): EchoDemoConfig {
  const given = path === undefined ? {} : readJsonFile(path);
  return parseWith(EchoDemoConfig, overlay(ECHO_DEMO_CONFIG, given), path ?? 'built-in default');
}
