import { describeWopiBodies } from '../support/wopi/bodies-suite';
import { cs3WopiFixture } from '../support/wopi/cs3-wopi-fixture';
import { localWopiFixture } from '../support/wopi/local-wopi-fixture';
import { describeWopiOperations } from '../support/wopi/operations-suite';

describeWopiOperations('local adapter', (env) => localWopiFixture(env));
describeWopiOperations('CS3 adapter', (env) => cs3WopiFixture(env));
describeWopiBodies('local adapter', (env) => localWopiFixture(env));
describeWopiBodies('CS3 adapter', (env) => cs3WopiFixture(env));
