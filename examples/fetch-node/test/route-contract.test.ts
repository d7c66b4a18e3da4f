import { fileURLToPath } from 'node:url';
import { defineExampleContract } from '@sess/testkit';

defineExampleContract({ name: 'fetch-node', cwd: fileURLToPath(new URL('..', import.meta.url)) });
