import { fileURLToPath } from 'node:url';
import { defineExampleContract } from '@sess/testkit';

defineExampleContract({ name: 'fastify-memory', cwd: fileURLToPath(new URL('..', import.meta.url)) });
