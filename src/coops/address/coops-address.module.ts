import { Module } from '@nestjs/common';
import { TokensModule } from '../../tokens/tokens.module';
import { CoopsAddressService } from './coops-address.service';

/** CoOPS addresses only (no listeners, no NATS), for the CLI and OpenInApp. */
@Module({
  imports: [TokensModule],
  providers: [CoopsAddressService],
  exports: [CoopsAddressService],
})
export class CoopsAddressModule {}
