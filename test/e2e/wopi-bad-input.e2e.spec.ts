import { describeWopiBadInput } from '../support/wopi/bad-input-suite';
import { cs3WopiFixture } from '../support/wopi/cs3-wopi-fixture';
import { localWopiFixture } from '../support/wopi/local-wopi-fixture';

describeWopiBadInput('local adapter', () => localWopiFixture());
describeWopiBadInput('CS3 adapter', () => cs3WopiFixture());
