/**
 * What a live test file uses: the cluster globalSetup provided (or why there is none), and clients of
 * it. Import this only from test files run with test/members/global-setup.ts.
 */
import { inject } from 'vitest';
import type { LiveClusterInfo } from './hazelcast-members.js';
import './global-setup.js';

export { connect } from './live-cluster-client.js';

/** Null when a suite may start members of its own (fault, split brain), else why it skips. */
export function ownMembersSkip(): string | null {
  return inject('hazelcast').ownMembersSkip;
}

/** The shared live cluster, or the reason the live suites skip. */
export function liveCluster(): { cluster: LiveClusterInfo; skip: null } | { cluster: null; skip: string } {
  const setup = inject('hazelcast');
  return 'skip' in setup ? { cluster: null, skip: setup.skip } : { cluster: setup.cluster, skip: null };
}
