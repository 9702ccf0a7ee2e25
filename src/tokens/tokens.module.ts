import { Logger, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { AccessTokenService } from './access-token.service';
import { WopiSecret } from './wopi-secret';

@Module({
  providers: [
    {
      provide: WopiSecret,
      inject: [AppConfig],
      useFactory: async (config: AppConfig) => {
        const secret = await WopiSecret.resolve(config);
        if (secret.origin !== 'config') {
          new Logger('TokensModule').warn(
            { file: secret.file },
            secret.origin === 'generated'
              ? 'COLLABORATION_WOPI_SECRET is not set: generated a secret into the local root; set one for production'
              : 'COLLABORATION_WOPI_SECRET is not set: using the secret kept in the local root',
          );
        }
        return secret;
      },
    },
    AccessTokenService,
  ],
  exports: [AccessTokenService, WopiSecret],
})
export class TokensModule {}
