// Every command module. Each one declares its command on the program and imports heavy modules lazily,
// inside its action, so `actiongraph --help` stays fast.
import type { Command } from 'commander';
import type { CliIO } from '../io.js';

export type RegisterCommand = (program: Command, io: CliIO) => void;

export const commandModules: (() => Promise<{ register: RegisterCommand }>)[] = [
  // one line per command module, in the order `--help` lists them
  () => import('./validate.js'),
  () => import('./run.js'),
  () => import('./resume.js'),
  () => import('./runs.js'),
  () => import('./show.js'),
  () => import('./schema.js'),
  () => import('./generate.js'),
  () => import('./edit.js'),
  () => import('./undo.js'),
  () => import('./actions.js'),
  () => import('./new.js'),
];
