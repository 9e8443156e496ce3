import { PusherRestStandIn } from './pusher-rest-stand-in';
import { TestStorage } from './storage-backends';
import { startTestApp, TestApp } from './test-app';

/** A test app on its own storage, whose Pusher REST calls go to a stand-in that records them. */
export interface AppWithRestStandIn {
  storage: TestStorage;
  pusherApi: PusherRestStandIn;
  service: TestApp;
  /** Closes the app first (it may still be calling the stand-in), then the stand-in and the storage. */
  stopAll(): Promise<void>;
}

/**
 * Opens the storage, starts the stand-in and the app on both, with `env` added (the setting under
 * test, such as TERMINATE_ON_REMOVE). Should the app not start, what did start is stopped again.
 */
export async function startAppWithRestStandIn(
  openStorage: () => Promise<TestStorage>,
  env: Record<string, string>,
): Promise<AppWithRestStandIn> {
  const storage = await openStorage();
  const pusherApi = new PusherRestStandIn();
  try {
    await pusherApi.start();
    const service = await startTestApp({
      DIRECTORY_URL: storage.url,
      ...env,
      ...pusherApi.serviceEnv,
    });
    return {
      storage,
      pusherApi,
      service,
      async stopAll() {
        await service.close();
        await pusherApi.stop();
        await storage.cleanup();
      },
    };
  } catch (error) {
    await pusherApi.stop();
    await storage.cleanup();
    throw error;
  }
}

/**
 * startAppWithRestStandIn for a describe block: started before its tests and stopped after them.
 * The block's own beforeAll, registered after this call, runs once all is started (to seed, say).
 * The fields are set from then on, so read them inside hooks and tests, not when declaring.
 */
export function useAppWithRestStandIn(
  openStorage: () => Promise<TestStorage>,
  env: Record<string, string>,
): AppWithRestStandIn {
  const running = {} as AppWithRestStandIn;
  beforeAll(async () => {
    Object.assign(running, await startAppWithRestStandIn(openStorage, env));
  });
  // Unset when the start failed: startAppWithRestStandIn has stopped what it started.
  afterAll(() => running.stopAll?.());
  return running;
}
