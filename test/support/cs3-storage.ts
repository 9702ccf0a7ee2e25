import type { AppConfig } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/config.loader';
import { Cs3GatewayClient } from '../../src/cs3/cs3-gateway.client';
import type { Cs3StorageGateway } from '../../src/cs3/cs3-storage-gateway.adapter';
import { createCs3StorageGateway } from '../../src/cs3/cs3.module';
import { NoGatewayAddressResolver } from '../../src/cs3/gateway-address-resolver.port';
import type { StorageCredentials } from '../../src/storage/storage.types';
import type { Cs3Double, Cs3DoubleUser, MintOptions } from './cs3-double';
import { DOUBLE_IDP } from './cs3-double/double-tokens';

/** Test WOPI secret the CS3 helpers configure (CS3 mode requires one). */
export const CS3_TEST_SECRET = 'a-secret-of-at-least-16-chars';

/**
 * Environment that puts the service on the double's CS3 storage: give it to startTestServer or to a
 * spawned process (plus listener addresses). WOPI tokens for it: CLI open / OpenService with a token
 * from double.mintToken(), or AccessTokenService.mint with `revaToken`.
 */
export function cs3ServerEnv(
  double: Cs3Double,
  env: Record<string, string> = {},
): Record<string, string> {
  return {
    COLLABORATION_STORAGE: 'cs3',
    COLLABORATION_CS3_GATEWAY: double.gatewayAddr,
    COLLABORATION_WOPI_SECRET: CS3_TEST_SECRET,
    ...env,
  };
}

export interface Cs3Storage {
  storage: Cs3StorageGateway;
  client: Cs3GatewayClient;
  config: AppConfig;
  close(): void;
}

/**
 * A Cs3StorageGateway on the double, built as the service builds it (real config loader); `env`
 * overrides the settings (e.g. COLLABORATION_CS3_TIMEOUT).
 */
export function cs3StorageFor(double: Cs3Double, env: Record<string, string> = {}): Cs3Storage {
  const config = loadConfig({ env: cs3ServerEnv(double, env) });
  const client = new Cs3GatewayClient(config, new NoGatewayAddressResolver());
  const storage = createCs3StorageGateway(config, client);
  return {
    storage,
    client,
    config,
    close: () => {
      storage.onModuleDestroy();
      client.close();
    },
  };
}

/** Credentials of a double user: the domain user and a fresh reva token. */
export function credentialsFor(
  double: Cs3Double,
  user: Cs3DoubleUser = double.owner,
  mint: MintOptions = {},
): StorageCredentials {
  return {
    user: {
      id: { idp: user.idp ?? DOUBLE_IDP, opaqueId: user.opaqueId, type: 'primary' },
      username: user.username ?? user.opaqueId,
      displayName: user.displayName ?? user.username ?? user.opaqueId,
      ...(user.mail ? { mail: user.mail } : {}),
      isGuest: false,
    },
    token: double.mintToken(user, mint),
  };
}
