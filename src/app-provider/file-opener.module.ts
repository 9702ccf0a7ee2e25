import { Module } from '@nestjs/common';
import { CoopsAddressModule } from '../coops/address/coops-address.module';
import { TokensModule } from '../tokens/tokens.module';
import { FileOpenerService } from './file-opener.service';

/** Minting tokens and building editor URLs for a file; needs the (global) DiscoveryModule. */
@Module({
  imports: [TokensModule, CoopsAddressModule],
  providers: [FileOpenerService],
  exports: [FileOpenerService],
})
export class FileOpenerModule {}
