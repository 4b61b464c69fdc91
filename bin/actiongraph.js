#!/usr/bin/env node
import { main } from '../dist/cli/main.js';

// Exit explicitly: a plugin that leaves a timer or socket open must not keep the CLI alive after its command.
// stdout and stderr are synchronous for files and pipes on Linux and macOS, so nothing written is lost.
process.exit(await main(process.argv));
