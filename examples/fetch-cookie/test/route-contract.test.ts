import { fileURLToPath } from 'node:url';
import { defineExampleContract } from '@sess/testkit';

defineExampleContract({ name: 'fetch-cookie', cwd: fileURLToPath(new URL('..', import.meta.url)) });
