#!/usr/bin/env node
/**
 * @module
 * The `vneid` executable: runs {@link run} with the process arguments and exits with its code.
 */
import { run } from './index.ts';

process.exitCode = await run(process.argv.slice(2));
