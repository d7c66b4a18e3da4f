/**
 * vitest globalSetup: one shared live cluster for the whole run (see hazelcast-members.ts), handed to
 * the test files with `inject('hazelcast')`, and stopped by PID when the run ends.
 */
import type { TestProject } from 'vitest/node';
import { type LiveClusterSetup, setUpLiveCluster } from './hazelcast-members.js';

declare module 'vitest' {
  export interface ProvidedContext {
    hazelcast: LiveClusterSetup;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { setup, cluster } = await setUpLiveCluster();
  project.provide('hazelcast', setup);
  return async () => {
    await cluster?.stop();
  };
}
