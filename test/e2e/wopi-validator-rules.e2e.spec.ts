import { cs3WopiFixture } from '../support/wopi/cs3-wopi-fixture';
import { localWopiFixture } from '../support/wopi/local-wopi-fixture';
import { describeWopiValidatorRules } from '../support/wopi/validator-rules-suite';

describeWopiValidatorRules('local adapter', (env) => localWopiFixture(env));
describeWopiValidatorRules('CS3 adapter', (env) => cs3WopiFixture(env));
