import { fileURLToPath } from 'node:url';
import { defineExampleContract } from '@sess/testkit';

defineExampleContract({ name: 'koa-memory', cwd: fileURLToPath(new URL('..', import.meta.url)) });
