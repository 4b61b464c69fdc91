// The public library API: named exports only. A plugin needs one import: `import { defineAction, z } from 'actiongraph'`.
export { z } from 'zod';
export * from './errors.js';
export * from './graph/index.js';
export * from './actions/index.js';
export * from './engine/index.js';
export { ConfigSchema, loadConfig, type Config } from './config.js';
