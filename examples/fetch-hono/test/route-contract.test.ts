import { fileURLToPath } from 'node:url';
import { defineExampleContract } from '@sess/testkit';

defineExampleContract({ name: 'fetch-hono', cwd: fileURLToPath(new URL('..', import.meta.url)) });
