import type { TestApp } from './test-app';

/** The policy the batch specs run with: anyone signed in may join presence-lobby. */
export const LOBBY_POLICY =
  'rules:\n  - channels: presence-lobby\n    allow: any-user\n';

/**
 * The users the batch specs ask for: alice, with a name, granted the rooms matching `roomPattern`,
 * and bob, granted nothing (his answers are refusals).
 */
export async function seedAliceWithRoomsAndBob(
  service: TestApp,
  roomPattern: string,
): Promise<void> {
  await service.seed(
    { id: 'alice', userInfo: { name: 'Alice' }, watchlist: [] },
    { id: 'bob', userInfo: null, watchlist: [] },
  );
  await service.admin.grantChannel({
    subject: 'user',
    subjectId: 'alice',
    channelPattern: roomPattern,
  });
}
