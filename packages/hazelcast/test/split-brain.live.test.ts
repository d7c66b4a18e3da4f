/**
 * What a healed split brain does with destroyed sessions, on live members: two one-member clusters of
 * the same name (as the two halves of a split cluster), the same sessions on both, each half destroys
 * one of them, then the halves merge (MemberCluster.startSplit). No network is cut: the halves never
 * saw each other, which is the state a partition leaves behind.
 */
import { createSessionRepository } from '@sess/core';
import type { Client, HazelcastJsonValue } from 'hazelcast-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HazelcastStore } from '../src/index.js';
import { MemberCluster } from './members/hazelcast-members.js';
import { connect, ownMembersSkip } from './members/live-cluster.js';

const skip = ownMembersSkip();
const MERGE_AFTER_SECONDS = 20;

describe.skipIf(skip !== null)(`split brain healed (${skip ?? 'two one-member clusters that merge'})`, () => {
  let halves: MemberCluster;
  let left: Client;
  let right: Client;

  beforeAll(async () => {
    halves = await MemberCluster.startSplit('sess-split', MERGE_AFTER_SECONDS);
    const [a, b] = halves.addresses as [string, string];
    // One client per half; each sees only its own half.
    [left, right] = await Promise.all([
      connect({ clusterName: halves.clusterName, members: [a] }),
      connect({ clusterName: halves.clusterName, members: [b] }),
    ]);
  }, 90_000);

  afterAll(async () => {
    await Promise.allSettled([left?.shutdown(), right?.shutdown()]);
    await halves?.stop();
  }, 60_000);

  it("the default merge policy brings destroyed sessions back; DiscardMergePolicy undoes the merged half's logouts", async () => {
    const maps = { default: 'sess-split-default', discard: 'sess-split-discard-1' };
    const destroyed: Record<keyof typeof maps, { onLeft: string; onRight: string }> = {
      default: { onLeft: '', onRight: '' },
      discard: { onLeft: '', onRight: '' },
    };
    for (const [policy, mapName] of Object.entries(maps) as [keyof typeof maps, string][]) {
      const repoLeft = createSessionRepository({
        store: new HazelcastStore({ client: left, mapName, addIndex: false }),
      });
      const repoRight = createSessionRepository({
        store: new HazelcastStore({ client: right, mapName, addIndex: false }),
      });
      const leftMap = await left.getMap<string, HazelcastJsonValue>(mapName);
      const rightMap = await right.getMap<string, HazelcastJsonValue>(mapName);
      // Two sessions that existed before the split: the same entry on both halves.
      const ids: string[] = [];
      for (let i = 0; i < 2; i++) {
        const session = repoLeft.createSession().set('n', i);
        await repoLeft.save(session);
        const view = (await leftMap.getEntryView(session.id))!;
        await rightMap.put(session.id, view.value, Number(view.ttl));
        ids.push(session.id);
      }
      const [onLeft, onRight] = ids as [string, string];
      // During the split, each half logs one of them out.
      await repoLeft.deleteById(onLeft);
      await repoRight.deleteById(onRight);
      expect(await repoLeft.findById(onLeft)).toBeNull();
      expect(await repoRight.findById(onRight)).toBeNull();
      destroyed[policy] = { onLeft, onRight };
    }

    // The halves find each other and merge (the left member looks after MERGE_AFTER_SECONDS).
    await halves.waitForSize(2, (MERGE_AFTER_SECONDS + 40) * 1000);
    const healed = await connect({ clusterName: halves.clusterName, members: halves.addresses });
    try {
      const alive = async (mapName: string, id: string) =>
        (await createSessionRepository({
          store: new HazelcastStore({ client: healed, mapName, addIndex: false }),
        }).findById(id)) !== null;
      // Merged entries arrive shortly after the members agree on the cluster.
      const deadline = Date.now() + 20_000;
      let back = { default: [false, false], discard: [false, false] };
      do {
        back = {
          default: [
            await alive(maps.default, destroyed.default.onLeft),
            await alive(maps.default, destroyed.default.onRight),
          ],
          discard: [
            await alive(maps.discard, destroyed.discard.onLeft),
            await alive(maps.discard, destroyed.discard.onRight),
          ],
        };
        if (back.default.every(Boolean) && back.discard.filter(Boolean).length === 1) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      } while (Date.now() < deadline);
      console.info(
        `[@sess/hazelcast] after the merge, destroyed sessions alive again: ${JSON.stringify(back)}`,
      );
      // PutIfAbsentMergePolicy (the default): the one destroyed on the surviving side is put back from
      // the merging side's copy, and the one destroyed on the merging side was never gone on the other.
      expect(back.default).toEqual([true, true]);
      // DiscardMergePolicy: the merging side's entries are dropped, so only the destroy made on the
      // side that survives the merge sticks; the other half's logout is still undone.
      expect(back.discard.filter(Boolean)).toHaveLength(1);
    } finally {
      await healed.shutdown();
    }
  }, 120_000);
});
